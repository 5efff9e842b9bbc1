import time

import pytest

from exosite.kernel.forms import start_token


def started(seconds_ago=30):
    """A form token as if the form had been shown `seconds_ago` (each one can be sent once)."""
    return start_token(shown_at=time.time() - seconds_ago)


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
