"""Compressed pages (exosite/kernel/compression.py, pagecache.py): Brotli or gzip as the
request's Accept-Encoding allows, made once when a page is stored, each hit with its own
fresh CSP nonce; uncached responses compressed one at a time, never one that carries a
CSRF token or anything else of one visitor's (BREACH)."""

import gzip
import re
import secrets

import brotli
import pytest
from django.http import HttpResponse, StreamingHttpResponse
from django.test import Client
from django.urls import reverse

from exosite.kernel import compression
from exosite.kernel.compression import CompressionMiddleware, negotiate
from exosite.kernel.pagecache import PageCacheMiddleware

pytestmark = pytest.mark.django_db

NONCE = re.compile(rb'nonce="([^"]+)"')
LONG_BODY = " ".join(["Extracellular vesicles carry proteins and RNA between cells."] * 60)


@pytest.fixture(autouse=True)
def page_cache(settings):
    settings.EXOSITE_PAGE_CACHE = True
    PageCacheMiddleware.local.clear()
    yield
    PageCacheMiddleware.local.clear()


@pytest.fixture
def article(make_article):
    return make_article(title="Exosomes in wound healing", body=LONG_BODY)


def decoded(response):
    """The response's body as the browser reads it."""
    coding = response.get("Content-Encoding")
    if coding == "br":
        return brotli.decompress(response.content)
    if coding == "gzip":
        return gzip.decompress(response.content)  # checks the CRC-32 and length too
    assert coding is None
    return response.content


def header_nonce(response):
    found = re.search(r"'nonce-([^']+)'", response.get("Content-Security-Policy", ""))
    return found.group(1).encode() if found else None


def without_nonce(body):
    return NONCE.sub(b'nonce=""', body)


def vary(response):
    return {v.strip().lower() for v in response.get("Vary", "").split(",") if v.strip()}


def get(client, url, accept=None, **extra):
    if accept is not None:
        extra["HTTP_ACCEPT_ENCODING"] = accept
    return client.get(url, **extra)


# -- choosing the coding -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("", "identity"),
        ("identity", "identity"),
        ("br", "br"),
        ("gzip", "gzip"),
        ("gzip, deflate, br, zstd", "br"),  # what browsers send: Brotli first
        ("gzip, br", "br"),
        ("x-gzip", "gzip"),
        ("GZIP", "gzip"),
        ("br;q=0, gzip", "gzip"),
        ("br;q=0.5, gzip", "gzip"),  # higher q wins
        ("br;q=0.5, gzip;q=0.5", "br"),  # a tie goes to Brotli
        ("gzip;q=1.000, br;q=0.999", "gzip"),
        ("gzip;q=0, br;q=0", "identity"),
        ("*", "br"),
        ("*;q=0", "identity"),
        ("br;q=0, *", "gzip"),
        ("gzip;q=0, *;q=0.1", "br"),
        ("gzip;q=0, gzip", "identity"),  # q=0 is never overruled
        ("deflate, compress", "identity"),
        # Malformed elements are ignored, never an error.
        ("br;q=abc, gzip", "gzip"),
        ("br;q=2", "identity"),
        ("br;q=-1, gzip;q=nan", "identity"),
        ("br;q", "identity"),
        (";;,, ,;q=1", "identity"),
        ("br;;;level=9", "br"),
        ("\x00br\xff, gzip", "gzip"),
        ("gzip," * 500, "gzip"),
    ],
)
def test_accept_encoding_is_read_with_its_q_values(rf, header, expected):
    assert negotiate(rf.get("/", HTTP_ACCEPT_ENCODING=header)) == expected


# -- cached pages: hits and misses -----------------------------------------------------------


