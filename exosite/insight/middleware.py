"""Counting page views and searches, page-cache hits included.

Two pieces, either side of the page cache (exosite.kernel.pagecache, which knows nothing
of them):

- `MarkMiddleware`, inside the page cache, names what a rendered page shows in a response
  header, `X-Exosite-Insight`: "item <kind> <id> <language>" for a published item's own
  page (found from the detail view's `object`), or "search <language> <results> <query>"
  (set by the search view, exosite.insight.hooks.mark_search). The page cache stores the
  header with the page, so every hit carries it too.
- `CountingMiddleware`, outside the page cache, takes the header off every response
  (visitors never see it) and counts what it names (exosite.insight.counting), unless the
  request announces a robot or a prefetch. A 304 from the page cache carries no headers
  of the page: it is counted from what this process last saw at the same address.

Whether a search result was opened: when an item's page is asked for with this site's
own search page as the Referer, one "opened" is counted for that search's query. Chosen
over a `?from=search` marker on result links (every result address would differ from the
item's, and be shared and bookmarked so) and over a click beacon (needs JavaScript, a
POST endpoint anyone can call, and a rate limit that would have to key on the visitor's
address). The Referer is read, never kept; browsers that send none are not counted.

A type-ahead suggestion chosen is a pick: the type-ahead (static/js/typeahead.js) sends
the chosen item's address with `navigator.sendBeacon` to its own endpoint, as a POST
(/search/suggest/, which otherwise only answers GET). This middleware answers it before
sessions and CSRF (the beacon carries nothing to protect: it can only add one to a
published item's picks, as loading the page adds one to its views), at most
`PICKS_PER_MINUTE` per client address, counted in the cache for a minute under a keyed
hash and never written anywhere. The address answers 204 whatever it was sent.
"""

import logging
import threading
from urllib.parse import parse_qsl, quote, urlsplit

from django.core.exceptions import DisallowedHost
from django.http import HttpResponse
from django.urls import NoReverseMatch

from exosite.kernel import kinds, languages
from exosite.kernel.ratelimit import client_id, counted_in_cache

from . import items
from .counting import config, counters, is_bot, normalise

logger = logging.getLogger(__name__)

HEADER = "X-Exosite-Insight"
PICKS_PER_MINUTE = 30
MAX_BEACON = 400
PREFETCH = ("prefetch", "prerender")


def item_mark(obj):
    kind = kinds.for_model(type(obj))
    if kind is None:
        return None
    return f"item {kind.name} {obj.pk} {getattr(obj, 'language', '') or languages.SOURCE}"


def search_mark(query, language, results):
    return f"search {language} {int(results)} {quote(query)}"


