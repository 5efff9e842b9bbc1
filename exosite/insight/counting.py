"""Counters kept in each process and written in batches.

A page view or a search adds one to a counter in this process's memory (a dict under a
lock: about a microsecond). Every EXOSITE_INSIGHT_FLUSH_SECONDS, or once
EXOSITE_INSIGHT_FLUSH_HITS have been counted, the request that notices writes them all in
one transaction, one statement per table:

    INSERT ... VALUES (...), (...) ON CONFLICT (day, period, ...) DO UPDATE
        SET views = insight_itemday.views + excluded.views

which adds to the row in the database rather than replacing it, so any number of
processes (and servers) can write the same day's rows at once, on SQLite and on
PostgreSQL. What a process has not written yet is written when it exits; a process that is
killed loses at most that much.

Only what the rows hold is kept: the day, the item (kind, id, language) or the normalised
query and language, and numbers. Nothing from the request that could tell visitors apart
(address, cookie, user agent, a visitor id) is read into a counter.
"""

import logging
import re
import threading
import time
import unicodedata

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from exosite.kernel import memo
from exosite.search.query import CONTROL, WORD

logger = logging.getLogger(__name__)

# Self-announced robots, and tools that are not a person reading: not counted. Case-blind.
BOTS = re.compile(
    r"bot|crawl|spider|slurp|scrape|fetch|monitor|preview|archiv|headless|lighthouse|"
    r"curl|wget|python|httpx|aiohttp|go-http|java/|okhttp|libwww|feed|facebookexternalhit",
    re.IGNORECASE,
)
MAX_QUERY = 200
# Queries that look like an email address or a phone number are counted, but not kept as
# typed: people sometimes search for themselves.
PERSONAL = re.compile(r"@|\d[\d\s().+-]{6,}\d")
WITHHELD = "[withheld: looked like an email address or phone number]"


def is_bot(user_agent):
    """Self-announced robots and requests with no user agent at all (no browser sends
    none); the user agent is only looked at, never kept."""
    return not user_agent or BOTS.search(user_agent) is not None


def normalise(raw):
    """A query as counted and matched: its words in lower case, accents kept, single
    spaces ("  Stem-Cell CLINICS? " -> "stem cell clinics")."""
    text = CONTROL.sub(" ", unicodedata.normalize("NFKC", raw or ""))
    if PERSONAL.search(text):
        return WITHHELD
    return " ".join(WORD.findall(text.casefold()))[:MAX_QUERY].strip()


ITEM_SQL = (
    "INSERT INTO insight_itemday (day, period, kind, object_id, language, views, picks) "
    "VALUES {values} ON CONFLICT (day, period, kind, object_id, language) DO UPDATE SET "
    "views = insight_itemday.views + excluded.views, "
    "picks = insight_itemday.picks + excluded.picks"
)
SEARCH_SQL = (
    "INSERT INTO insight_searchday "
    "(day, period, query, language, searches, empty, results, opened) "
    "VALUES {values} ON CONFLICT (day, period, query, language) DO UPDATE SET "
    "searches = insight_searchday.searches + excluded.searches, "
    "empty = insight_searchday.empty + excluded.empty, "
    # What the latest search found (a batch without searches, only opens, keeps it).
    "results = CASE WHEN excluded.searches > 0 THEN excluded.results "
    "ELSE insight_searchday.results END, "
    "opened = insight_searchday.opened + excluded.opened"
)
ROWS_PER_STATEMENT = 400


def upsert(items, searches, period="day"):
    """Add `items` {(day, kind, object_id, language): [views, picks]} and `searches`
    {(day, query, language): [searches, empty, results, opened]} to the tables."""
    with transaction.atomic(), connection.cursor() as cursor:
        for sql, rows in (
            (ITEM_SQL, [(d, period, k, o, lang, *n) for (d, k, o, lang), n in items.items()]),
            (SEARCH_SQL, [(d, period, q, lang, *n) for (d, q, lang), n in searches.items()]),
        ):
            for start in range(0, len(rows), ROWS_PER_STATEMENT):
                chunk = rows[start : start + ROWS_PER_STATEMENT]
                width = len(chunk[0])
                values = ", ".join(["(" + ", ".join(["%s"] * width) + ")"] * len(chunk))
                cursor.execute(sql.format(values=values), [value for row in chunk for value in row])