@pytest.mark.parametrize(
    ("accept", "coding"),
    [
        ("gzip, deflate, br, zstd", "br"),
        ("gzip", "gzip"),
        ("br;q=0, gzip", "gzip"),
        ("gzip;q=0, br", "br"),
        ("*;q=0", None),
        (None, None),
    ],
)
def test_misses_and_hits_are_served_in_the_coding_asked_for(client, article, accept, coding):
    identity = client.get(article.get_absolute_url())
    PageCacheMiddleware.local.clear()
    from django.core.cache import cache

    cache.clear()
    responses = [get(client, article.get_absolute_url(), accept) for _ in range(3)]
    assert [r["X-Cache"] for r in responses] == ["miss", "hit", "hit"]
    for response in responses:
        assert response.status_code == 200
        assert response.get("Content-Encoding") == coding
        assert int(response["Content-Length"]) == len(response.content)
        assert "accept-encoding" in vary(response)
        body = decoded(response)
        # Exactly the identity page, with this response's own nonce, the header's.
        assert without_nonce(body) == without_nonce(identity.content)
        assert set(NONCE.findall(body)) == {header_nonce(response)}
    assert len({header_nonce(r) for r in responses}) == 3
    if coding:
        assert len(responses[-1].content) < len(identity.content) / 2


def test_every_hit_gets_a_fresh_nonce_in_each_coding(client, article):
    for accept in ("br", "gzip", "identity") * 4:
        response = get(client, article.get_absolute_url(), accept)
        body = decoded(response)
        nonce = header_nonce(response)
        assert nonce and body.count(b'nonce="' + nonce + b'"') >= 1
        assert set(NONCE.findall(body)) == {nonce}


def test_each_variant_is_made_once_per_stored_page_when_first_asked_for(
    client, article, monkeypatch
):
    calls = []
    real = compression.encode

    def counting(coding, pieces, hole, fillers=None):
        calls.append(coding)
        return real(coding, pieces, hole, fillers)

    monkeypatch.setattr(compression, "encode", counting)
    url = article.get_absolute_url()
    for _ in range(3):
        get(client, url, "identity")
    assert calls == []  # nobody asked for a compressed page: none made
    for accept in ("br", "gzip", "identity", "br", "gzip") * 3:
        get(client, url, accept)
    assert sorted(calls) == ["br", "gzip"]
    # Kept with the page in the shared cache, not only in this process.
    PageCacheMiddleware.local.clear()
    for accept in ("br", "gzip"):
        assert get(client, url, accept)["X-Cache"] == "hit"
    assert sorted(calls) == ["br", "gzip"]
    article.title = "Exosomes in wound healing, revised"
    article.save()  # a new content version: a new page, stored once more
    for accept in ("br", "gzip", None):
        assert get(client, url, accept).status_code == 200
    assert sorted(calls) == ["br", "br", "gzip", "gzip"]


def test_each_variant_has_its_own_etag_and_304(client, article):
    url = article.get_absolute_url()
    tags = {accept: get(client, url, accept)["ETag"] for accept in ("br", "gzip", "identity")}
    assert len(set(tags.values())) == 3
    assert all(tag.startswith('"') and tag.endswith('"') for tag in tags.values())  # strong
    assert tags["br"] == tags["identity"][:-1] + '-br"'
    for accept, tag in tags.items():
        again = get(client, url, accept, HTTP_IF_NONE_MATCH=tag)
        assert again.status_code == 304, accept
        assert again.content == b""
        assert again["ETag"] == tag
        assert "accept-encoding" in vary(again)
        assert "Content-Security-Policy" not in again  # the browser keeps the one it has
    # The client's copy is of another coding than it now asks for: the whole page.
    other = get(client, url, "gzip", HTTP_IF_NONE_MATCH=tags["br"])
    assert other.status_code == 200
    assert other["Content-Encoding"] == "gzip"
    assert other["ETag"] == tags["gzip"]
    assert decoded(other).startswith(b"<!DOCTYPE html>")


def test_the_etag_of_a_variant_is_the_same_from_every_process(client, article):
    from django.core.cache import cache

    first = get(client, article.get_absolute_url(), "br")
    cache.clear()
    PageCacheMiddleware.local.clear()  # as another process renders it
    second = get(client, article.get_absolute_url(), "br")
    assert second["X-Cache"] == "miss"
    assert second["ETag"] == first["ETag"]
    assert header_nonce(second) != header_nonce(first)


def test_head_requests_get_the_headers_of_the_variant(client, article):
    url = article.get_absolute_url()
    whole = get(client, url, "br")
    head = client.head(url, HTTP_ACCEPT_ENCODING="br")
    assert head.status_code == 200
    assert head["X-Cache"] == "hit"
    assert head["Content-Encoding"] == "br"
    assert head["Content-Length"] == whole["Content-Length"]
    assert head["ETag"] == whole["ETag"]
    assert head.content == b""