class MarkMiddleware:
    """Names the published item a detail page shows (see the module's docstring)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.method != "GET" or response.status_code != 200 or HEADER in response:
            return response
        obj = (getattr(response, "context_data", None) or {}).get("object")
        if obj is None or getattr(obj, "pk", None) is None:
            return response
        kind = kinds.for_model(type(obj))
        match = request.resolver_match
        view = getattr(getattr(match, "func", None), "view_class", None)
        if (
            kind is None
            or view is None
            or f"{view.__module__}.{view.__qualname__}" != (kind.detail_view)
        ):
            return response  # a preview, a share link, or a page that only lists the item
        if not getattr(obj, "is_published", True):
            return response
        response[HEADER] = item_mark(obj)
        return response


class CountingMiddleware:
    """Counts what `MarkMiddleware` or the search view named (see the module's docstring)."""

    SEEN = 4096  # addresses remembered for counting a 304

    def __init__(self, get_response):
        self.get_response = get_response
        self._seen = {}  # insertion-ordered: the oldest first
        self._lock = threading.Lock()
        self._search_paths = None
        self._suggest_paths = None

    def __call__(self, request):
        # Every page passes here, and a cached one costs a couple of hundred microseconds
        # in all: what follows is written for the few it may add (bench/insight.py).
        method = request.method
        if method == "POST" and request.path_info in self.suggest_paths():
            return self.pick(request)
        response = self.get_response(request)
        headers = response.headers
        mark = headers.get(HEADER)
        if mark is not None:
            del headers[HEADER]
        if method != "GET" or not config.on:
            return response
        status = response.status_code
        meta = request.META
        if status == 200:
            if mark is None:
                return response
            address = meta.get("PATH_INFO", "") + "?" + meta.get("QUERY_STRING", "")
            if self._seen.get(address) != mark:
                self.remember(address, mark)
        elif status == 304:
            mark = self._seen.get(meta.get("PATH_INFO", "") + "?" + meta.get("QUERY_STRING", ""))
            if mark is None:
                return response
        else:
            return response
        if self.counts(meta):
            try:
                self.count(meta, mark, request)
            except Exception:  # counting never costs a visitor the page
                logger.exception("Not counted: %r", mark)
        return response

    # -- type-ahead picks -----------------------------------------------------------

    def suggest_paths(self):
        if self._suggest_paths is None:
            self._suggest_paths = frozenset(self.paths_of("search-suggest"))
        return self._suggest_paths

    def pick(self, request):
        response = HttpResponse(status=204)
        response["Cache-Control"] = "no-store"
        if not config.on or not self.counts(request.META):
            return response
        try:
            size = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return response
        if not 0 < size <= MAX_BEACON or not self.within_rate(request):
            return response
        try:
            path = urlsplit(request.read(MAX_BEACON).decode("utf-8").strip()).path
        except (OSError, UnicodeDecodeError, ValueError):
            return response
        found = items.at_path(path)
        if found is not None:
            counters.pick(*found)
        return response

    @staticmethod
    def within_rate(request):
        limit, used, _ = counted_in_cache(
            "insight-picks", client_id(request), f"{PICKS_PER_MINUTE}/m"
        )
        return used <= limit

    @staticmethod
    def counts(meta):
        """Not a prefetch, not a robot."""
        if "HTTP_SEC_PURPOSE" in meta or "HTTP_PURPOSE" in meta or "HTTP_X_MOZ" in meta:
            purpose = (
                meta.get("HTTP_SEC_PURPOSE", "")
                or meta.get("HTTP_PURPOSE", "")
                or meta.get("HTTP_X_MOZ", "")
            )
            if purpose.startswith(PREFETCH):
                return False
        return not is_bot(meta.get("HTTP_USER_AGENT", ""))

    def count(self, meta, mark, request):
        counters.mark(mark)  # read and added up when written (counting.Counters.take)
        if "q=" in meta.get("HTTP_REFERER", "") and mark.startswith("item "):
            opened_from = self.search_referer(request)
            if opened_from is not None:
                query, language = opened_from
                counters.mark(f"opened {language} {quote(query)}")

    # -- 304s ------------------------------------------------------------------------

    def remember(self, address, mark):
        """What the page at `address` (path and query string) names, for its 304s: the
        most recent SEEN addresses (by first sight; recency is not worth a lock a hit)."""
        with self._lock:
            self._seen[address] = mark
            while len(self._seen) > self.SEEN:
                del self._seen[next(iter(self._seen))]

    # -- opened from search ------------------------------------------------------------

    @staticmethod
    def paths_of(name):
        """{address of view `name` in each language: the language}."""
        paths = {}
        for code in languages.codes():
            try:
                paths[languages.reverse(name, code)] = code
            except NoReverseMatch:
                continue
        return paths

    def search_paths(self):
        if self._search_paths is None:
            self._search_paths = self.paths_of("search")
        return self._search_paths

    def search_referer(self, request):
        """(normalised query, language) when the Referer is this site's search page."""
        referer = request.META.get("HTTP_REFERER", "")
        if "q=" not in referer:
            return None
        try:
            parts = urlsplit(referer)
            host = request.get_host()
        except (ValueError, DisallowedHost):
            return None
        language = self.search_paths().get(parts.path)
        if parts.netloc != host or language is None:
            return None
        params = dict(parse_qsl(parts.query))
        if params.get("kind") or params.get("tag"):
            return None  # counted searches are unfiltered (hooks.mark_search)
        query = normalise(params.get("q", ""))
        return (query, language) if query else None
