"""The page cache: anonymous page views come from Django's cache, and are never wrong.

What is cached
    GET responses with status 200 to requests without a session, messages or language
    cookie and without an Authorization header, outside settings.EXOSITE_PAGE_CACHE_SKIP
    (the admin, previews, the ask form, the health check). A response that sets a cookie
    (a CSRF token was used: the page has a form), says `private`, `no-cache` or
    `no-store`, varies on anything but Cookie, or is streamed, is not stored.

Why it is never stale
    The key holds the *content version* (`exosite.ops.versions`: a counter that database
    triggers raise in the same transaction as any change to a content table, whoever
    makes it) and the *release* (a hash of the code, templates and static manifest). A
    publish, edit, unpublish, delete, tag or glossary change therefore changes every key:
    the next request renders afresh. A scheduled item needs no write to go live, so each
    entry also keeps the time of the next scheduled publication at the moment it was
    rendered, and is ignored from then on. Each hit costs one primary-key read of the
    version row and a lookup in the process's own most recent pages (`LocalPages`), or
    else one cache read.

CSP nonces
    Pages keep their per-response nonce. When a page used the nonce, the entry stores the
    body cut into pieces where the nonce was, and every hit joins them around a fresh
    nonce (Django's CSP middleware then sends the same fresh nonce in the header). Such
    pages are `private` to shared caches: a CDN would hand the same nonce to everyone.
    Pages that use no nonce are `public`.

Compression
    Each stored page's Brotli and gzip variants are made once, when a request first asks
    for each (the miss that stores the page, or a later hit), and stored with the page
    (`exosite.kernel.compression.encode`), with each nonce in a block of its own that is
    not compressed; a page nobody asks compressed costs no compression. A hit picks the
    variant the request's Accept-Encoding allows (Brotli first) and joins its stored
    pieces around the fresh nonce: no compression per hit.
    Responses carry `Vary: Accept-Encoding` and their own `Content-Encoding` and
    `Content-Length`. Pages under compression.MIN_SIZE or of a type that is not text are
    stored without variants.

Conditional GET
    Every cached page has a strong ETag per coding (a hash of the body with the nonce
    taken out, so it is the same on every worker, with `-br` or `-gzip` added for the
    compressed variants: each is a different sequence of bytes) and `Cache-Control:
    max-age=0, must-revalidate`: a browser or CDN revalidates, and gets a 304 until the
    content changes. A 304 for a page with a nonce carries no CSP header, so that the
    browser keeps the one that matches the body it already has.

Memory
    Each process keeps its most recent pages (`LocalPages`) within
    settings.EXOSITE_LOCAL_PAGES_BYTES (a share of EXOSITE_LOCAL_CACHE_BYTES), counting
    every variant's bytes; the least recently used go first, and a page bigger than a
    quarter of the budget is not kept there at all.

Redis
    With REDIS_URL set the cache is shared by every process and server (exosite.kernel.redis).
"""

import hashlib
import logging
import re
import threading
from collections import OrderedDict
from contextlib import contextmanager
from datetime import UTC, datetime

from django.conf import settings
from django.core.cache import caches
from django.db import DatabaseError
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers

from exosite.ops import versions

from . import compression, memo
from .compression import IDENTITY
from .release import release

logger = logging.getLogger(__name__)

HEADER = "X-Cache"
# Never stored or replayed: recomputed or added by outer middleware for each response.
UNSTORED_HEADERS = frozenset(
    {"content-length", "etag", "set-cookie", "date", "x-request-id", HEADER.lower()}
)
PERSONAL_COOKIES = ("messages",)
NO_STORE = re.compile(r"\b(private|no-store|no-cache)\b")
BYPASS = "bypass"  # stored instead of a page that may not be shared
CONDITIONAL_HEADERS = frozenset(
    {"HTTP_IF_NONE_MATCH", "HTTP_IF_MATCH", "HTTP_IF_MODIFIED_SINCE", "HTTP_IF_UNMODIFIED_SINCE"}
)


def page_cache():
    return caches[settings.EXOSITE_PAGE_CACHE_ALIAS]