@pytest.mark.parametrize(
    "header", ["br;q=x", "gzip;q=1e999", ",,,;", "br; q = 0.5 ; x", "\u00e9\u00e8", "*" * 8000]
)
def test_a_malformed_accept_encoding_never_fails_a_request(client, article, header):
    for _ in range(2):
        response = get(client, article.get_absolute_url(), header)
        assert response.status_code == 200
        assert without_nonce(decoded(response)).startswith(b"<!DOCTYPE html>")


def test_pages_without_a_nonce_are_stored_compressed_too(client, make_article):
    make_article(title="Exosome isolation", summary=LONG_BODY)
    url = reverse("feed-articles")
    identity = client.get(url)
    assert header_nonce(identity) is None
    responses = [get(client, url, accept) for accept in ("br", "br", "gzip")]
    assert [r["X-Cache"] for r in responses] == ["hit", "hit", "hit"]
    assert [r["Content-Encoding"] for r in responses] == ["br", "br", "gzip"]
    assert {decoded(r) for r in responses} == {identity.content}


def test_tiny_pages_are_not_compressed(client):
    response = get(client, reverse("robots-txt"), "br, gzip")
    assert len(response.content) < compression.MIN_SIZE
    assert "Content-Encoding" not in response
    assert "accept-encoding" not in vary(response)
    assert "Content-Encoding" not in get(client, reverse("robots-txt"), "br, gzip")


# -- uncached responses --------------------------------------------------------------------


def test_uncached_pages_are_compressed_one_at_a_time(client, article, settings):
    settings.EXOSITE_PAGE_CACHE = False
    identity = client.get(article.get_absolute_url())
    for accept, coding in (("br", "br"), ("gzip", "gzip"), ("br;q=0, gzip;q=0", None)):
        response = get(client, article.get_absolute_url(), accept)
        assert "X-Cache" not in response
        assert response.get("Content-Encoding") == coding
        assert int(response["Content-Length"]) == len(response.content)
        assert "accept-encoding" in vary(response)
        body = decoded(response)
        assert without_nonce(body) == without_nonce(identity.content)
        assert set(NONCE.findall(body)) == {header_nonce(response)}


def test_a_404_is_compressed(client):
    response = get(client, "/articles/no-such-article/", "br")
    assert response.status_code == 404
    assert response["Content-Encoding"] == "br"
    assert b"<html" in decoded(response)


