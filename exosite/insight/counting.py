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
from collections import Counter, deque
from datetime import datetime, timedelta
from urllib.parse import unquote

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.dispatch import receiver
from django.test.signals import setting_changed
from django.utils import timezone

from exosite.kernel import memo
from exosite.search.query import CONTROL, WORD

logger = logging.getLogger(__name__)

# Self-announced robots, and tools that are not a person reading: not counted. Looked for
# as plain substrings of the lower-cased user agent (a regular expression of the same
# words cost a cached page 15 times as much: bench/README.md, "Insight").
BOT_WORDS = (
    "bot", "crawl", "spider", "slurp", "scrape", "fetch", "monitor", "preview", "archiv",
    "headless", "lighthouse", "curl", "wget", "python", "httpx", "aiohttp", "go-http",
    "java/", "okhttp", "libwww", "feed", "facebookexternalhit",
)  # fmt: skip
MAX_QUERY = 200
# Queries that look like an email address or a phone number are counted, but not kept as
# typed: people sometimes search for themselves.
PERSONAL = re.compile(r"@|\d[\d\s().+-]{6,}\d")
WITHHELD = "[withheld: looked like an email address or phone number]"


def is_bot(user_agent):
    """Self-announced robots and requests with no user agent at all (no browser sends
    none); the user agent is only looked at, never kept."""
    if not user_agent:
        return True
    lowered = user_agent.lower()
    for word in BOT_WORDS:  # noqa: SIM110 - twice as fast as any() over a generator
        if word in lowered:
            return True
    return False


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
    {(day, query, language): [searches, empty, results, opened]} to the tables.

    Rows go in sorted by key, items before searches, so every writer locks the rows it
    adds to in the same order: two processes adding to rows A and B cannot each hold one
    and wait for the other (PostgreSQL's "deadlock detected", which rolled back a batch in
    most runs of four writers before the rows were sorted)."""
    with transaction.atomic(), connection.cursor() as cursor:
        for sql, rows in (
            (
                ITEM_SQL,
                [(d, period, k, o, lang, *items[d, k, o, lang]) for d, k, o, lang in sorted(items)],
            ),
            (
                SEARCH_SQL,
                [(d, period, q, lang, *searches[d, q, lang]) for d, q, lang in sorted(searches)],
            ),
        ):
            for start in range(0, len(rows), ROWS_PER_STATEMENT):
                chunk = rows[start : start + ROWS_PER_STATEMENT]
                width = len(chunk[0])
                values = ", ".join(["(" + ", ".join(["%s"] * width) + ")"] * len(chunk))
                cursor.execute(sql.format(values=values), [value for row in chunk for value in row])


class Config:
    """The settings a counted request reads, kept as plain attributes: Django's settings
    object costs a few microseconds a look-up, and a cached page a few hundred in all."""

    def __init__(self):
        self.load()

    def load(self):
        self.on = settings.EXOSITE_INSIGHT
        self.hits = settings.EXOSITE_INSIGHT_FLUSH_HITS
        self.seconds = settings.EXOSITE_INSIGHT_FLUSH_SECONDS


config = Config()


@receiver(setting_changed)
def _reload(setting, **kwargs):
    if setting.startswith("EXOSITE_INSIGHT") or setting == "TIME_ZONE":
        config.load()
        counters.day_until = 0.0


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
            # (day, mark) of each page view or search the middleware counted, added up
            # only when written (`take`): appending is all a cached page pays for.
            self.marks = deque()
        self.day, self.day_until = None, 0.0

    def mark(self, mark):
        """Count what a response named (middleware: "item <kind> <id> <language>",
        "search <language> <results> <quoted query>", "opened <language> <quoted query>")."""
        day = self.day if time.time() < self.day_until else self.today()
        marks = self.marks
        marks.append((day, mark))  # atomic: no lock
        if len(marks) >= config.hits or time.monotonic() - self.since >= config.seconds:
            self.maybe_flush()

    def today(self):
        """The local date, worked out again only after midnight (`timezone.localdate()`
        costs more than the rest of counting a view)."""
        now = time.time()
        if now >= self.day_until:
            local = timezone.localtime()
            midnight = datetime.combine(local.date() + timedelta(days=1), datetime.min.time())
            midnight = timezone.make_aware(midnight, local.tzinfo)
            self.day, self.day_until = local.date(), midnight.timestamp()
        return self.day

    def __len__(self):
        return self.hits + len(self.marks)

    def view(self, kind, object_id, language):
        self._item(kind, object_id, language, 0)

    def pick(self, kind, object_id, language):
        self._item(kind, object_id, language, 1)

    def _item(self, kind, object_id, language, index):
        day = self.day if time.time() < self.day_until else self.today()
        key = (day, kind, object_id, language)
        with self._lock:
            counts = self.items.get(key)
            if counts is None:
                counts = self.items[key] = [0, 0]
            counts[index] += 1
            self.hits += 1
        if self.hits >= config.hits or time.monotonic() - self.since >= config.seconds:
            self.maybe_flush()

    def search(self, query, language, results):
        key = (self.today(), query, language)
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
        key = (self.today(), query, language)
        with self._lock:
            counts = self.searches.get(key)
            if counts is None:
                counts = self.searches[key] = [0, 0, 0, 0]
            counts[3] += 1
            self.hits += 1
        self.maybe_flush()

    def due(self):
        hits = len(self)
        if not hits:
            return False
        return hits >= config.hits or time.monotonic() - self.since >= config.seconds

    def maybe_flush(self):
        # One writer per process at a time; the others go on counting meanwhile.
        if self.due() and self._flushing.acquire(blocking=False):
            try:
                self.flush()
            finally:
                self._flushing.release()

    def take(self):
        marks = self.marks
        # Those appended meanwhile stay for the next write.
        taken = Counter(marks.popleft() for _ in range(len(marks)))
        with self._lock:
            items, searches = self.items, self.searches
            self.items, self.searches, self.hits = {}, {}, 0
            self.since = time.monotonic()
        for (day, mark), count in taken.items():
            parts = mark.split(" ")
            what = parts[0]
            if what == "item":
                key = (day, parts[1], int(parts[2]), parts[3])
                counts = items.setdefault(key, [0, 0])
                counts[0] += count
            elif what in ("search", "opened"):
                query = unquote(parts[-1])
                counts = searches.setdefault((day, query, parts[1]), [0, 0, 0, 0])
                if what == "search":
                    results = int(parts[2])
                    counts[0] += count
                    counts[1] += count if results == 0 else 0
                    counts[2] = results
                else:
                    counts[3] += count
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