class Entry:
    """What is stored for one page. Kept small and plain for pickling.

    `pieces` is the body cut where the page's CSP nonce was (a single piece when it used
    none), `hole` the nonce's length (0 for none), `encoded` the compressed variants made
    from the pieces ({"br": parts, "gzip": parts}, see compression.encode; None for a
    coding that could not be made), `etag` the identity variant's ETag. `encoded` is None
    for a page that is not compressed at all (small, or not text).

    Each variant is made once per stored page, when a request first asks for it (the
    miss that stored the page, or a later hit), and stored with the page: a hit never
    compresses what an earlier one did, and a page nobody asks compressed (such as the
    one-off addresses of a benchmark's uncached rounds) costs no compression."""

    __slots__ = ("pieces", "encoded", "headers", "etag", "hole", "valid_until", "nbytes")

    def __init__(self, pieces, encoded, headers, etag, hole, valid_until):
        self.pieces = pieces
        self.encoded = encoded
        self.headers = headers
        self.etag = etag
        self.hole = hole
        self.valid_until = valid_until
        self.nbytes = self.measure()

    def __getstate__(self):
        return (self.pieces, self.encoded, self.headers, self.etag, self.hole, self.valid_until)

    def __setstate__(self, state):
        if len(state) != 6:  # stored by other code (release keys make it unlikely): unused
            state = ((b"",), {}, [], '""', 0, datetime.min.replace(tzinfo=UTC))
        self.pieces, self.encoded, self.headers, self.etag, self.hole, self.valid_until = state
        self.nbytes = self.measure()

    def measure(self):
        """Bytes this entry holds in memory (bodies, headers, and the objects around them)."""
        size = 400 + sum(len(piece) + 40 for piece in self.pieces)
        for parts in (self.encoded or {}).values():
            size += 100 + sum(len(part) + 40 for part in parts or ())
        return size + sum(len(name) + len(value) + 120 for name, value in self.headers)

    def etag_for(self, coding):
        # A strong ETag names one sequence of bytes: each variant has its own.
        return self.etag if coding == IDENTITY else f'{self.etag[:-1]}-{coding}"'

    def body(self, coding, nonce):
        parts = self.pieces if coding == IDENTITY else self.encoded[coding]
        return compression.fill(coding, parts, nonce, self.pieces)


class LocalPages:
    """The most recently used pages of this process, as Entry objects, in front of the
    shared cache: a hit then costs no unpickling (and no Redis round trip). It can never
    be stale: a key names one version of one page (content version, release, address),
    and a content version is never reused within an epoch.

    Bounded in bytes (every variant counted): `max_bytes`, by default
    settings.EXOSITE_LOCAL_PAGES_BYTES; the least recently used pages go first, and a page
    over a quarter of the budget is not kept (one page must not empty the rest)."""

    def __init__(self, max_bytes=None):
        self._max_bytes = max_bytes
        self._items = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    @property
    def max_bytes(self):
        if self._max_bytes is not None:
            return self._max_bytes
        return settings.EXOSITE_LOCAL_PAGES_BYTES

    @property
    def nbytes(self):
        return self._bytes

    def __len__(self):
        return len(self._items)

    def get(self, key):
        with self._lock:
            entry = self._items.get(key)
            if entry is not None:
                self._items.move_to_end(key)
            return entry

    def put(self, key, entry):
        limit = self.max_bytes
        size = entry.nbytes
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self._bytes -= old.nbytes
            if size > limit // 4:
                return
            self._items[key] = entry
            self._bytes += size
            while self._bytes > limit:
                _, evicted = self._items.popitem(last=False)
                self._bytes -= evicted.nbytes

    def clear(self):
        with self._lock:
            self._items.clear()
            self._bytes = 0


