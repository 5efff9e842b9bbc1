"""Compressed pages through a real `make serve` (gunicorn, production settings), with the
demo content: what a browser gets over the wire, hits and misses, in each coding.

Marked `server` (it starts one, ~30 s): `make test-fast` leaves it out.
"""

import gzip
import re
import sys

import brotli
import pytest
from django.conf import settings

sys.path.insert(0, str(settings.BASE_DIR / "bench"))
from harness import VAR, Server, fresh_sqlite, manage, production_env

pytestmark = pytest.mark.server

NONCE = re.compile(rb'nonce="([^"]+)"')
BROWSER = "gzip, deflate, br, zstd"


@pytest.fixture(scope="module")
def server():
    url, cleanup = fresh_sqlite("compression")
    env = production_env(
        url,
        "compression-test-secret-" + "z" * 40,
        DJANGO_STATIC_ROOT=str(VAR / "compression-static"),
        DJANGO_LOG_LEVEL="WARNING",
        DJANGO_EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
    )
    manage(env, "migrate", "--noinput", "-v", "0")
    manage(env, "load_demo", quiet=True)
    log = VAR / "compression-server.log"
    log.write_text("")
    with Server(env, log=log, workers=2) as running:
        yield running
    cleanup()


@pytest.fixture(scope="module")
def article(server):
    found = re.search(rb'href="(/articles/[a-z0-9-]+/)"', server.http.get("/articles/").body)
    return found.group(1).decode()


def decoded(response):
    coding = response.headers.get("Content-Encoding")
    if coding == "br":
        return brotli.decompress(response.body)
    if coding == "gzip":
        return gzip.decompress(response.body)
    assert coding is None
    return response.body


def header_nonce(response):
    found = re.search(r"'nonce-([^']+)'", response.headers["Content-Security-Policy"])
    return found.group(1).encode()


def test_a_browser_gets_brotli_and_the_page_decodes_with_its_own_nonce(server, article):
    identity = server.http.get(article)
    responses = [server.http.get(article, headers={"Accept-Encoding": BROWSER}) for _ in range(6)]
    for response in responses:
        assert response.status == 200
        assert response.headers["Content-Encoding"] == "br"
        assert "Accept-Encoding" in response.headers["Vary"]
        assert int(response.headers["Content-Length"]) == len(response.body)
        body = decoded(response)
        assert NONCE.sub(b"", body) == NONCE.sub(b"", identity.body)
        assert set(NONCE.findall(body)) == {header_nonce(response)}
    outcomes = [r.headers["X-Cache"] for r in responses]
    assert set(outcomes) <= {"hit", "miss"} and "hit" in outcomes
    assert len(responses[0].body) * 3 < len(identity.body)


def test_gzip_and_identity_clients_and_304_per_variant(server, article):
    tags = {}
    for accept, coding in (("gzip", "gzip"), ("br;q=0, gzip", "gzip"), ("identity", None)):
        response = server.http.get(article, headers={"Accept-Encoding": accept})
        assert response.headers.get("Content-Encoding") == coding
        assert decoded(response).startswith(b"<!DOCTYPE html>")
        tags[coding] = response.headers["ETag"]
        again = server.http.get(
            article, headers={"Accept-Encoding": accept, "If-None-Match": tags[coding]}
        )
        assert again.status == 304
        assert again.body == b""
    assert len(set(tags.values())) == 2


def test_a_head_request_and_a_malformed_header(server, article):
    head = server.http.request("HEAD", article, headers={"Accept-Encoding": "br"})
    assert head.status == 200
    assert head.headers["Content-Encoding"] == "br"
    assert head.body == b""
    for header in ("br;q=nonsense", ";;;,", "gzip;q=7"):
        assert server.http.get(article, headers={"Accept-Encoding": header}).status == 200


def test_a_page_with_a_csrf_token_is_sent_uncompressed(server):
    for _ in range(2):
        response = server.http.get("/faq/ask/", headers={"Accept-Encoding": BROWSER})
        assert response.status == 200
        assert "Content-Encoding" not in response.headers
        assert b"csrfmiddlewaretoken" in response.body


def test_static_files_keep_whitenoise_compression(server):
    page = server.http.get("/").body
    css = re.search(rb'href="(/static/[^"]+\.css)"', page).group(1).decode()
    response = server.http.get(css, headers={"Accept-Encoding": "gzip"})
    assert response.status == 200
    assert response.headers.get("Content-Encoding") == "gzip"
