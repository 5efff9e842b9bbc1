import time

import pytest
from django.core import signing

from exosite.kernel.forms import STARTED_SALT


def started(seconds_ago=30):
    return signing.dumps(time.time() - seconds_ago, salt=STARTED_SALT)


@pytest.fixture
def ask_data():
    def make(**fields):
        data = {
            "question": "Can exosomes from fat tissue be used to treat knee arthritis?",
            "name": "Sam",
            "email": "sam@example.org",
            "consent": "on",
            "website": "",
            "started": started(),
        }
        data.update(fields)
        return {key: value for key, value in data.items() if value is not None}

    return make