class PageCacheMiddleware:
    """Sits after the CSP middleware (so every response, hit or not, gets its CSP and
    security headers) and before the session, CSRF and auth middleware (which a hit skips,
    and whose cookies and Vary headers it must see to decide what may be stored)."""

    def __init__(self, get_response):
        self.get_response = get_response
        release()  # hashed once per process, at start-up rather than on the first request

    def __call__(self, request):
        if not (settings.EXOSITE_PAGE_CACHE and self.cacheable_request(request)):
            return self.personal(request, self.get_response(request))
        now = timezone.now()
        try:
            # First the version, then the content: see exosite.ops.versions.
            version = versions.current()
        except DatabaseError:
            logger.exception("Page cache bypassed: the content version could not be read")
            return self.get_response(request)
        key = self.key(request, version)
        entry = self.local.get(key)
        if self.usable(entry, now):
            return self.serve(request, entry, "hit", key=key)
        cache = page_cache()
        entry = cache.get(key)
        if self.usable(entry, now):
            self.local.put(key, entry)
            return self.serve(request, entry, "hit", key=key)
        if request.method != "GET" or entry == BYPASS:
            return self.bypass(request, self.get_response(request))
        with self.rendering(key) as first:
            if not first:
                # Another thread of this process has just rendered the same page.
                entry = cache.get(key)
                if self.usable(entry, now):
                    return self.serve(request, entry, "hit", key=key)
            response = self.get_response(request)
            entry = self.make_entry(request, response)
            if entry is not None and entry.encoded is not None:
                wanted = compression.negotiate(request)
                if wanted != IDENTITY:
                    self.variant(entry, wanted, key=None)  # stored with the page, below
            if entry is None:
                # Noted for a minute, so that other requests for it need not queue behind
                # one another in `rendering` (a page with a form is rendered every time).
                cache.set(key, BYPASS, 60)
            else:
                cache.set(key, entry, settings.EXOSITE_PAGE_CACHE_TIMEOUT)
                self.local.put(key, entry)
        if entry is None:
            return self.bypass(request, response)
        if "Cache-Control" not in response:
            response["Cache-Control"] = dict(entry.headers)["Cache-Control"]
        return self.serve(request, entry, "miss", response, key=key)

    _inflight = {}
    _inflight_lock = threading.Lock()
    local = memo.register_clearable(LocalPages())

    @staticmethod
    def usable(entry, now):
        return isinstance(entry, Entry) and (entry.valid_until is None or now < entry.valid_until)

    @classmethod
    @contextmanager
    def rendering(cls, key, wait=10.0):
        """Yield True to the first thread that misses `key`; the others of the same process
        wait (up to `wait` seconds) for it to finish, then yield False and look again. A
        page that expires under load is then rendered once per process, not once per
        thread."""
        with cls._inflight_lock:
            done = cls._inflight.get(key)
            first = done is None
            if first:
                done = cls._inflight[key] = threading.Event()
        if not first:
            done.wait(wait)
            yield False
            return
        try:
            yield True
        finally:
            with cls._inflight_lock:
                cls._inflight.pop(key, None)
            done.set()

    @staticmethod
    def cacheable_request(request):
        if request.method not in ("GET", "HEAD"):
            return False
        if request.path_info.startswith(tuple(settings.EXOSITE_PAGE_CACHE_SKIP)):
            return False
        if "HTTP_AUTHORIZATION" in request.META:
            return False
        cookies = request.COOKIES
        personal = (settings.SESSION_COOKIE_NAME, settings.LANGUAGE_COOKIE_NAME)
        return not any(name in cookies for name in personal + PERSONAL_COOKIES)

    @staticmethod
    def key(request, version):
        raw = "|".join(
            (release(), version, request.scheme, request.get_host(), request.get_full_path())
        )
        return "page:" + hashlib.blake2b(raw.encode(), digest_size=16).hexdigest()

    # -- storing ---------------------------------------------------------------------

    def make_entry(self, request, response):
        """An Entry for `response`, or None when it must not be shared."""
        if response.status_code != 200 or response.streaming or response.cookies:
            return None
        if NO_STORE.search(response.get("Cache-Control", "")):
            return None
        if response.has_header("Content-Encoding"):
            return None
        vary = {v.strip().lower() for v in response.get("Vary", "").split(",") if v.strip()}
        # Vary: Cookie is set whenever the session was looked at; the request had no session
        # cookie (see cacheable_request), so the page is the anonymous one.
        if vary - {"cookie"}:
            return None
        body = response.content
        pieces, hole = (body,), 0
        nonce = getattr(request, "_csp_nonce", None)
        if nonce:  # a LazyNonce is true once it has been generated
            used = str(nonce).encode()
            if used in body:
                pieces, hole = tuple(body.split(used)), len(used)
        stable = b"".join(pieces)
        etag = f'"{hashlib.blake2b(stable, digest_size=16).hexdigest()}"'
        encoded = self.encode(response, len(stable))
        if encoded is not None:
            patch_vary_headers(response, ("Accept-Encoding",))
        headers = [
            (name, value)
            for name, value in response.items()
            if name.lower() not in UNSTORED_HEADERS
        ]
        if "Cache-Control" not in response:
            headers.append(("Cache-Control", self.cache_control(shared=not hole)))
        return Entry(pieces, encoded, headers, etag, hole, versions.next_publication())

    @staticmethod
    def encode(response, size):
        """{} for a page that may be sent compressed (its variants are made when first
        asked for: `variant`), None for one that is not compressed at all."""
        if size < compression.MIN_SIZE or not compression.compressible(response):
            return None
        return {}

    def variant(self, entry, coding, key):
        """Make `entry`'s `coding` variant if nobody has yet, and store the entry with it
        (the page cache and this process's pages): once per stored page and coding."""
        size = sum(map(len, entry.pieces))
        parts = compression.encode(coding, entry.pieces, entry.hole)
        if parts is None:
            logger.info("No %s variant for %s (nonce block refused)", coding, key)
        elif sum(map(len, parts)) >= size:
            parts = None  # no smaller: the plain page is sent
        entry.encoded = {**entry.encoded, coding: parts}
        entry.nbytes = entry.measure()
        if key is not None:
            page_cache().set(key, entry, settings.EXOSITE_PAGE_CACHE_TIMEOUT)
            self.local.put(key, entry)

    @staticmethod
    def cache_control(shared):
        """Revalidate every time (a 304 costs little): the next request after a change
        must see it. Pages with a nonce are for one response only, so never shared."""
        value = "max-age=0, must-revalidate, " + ("public" if shared else "private")
        if shared and settings.EXOSITE_CACHE_SHARED_MAX_AGE:
            value += f", s-maxage={settings.EXOSITE_CACHE_SHARED_MAX_AGE}"
        return value

    # -- answering -------------------------------------------------------------------

    def coding(self, request, entry, nonce, key):
        """The variant to send: what Accept-Encoding allows, if the page has it (made now
        if this is the first request to ask for it)."""
        coding = compression.negotiate(request)
        if coding == IDENTITY or entry.encoded is None:
            return IDENTITY
        if entry.hole and len(nonce) != entry.hole:
            return IDENTITY
        if coding not in entry.encoded:
            self.variant(entry, coding, key)
        return coding if entry.encoded[coding] is not None else IDENTITY

    def serve(self, request, entry, outcome, response=None, key=None):
        """The stored page in the coding the request asks for, with a fresh nonce, or a
        304. `response` is the one just rendered, on a miss (its headers are kept)."""
        # A fresh nonce for this response; the CSP middleware sends the same one.
        nonce = str(request._csp_nonce).encode() if entry.hole else b""
        coding = self.coding(request, entry, nonce, key)
        body = entry.body(coding, nonce)
        if response is None:
            response = HttpResponse(body)
            for name, value in entry.headers:
                response[name] = value
        else:
            response.content = body
        if coding != IDENTITY:
            response["Content-Encoding"] = coding
        etag = response["ETag"] = entry.etag_for(coding)
        # Set here because CommonMiddleware, which would, is not reached on a hit; without
        # it the server falls back to chunked encoding.
        response["Content-Length"] = str(len(body))
        response.encoded_by_page_cache = True  # compression.CompressionMiddleware: done
        return self.answer(request, response, etag, entry.hole, outcome)

    @staticmethod
    def answer(request, response, etag, has_nonce, outcome):
        """`response`, or a 304 when the client already has this variant of the page."""
        response[HEADER] = outcome
        if not CONDITIONAL_HEADERS.intersection(request.META):
            return response
        answer = get_conditional_response(request, etag=etag, response=response)
        if answer is not response:
            answer[HEADER] = outcome
            answer.encoded_by_page_cache = True
            if has_nonce and answer.status_code == 304:
                # The browser keeps the body it has, with the nonce of the CSP it came
                # with: a new CSP header would replace that one and no longer match.
                answer._csp_config = {}
                answer._csp_ro_config = {}
        return answer

    def bypass(self, request, response):
        if request.method == "GET":
            response[HEADER] = "bypass"
        return self.personal(request, response)

    @staticmethod
    def personal(request, response):
        """Keep shared caches away from responses made for one visitor (a form with a
        CSRF token, a signed-in editor's page), unless the view chose its own policy."""
        if "Cache-Control" in response:
            return response
        if response.cookies or settings.SESSION_COOKIE_NAME in request.COOKIES:
            patch_cache_control(response, private=True, no_cache=True)
        return response