def test_a_page_with_a_csrf_token_is_never_compressed(client):
    # The ask form (never cached) and the problem-report form (bypassed: it sets a cookie).
    for url in (reverse("faq:ask"), reverse("trust:problem")):
        visitor = Client()
        first = visitor.get(url, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
        assert b"csrfmiddlewaretoken" in first.content
        # The second time the visitor already has the CSRF cookie: still not compressed.
        second = visitor.get(url, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
        for response in (first, second):
            assert response.status_code == 200
            assert "Content-Encoding" not in response, url
            assert b"csrfmiddlewaretoken" in response.content


def test_a_view_that_used_the_csrf_token_is_never_compressed(rf):
    from django.middleware.csrf import get_token

    def view(request):
        return HttpResponse(f"<p>{get_token(request)}</p>" + LONG_BODY)

    request = rf.get("/", HTTP_ACCEPT_ENCODING="br")
    response = CompressionMiddleware(view)(request)
    assert "Content-Encoding" not in response
    assert "Vary" not in response


def test_the_admin_and_signed_in_staff_get_nothing_compressed(client, article, admin_user):
    login = Client().get(reverse("admin:login"), HTTP_ACCEPT_ENCODING="br")
    assert login.status_code == 200
    assert "Content-Encoding" not in login
    staff = Client()
    staff.force_login(admin_user)
    for url in (article.get_absolute_url(), reverse("admin:index")):
        response = staff.get(url, HTTP_ACCEPT_ENCODING="br")
        assert response.status_code == 200
        assert "Content-Encoding" not in response, url


def test_a_response_that_sets_a_cookie_or_is_private_is_never_compressed(rf):
    def setting_cookie(request):
        response = HttpResponse(LONG_BODY)
        response.set_cookie("choice", "1")
        return response

    def private(request):
        response = HttpResponse(LONG_BODY)
        response["Cache-Control"] = "private"
        return response

    for view in (setting_cookie, private):
        response = CompressionMiddleware(view)(rf.get("/", HTTP_ACCEPT_ENCODING="br"))
        assert "Content-Encoding" not in response


def test_compressed_or_binary_or_streamed_bodies_are_left_alone(rf):
    def make(**kwargs):
        return lambda request: HttpResponse(b"\x89PNG" + b"\0" * 4000, **kwargs)

    request = rf.get("/", HTTP_ACCEPT_ENCODING="br, gzip")
    png = CompressionMiddleware(make(content_type="image/png"))(request)
    assert "Content-Encoding" not in png
    already = HttpResponse(b"x" * 4000, content_type="text/plain")
    already["Content-Encoding"] = "gzip"
    assert CompressionMiddleware(lambda r: already)(request).content == b"x" * 4000
    stream = StreamingHttpResponse(iter([b"x" * 4000]), content_type="text/plain")
    assert "Content-Encoding" not in CompressionMiddleware(lambda r: stream)(request)


def test_a_strong_etag_becomes_weak_when_compressed_on_the_fly(rf):
    def view(request):
        response = HttpResponse(LONG_BODY)
        response["ETag"] = '"abc"'
        return response

    response = CompressionMiddleware(view)(rf.get("/", HTTP_ACCEPT_ENCODING="gzip"))
    assert response["Content-Encoding"] == "gzip"
    assert response["ETag"] == 'W/"abc"'


# -- the nonce blocks ------------------------------------------------------------------------

BODIES = [
    b"<p>" + b"text " * 400 + b'<script nonce="@@">x</script>' + b"more " * 400,
    b"@@" + b"starts with the nonce " * 100,
    b"ends with the nonce " * 100 + b"@@",
    b"adjacent @@@@ and close @@.@@ " * 50,
    b"@@",
    "non-ASCII: vésicule – ß ✓ @@ ".encode() * 80,
]


@pytest.mark.parametrize("body", BODIES)
@pytest.mark.parametrize("coding", ["br", "gzip"])
def test_a_stored_variant_decodes_to_the_page_with_any_nonce(body, coding):
    pieces = tuple(body.split(b"@@"))
    parts = compression.encode(coding, pieces, 22)
    assert parts is not None
    decompress = brotli.decompress if coding == "br" else gzip.decompress
    for _ in range(50):
        nonce = secrets.token_urlsafe(16).encode()
        assert len(nonce) == 22
        assert decompress(compression.fill(coding, parts, nonce, pieces)) == nonce.join(pieces)


def test_without_bytes_to_mark_the_nonce_with_a_page_has_no_variant(client):
    every_byte = bytes(range(256)) * 4
    assert compression.encode("br", (every_byte, every_byte), 22) is None
    assert compression.encode("gzip", (every_byte, every_byte), 22) is None


def test_brotli_nonce_blocks_hold_at_every_quality(monkeypatch):
    # At higher qualities Brotli codes each literal by the two bytes before it: the bytes
    # after a nonce must be the same for the encoder and for every decoder.
    body = (
        b"<p>" + b"Vesicles carry proteins, lipids and RNA. " * 600 + b'<script nonce="@@">'
        b"</script>" + "vésicule – ß ✓ <em>".encode() * 900
    )
    pieces = tuple(body.split(b"@@"))
    for quality in (9, 11):
        monkeypatch.setattr(compression, "BROTLI_QUALITY", quality)
        parts = compression.encode("br", pieces, 22)
        assert parts is not None
        for _ in range(10):
            nonce = secrets.token_urlsafe(16).encode()
            filled = compression.fill("br", parts, nonce, pieces)
            assert brotli.decompress(filled) == nonce.join(pieces)


def test_an_entry_stored_in_an_older_format_is_never_used():
    import pickle

    from django.utils import timezone

    from exosite.kernel.pagecache import Entry

    old = Entry.__new__(Entry)
    old.__setstate__((b"<p>old</p>", [], '"x"', None, None))  # before compressed variants
    assert not PageCacheMiddleware.usable(pickle.loads(pickle.dumps(old)), timezone.now())