class Counters:
    """This process's counts since its last write (see the module's docstring)."""

    # Counts a failed write keeps for the next one, at most (a database that stays down
    # must not fill the memory).
    MAX_KEYS = 50_000

    def __init__(self):
        self._lock = threading.Lock()
        self._flushing = threading.Lock()
        self.clear()

    def clear(self):
        with self._lock:
            self.items = {}
            self.searches = {}
            self.hits = 0
            self.since = time.monotonic()

    def __len__(self):
        return self.hits

    def view(self, kind, object_id, language):
        self._item(kind, object_id, language, 0)

    def pick(self, kind, object_id, language):
        self._item(kind, object_id, language, 1)

    def _item(self, kind, object_id, language, index):
        key = (timezone.localdate(), kind, int(object_id), language)
        with self._lock:
            counts = self.items.get(key)
            if counts is None:
                counts = self.items[key] = [0, 0]
            counts[index] += 1
            self.hits += 1
        self.maybe_flush()

    def search(self, query, language, results):
        key = (timezone.localdate(), query, language)
        with self._lock:
            counts = self.searches.get(key)
            if counts is None:
                counts = self.searches[key] = [0, 0, 0, 0]
            counts[0] += 1
            counts[1] += results == 0
            counts[2] = results
            self.hits += 1
        self.maybe_flush()

    def opened(self, query, language):
        key = (timezone.localdate(), query, language)
        with self._lock:
            counts = self.searches.get(key)
            if counts is None:
                counts = self.searches[key] = [0, 0, 0, 0]
            counts[3] += 1
            self.hits += 1
        self.maybe_flush()

    def due(self):
        if not self.hits:
            return False
        return (
            self.hits >= settings.EXOSITE_INSIGHT_FLUSH_HITS
            or time.monotonic() - self.since >= settings.EXOSITE_INSIGHT_FLUSH_SECONDS
        )

    def maybe_flush(self):
        # One writer per process at a time; the others go on counting meanwhile.
        if self.due() and self._flushing.acquire(blocking=False):
            try:
                self.flush()
            finally:
                self._flushing.release()

    def take(self):
        with self._lock:
            items, searches = self.items, self.searches
            self.items, self.searches, self.hits = {}, {}, 0
            self.since = time.monotonic()
        return items, searches

    def flush(self):
        """Write what was counted; on a database error keep it for the next try (up to
        MAX_KEYS counters). Returns the number of rows written."""
        items, searches = self.take()
        if not items and not searches:
            return 0
        try:
            upsert(items, searches)
        except DatabaseError:
            logger.exception("Insight counters not written; kept for the next try")
            self.put_back(items, searches)
            return 0
        return len(items) + len(searches)

    def put_back(self, items, searches):
        with self._lock:
            for source, target in ((items, self.items), (searches, self.searches)):
                for key, counts in source.items():
                    mine = target.get(key)
                    if mine is None:
                        if len(self.items) + len(self.searches) >= self.MAX_KEYS:
                            continue
                        target[key] = counts
                    else:
                        # Every number adds up but a search's latest result count.
                        for index, value in enumerate(counts):
                            if not (target is self.searches and index == 2):
                                mine[index] += value
            self.hits += 1


counters = Counters()
# Tests roll the database back: what one counted must not be written into the next.
memo.register_clearable(counters)


def flush_at_exit():
    try:
        counters.flush()
    except Exception:  # the interpreter is going away: never raise here
        logger.warning("Insight counters not written at exit", exc_info=True)
