"""Client addresses behind reverse proxies that append to X-Forwarded-For.

Each proxy appends the address it received the request from, so only the right-most
entries were written by proxies we run; anything to their left is what the client sent.
"""

import runpy

import pytest
from django.contrib.auth import get_user_model
from django.test import Client, RequestFactory
from django.urls import reverse
from pytest_django.asserts import assertContains

from exosite.kernel.ratelimit import client_address, client_id
from faq.models import Submission
from tests.faq.conftest import started

PROXY = "10.0.0.2"  # what REMOTE_ADDR is behind a proxy
CDN = "192.0.2.44"


def address(forwarded=None, remote=PROXY):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_address(RequestFactory().get("/", **meta))


def test_without_trusted_proxies_the_header_is_ignored(settings):
    settings.EXOSITE_TRUSTED_PROXIES = 0
    assert address("198.51.100.7") == PROXY
    assert address() == PROXY


@pytest.mark.parametrize(
    ("forwarded", "expected"),
    [
        ("198.51.100.7", "198.51.100.7"),  # the client sent nothing; the proxy added one
        ("1.1.1.1, 198.51.100.7", "198.51.100.7"),  # a forged entry on the left
        ("1.1.1.1, 2.2.2.2,3.3.3.3 , 198.51.100.7", "198.51.100.7"),
        ("not-an-address, 198.51.100.7", "198.51.100.7"),
        ("1.1.1.1, 2001:DB8:0:0::1", "2001:db8::1"),  # one spelling per address
        ("", PROXY),  # a proxy that appended nothing
        ("1.1.1.1, ", PROXY),
        ("1.1.1.1, unknown", PROXY),
        ("1.1.1.1, 198.51.100.7:5555", PROXY),
    ],
)
def test_behind_one_proxy_the_address_it_appended(settings, forwarded, expected):
    settings.EXOSITE_TRUSTED_PROXIES = 1
    assert address(forwarded) == expected


@pytest.mark.parametrize(
    ("forwarded", "expected"),
    [
        (f"198.51.100.7, {CDN}", "198.51.100.7"),
        (f"1.1.1.1, 2.2.2.2, 198.51.100.7, {CDN}", "198.51.100.7"),
        (CDN, PROXY),  # shorter than the chain: not trusted
        (f"nonsense, {CDN}", PROXY),
    ],
)
def test_behind_two_proxies_the_address_the_outer_one_appended(settings, forwarded, expected):
    settings.EXOSITE_TRUSTED_PROXIES = 2
    assert address(forwarded) == expected


@pytest.mark.parametrize(
    ("environ", "proxies"),
    [
        ({}, 0),
        ({"EXOSITE_TRUSTED_PROXIES": "2"}, 2),
        ({"EXOSITE_TRUST_X_FORWARDED_FOR": "1"}, 1),  # the older setting: one proxy
        ({"EXOSITE_TRUST_X_FORWARDED_FOR": "0"}, 0),
        ({"EXOSITE_TRUST_X_FORWARDED_FOR": "1", "EXOSITE_TRUSTED_PROXIES": "0"}, 0),
    ],
)
def test_the_setting_and_its_older_form(monkeypatch, settings, environ, proxies):
    monkeypatch.delenv("EXOSITE_TRUSTED_PROXIES", raising=False)
    monkeypatch.delenv("EXOSITE_TRUST_X_FORWARDED_FOR", raising=False)
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    values = runpy.run_path(str(settings.BASE_DIR / "exosite" / "settings.py"))
    assert values["EXOSITE_TRUSTED_PROXIES"] == proxies


@pytest.mark.django_db
def test_forged_entries_do_not_escape_a_rate_limit(client, settings):
    settings.EXOSITE_TRUSTED_PROXIES = 1
    settings.EXOSITE_ASK_RATE = "1/h"

    def ask(n, forwarded):
        data = {"question": f"Question number {n} about vesicles?", "started": started()}
        return client.post(
            reverse("faq:ask"), data, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded
        )

    assert ask(1, "198.51.100.7").status_code == 302
    for n, forged in enumerate(("1.1.1.1", "2.2.2.2, 3.3.3.3", "garbage"), start=2):
        assert ask(n, f"{forged}, 198.51.100.7").status_code == 429
    assert ask(9, "1.1.1.1, 203.0.113.50").status_code == 302  # someone else
    clients = set(Submission.objects.values_list("client", flat=True))
    assert len(clients) == 2


@pytest.mark.django_db
def test_login_lock_out_is_keyed_by_the_address_the_proxy_saw(settings):
    settings.EXOSITE_TRUSTED_PROXIES = 1
    get_user_model().objects.create_superuser("boss", "b@example.org", "a-long-passphrase")
    url = reverse("admin:login")
    attacker = "203.0.113.9"
    for n in range(settings.AXES_FAILURE_LIMIT + 2):
        # A new forged address each time, as the proxy passes it on with the real one last.
        Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"10.1.1.{n}, {attacker}").post(
            url, {"username": "boss", "password": "wrong"}
        )
    locked = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"198.18.0.1, {attacker}").post(
        url, {"username": "boss", "password": "a-long-passphrase"}
    )
    assertContains(locked, "Sign-in paused", status_code=429)
    # The editor behind the same proxy is not locked out by it.
    editor = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.7")
    response = editor.post(url, {"username": "boss", "password": "a-long-passphrase"})
    assert response.status_code == 302


def test_the_client_id_is_a_keyed_hash_of_that_address(settings):
    settings.EXOSITE_TRUSTED_PROXIES = 1
    factory = RequestFactory()
    one = factory.get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="1.1.1.1, 198.51.100.7")
    two = factory.get("/", REMOTE_ADDR="10.0.0.3", HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert client_id(one) == client_id(two)
    assert "198.51.100.7" not in client_id(one)
