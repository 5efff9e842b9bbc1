import pytest

from exosite.insight.counting import counters

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36"


@pytest.fixture
def visitor(client):
    """The test client as a browser (requests without a user agent are not counted)."""
    client.defaults["HTTP_USER_AGENT"] = BROWSER
    return client


@pytest.fixture
def flush():
    """Write what this process counted, as the next due request would."""
    return counters.flush
