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
    body with that nonce replaced by a random placeholder that is never sent, and every hit
    puts a fresh nonce in its place (Django's CSP middleware then sends the same fresh
    nonce in the header). Such pages are `private` to shared caches: a CDN would hand the
    same nonce to everyone. Pages that use no nonce are `public`.

Conditional GET
    Every cached page has a strong ETag (a hash of the body with the nonce taken out, so
    it is the same on every worker) and `Cache-Control: max-age=0, must-revalidate`: a
    browser or CDN revalidates, and gets a 304 until the content changes. A 304 for a
    page with a nonce carries no CSP header, so that the browser keeps the one that
    matches the body it already has.

Redis
    With REDIS_URL set the cache is `ResilientRedisCache`: Django's own Redis backend,
    answering like an empty cache (and trying again a few seconds later) while Redis is
    unreachable, so the site degrades to rendering pages (each process still reusing its
    own recent ones) instead of failing.
"""

import functools
import hashlib
import logging
import os
import re
import secrets
import threading
import time
from collections import OrderedDict
from contextlib import contextmanager
from pathlib import Path

import django
from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control

from .ops import versions

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


@functools.cache
def release():
    """A short hash of what pages are made from besides the content: the code, the
    templates and the static manifest (EXOSITE_RELEASE, when set, replaces it). A deploy
    therefore never serves pages rendered by the previous one."""
    if settings.EXOSITE_RELEASE:
        return settings.EXOSITE_RELEASE
    digest = hashlib.blake2b(django.get_version().encode(), digest_size=8)
    base = Path(settings.BASE_DIR)
    skip = {"node_modules", "staticfiles", "media", "var", "tests", "bench", "__pycache__"}
    files = []
    for folder, subfolders, names in os.walk(base):
        subfolders[:] = sorted(d for d in subfolders if d not in skip and not d.startswith("."))
        files += [
            Path(folder) / name
            for name in sorted(names)
            if name.endswith((".py", ".html", ".txt", ".xml", ".json"))
        ]
    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    if manifest.is_file():
        files.append(manifest)
    for path in files:
        digest.update(str(path.relative_to(base) if path.is_relative_to(base) else path).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def page_cache():
    return caches[settings.EXOSITE_PAGE_CACHE_ALIAS]


def for_content(key, compute):
    """`compute()`, kept in the default cache until what visitors can see changes (any
    content write, or a scheduled item going live: exosite.ops.versions.live) or the code
    does (a deploy: `release()`).

    For what pages show that depends only on content (an article's rendered parts, lists,
    related content, backlinks), so that a page the page cache cannot keep (or has not
    kept yet) is still cheap to render.
    Inside a transaction the value is computed afresh: the version read there may yet be
    rolled back."""
    connection = connections[DEFAULT_DB_ALIAS]
    if connection.in_atomic_block or not versions.supported():
        return compute()
    full_key = f"content:{key}:{release()}:{versions.live()}"
    value = cache.get(full_key)
    if value is None:
        value = compute()
        cache.set(full_key, value, settings.EXOSITE_PAGE_CACHE_TIMEOUT)
    return value


class Entry:
    """What is stored for one page. Kept small and plain for pickling."""

    __slots__ = ("body", "headers", "etag", "placeholder", "valid_until")

    def __init__(self, body, headers, etag, placeholder, valid_until):
        self.body = body
        self.headers = headers
        self.etag = etag
        self.placeholder = placeholder
        self.valid_until = valid_until

    def __getstate__(self):
        return (self.body, self.headers, self.etag, self.placeholder, self.valid_until)

    def __setstate__(self, state):
        self.body, self.headers, self.etag, self.placeholder, self.valid_until = state


class LocalPages:
    """The most recently used pages of this process, as Entry objects, in front of the
    shared cache: a hit then costs no unpickling (and no Redis round trip). It can never
    be stale: a key names one version of one page (content version, release, address),
    and a content version is never reused within an epoch."""

    def __init__(self, max_bytes=32 * 1024 * 1024):
        self.max_bytes = max_bytes
        self._items = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key):
        with self._lock:
            entry = self._items.get(key)
            if entry is not None:
                self._items.move_to_end(key)
            return entry

    def put(self, key, entry):
        size = len(entry.body)
        if size > self.max_bytes // 4:
            return
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self._bytes -= len(old.body)
            self._items[key] = entry
            self._bytes += size
            while self._bytes > self.max_bytes:
                _, evicted = self._items.popitem(last=False)
                self._bytes -= len(evicted.body)

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
            return self.answer(request, self.from_entry(request, entry), entry, "hit")
        cache = page_cache()
        entry = cache.get(key)
        if self.usable(entry, now):
            self.local.put(key, entry)
            return self.answer(request, self.from_entry(request, entry), entry, "hit")
        if request.method != "GET" or entry == BYPASS:
            return self.bypass(request, self.get_response(request))
        with self.rendering(key) as first:
            if not first:
                # Another thread of this process has just rendered the same page.
                entry = cache.get(key)
                if self.usable(entry, now):
                    return self.answer(request, self.from_entry(request, entry), entry, "hit")
            response = self.get_response(request)
            entry = self.make_entry(request, response)
            if entry is None:
                # Noted for a minute, so that other requests for it need not queue behind
                # one another in `rendering` (a page with a form is rendered every time).
                cache.set(key, BYPASS, 60)
            else:
                cache.set(key, entry, settings.EXOSITE_PAGE_CACHE_TIMEOUT)
                self.local.put(key, entry)
        if entry is None:
            return self.bypass(request, response)
        response["ETag"] = entry.etag
        if "Cache-Control" not in response:
            response["Cache-Control"] = dict(entry.headers)["Cache-Control"]
        return self.answer(request, response, entry, "miss")

    _inflight = {}
    _inflight_lock = threading.Lock()
    local = LocalPages()

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
        placeholder = None
        nonce = getattr(request, "_csp_nonce", None)
        stable = body
        if nonce:  # a LazyNonce is true once it has been generated
            used = str(nonce).encode()
            if used in body:
                placeholder = secrets.token_urlsafe(24).encode()
                stable = body.replace(used, b"")
                body = body.replace(used, placeholder)
        etag = f'"{hashlib.blake2b(stable, digest_size=16).hexdigest()}"'
        headers = [
            (name, value)
            for name, value in response.items()
            if name.lower() not in UNSTORED_HEADERS
        ]
        if "Cache-Control" not in response:
            headers.append(("Cache-Control", self.cache_control(shared=placeholder is None)))
        return Entry(body, headers, etag, placeholder, versions.next_publication())

    @staticmethod
    def cache_control(shared):
        """Revalidate every time (a 304 costs little): the next request after a change
        must see it. Pages with a nonce are for one response only, so never shared."""
        value = "max-age=0, must-revalidate, " + ("public" if shared else "private")
        if shared and settings.EXOSITE_CACHE_SHARED_MAX_AGE:
            value += f", s-maxage={settings.EXOSITE_CACHE_SHARED_MAX_AGE}"
        return value

    # -- answering -------------------------------------------------------------------

    @staticmethod
    def from_entry(request, entry):
        body = entry.body
        if entry.placeholder:
            # A fresh nonce for this response; the CSP middleware sends the same one.
            body = body.replace(entry.placeholder, str(request._csp_nonce).encode())
        response = HttpResponse(body)
        for name, value in entry.headers:
            response[name] = value
        response["ETag"] = entry.etag
        # Set here because CommonMiddleware, which would, is not reached on a hit; without
        # it the server falls back to chunked encoding.
        response["Content-Length"] = str(len(body))
        return response

    @staticmethod
    def answer(request, response, entry, outcome):
        """`response`, or a 304 when the client already has this version of the page."""
        response[HEADER] = outcome
        if not CONDITIONAL_HEADERS.intersection(request.META):
            return response
        answer = get_conditional_response(request, etag=entry.etag, response=response)
        if answer is not response:
            answer[HEADER] = outcome
            if entry.placeholder and answer.status_code == 304:
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


# -- Redis ---------------------------------------------------------------------------------


class ResilientRedisCache(RedisCache):
    """Django's Redis cache backend that answers like an empty cache while Redis cannot
    be reached, instead of raising: the site then renders every page (slower, still
    correct). After a failure it leaves Redis alone for `retry_after` seconds, so a dead
    server costs one connection attempt per process every few seconds, not one per call."""

    retry_after = 5.0

    def __init__(self, server, params):
        super().__init__(server, params)
        self._down_until = 0.0

    def _call(self, name, default, *args, **kwargs):
        if time.monotonic() < self._down_until:
            return default
        try:
            result = getattr(super(), name)(*args, **kwargs)
        except Exception as exc:
            if not _is_redis_error(exc):
                raise
            if not self._down_until:
                logger.warning("Redis unreachable, serving without cache: %s", exc)
            self._down_until = time.monotonic() + self.retry_after
            return default
        if self._down_until:
            logger.warning("Redis reachable again: caching resumes")
            self._down_until = 0.0
        return result

    def get(self, key, default=None, version=None):
        return self._call("get", default, key, default, version)

    def get_many(self, keys, version=None):
        return self._call("get_many", {}, keys, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set", None, key, value, timeout, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set_many", list(data), data, timeout, version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("add", False, key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", False, key, timeout, version)

    def delete(self, key, version=None):
        return self._call("delete", False, key, version)

    def delete_many(self, keys, version=None):
        return self._call("delete_many", None, keys, version)

    def has_key(self, key, version=None):
        return self._call("has_key", False, key, version)

    def incr(self, key, delta=1, version=None):
        return self._call("incr", None, key, delta, version)

    def clear(self):
        return self._call("clear", None)

    def ping(self):
        """Raise if Redis cannot be reached (for the health check)."""
        return self._cache.get_client(write=True).ping()


def _is_redis_error(exc):
    try:
        from redis.exceptions import RedisError
    except ImportError:  # pragma: no cover - only used with the redis package installed
        return isinstance(exc, OSError)
    return isinstance(exc, RedisError | OSError)


def check(alias="default"):
    """(ok, backend name, error) for the health check: a real round trip."""
    cache = caches[alias]
    name = type(cache).__name__
    try:
        if isinstance(cache, ResilientRedisCache):
            cache.ping()
        else:
            token = secrets.token_hex(8)
            cache.set("healthz", token, 10)
            if cache.get("healthz") != token:
                return False, name, "read back a different value"
    except Exception as exc:  # any failure means unhealthy
        return False, name, type(exc).__name__
    return True, name, ""
