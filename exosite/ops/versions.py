"""The content version: one number the database raises whenever public content changes.

Triggers on every content table (the tables of every app that declared a content kind,
`watch_app`, less the tables visitors write to, each app config's `visitor_models`, and
revision history) bump the single
`ops_contentversion` row in the same transaction as the change, so the new version and
the new content become visible together. Readers take the version first and the content
after: a page can only ever be stored under a version older than its content (and so is
never served again), never the other way round.

- SQLite: a row trigger per table and operation (SQLite has no statement triggers;
  writers are serialised anyway).
- PostgreSQL: a statement trigger per table (a bulk insert bumps once). The row lock is
  held from a transaction's first content write until it commits, which serialises
  concurrent editorial saves (a few per minute), never visitors' reads.

The row is re-created with a new random epoch if it is missing (after `flush`), so keys
made before never match again.
"""

import contextvars
import hashlib
import logging
import secrets

from django.apps import apps
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.db.models import Max, Min, Q
from django.utils import timezone

from exosite.kernel import memo
from exosite.models import Publishable, Status

logger = logging.getLogger(__name__)

TABLE = "ops_contentversion"
TRIGGER_PREFIX = "ops_cv_"

SQLITE_TRIGGER = """
CREATE TRIGGER IF NOT EXISTS "{name}" AFTER {operation} ON "{table}" BEGIN
  INSERT INTO ops_contentversion (id, counter, epoch)
  VALUES (1, 1, lower(hex(randomblob(8))))
  ON CONFLICT (id) DO UPDATE SET counter = counter + 1;
END
"""

POSTGRES_FUNCTION = """
CREATE OR REPLACE FUNCTION ops_bump_content_version() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO ops_contentversion (id, counter, epoch)
  VALUES (1, 1, md5(random()::text || clock_timestamp()::text))
  ON CONFLICT (id) DO UPDATE SET counter = ops_contentversion.counter + 1;
  RETURN NULL;
END
$$
"""

POSTGRES_TRIGGER = """
CREATE TRIGGER "{name}" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "{table}"
FOR EACH STATEMENT EXECUTE FUNCTION ops_bump_content_version()
"""


def _is_history(model):
    # django-simple-history's revision tables: writing a revision changes no public page.
    return any(base.__name__ == "HistoricalChanges" for base in model.__mro__)


# The apps whose tables make up public pages: the kernel's own and the tag vocabulary's,
# and every app that registers a content kind (exosite.kernel.kinds.register).
_watched_apps = {"exosite": None, "taggit": None}


def watch_app(label):
    """Count every table of app `label` as content (but its `visitor_models`)."""
    _watched_apps.setdefault(label, None)


def tracked_models():
    """The models whose tables feed public pages. Tables written by visitors (an app
    config's `visitor_models`: questions sent, votes, feedback) are left out, or each
    question sent would empty the page cache."""
    models = []
    for label in _watched_apps:
        try:
            config = apps.get_app_config(label)
        except LookupError:
            continue
        ignored = set(getattr(config, "visitor_models", ()))
        for model in config.get_models(include_auto_created=True):
            meta = model._meta
            if meta.proxy or not meta.managed or meta.swapped:
                continue
            if meta.model_name in ignored or _is_history(model):
                continue
            models.append(model)
    return models


def trigger_name(table):
    name = f"{TRIGGER_PREFIX}{table}"
    if len(name) > 60:  # PostgreSQL identifiers stop at 63 bytes
        name = name[:48] + hashlib.sha1(table.encode()).hexdigest()[:12]
    return name


def install_triggers(using=DEFAULT_DB_ALIAS):
    """Create the missing triggers (idempotent). Returns the tables watched."""
    connection = connections[using]
    with connection.cursor() as cursor:
        existing = set(connection.introspection.table_names(cursor))
        if TABLE not in existing:
            return []
        tables = sorted({model._meta.db_table for model in tracked_models()} & existing)
        if connection.vendor == "sqlite":
            for table in tables:
                for operation in ("INSERT", "UPDATE", "DELETE"):
                    name = f"{trigger_name(table)}_{operation.lower()}"
                    cursor.execute(
                        SQLITE_TRIGGER.format(name=name, operation=operation, table=table)
                    )
        elif connection.vendor == "postgresql":
            cursor.execute(POSTGRES_FUNCTION)
            for table in tables:
                name = trigger_name(table)
                cursor.execute(f'DROP TRIGGER IF EXISTS "{name}" ON "{table}"')
                cursor.execute(POSTGRES_TRIGGER.format(name=name, table=table))
        else:
            logger.warning(
                "No content-version triggers for %s: the page cache is off on this database.",
                connection.vendor,
            )
            return []
    return tables


def on_post_migrate(sender, using=DEFAULT_DB_ALIAS, **kwargs):
    install_triggers(using)
    bump(using)  # a migration may have changed what pages show
    refresh_statistics(using)


def refresh_statistics(using=DEFAULT_DB_ALIAS):
    """SQLite plans queries well only with table statistics, which it never gathers by
    itself (PostgreSQL's autovacuum does): without them the related-content queries of an
    article page took 150-250 ms instead of 5-10 ms on 10,000 articles. Refreshed after
    every migrate (each deploy, each `make serve`) and after bulk imports."""
    connection = connections[using]
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def supported(using=DEFAULT_DB_ALIAS):
    return connections[using].vendor in ("sqlite", "postgresql")


def bump(using=DEFAULT_DB_ALIAS):
    with connections[using].cursor() as cursor:
        existing = connections[using].introspection.table_names(cursor)
        if TABLE in existing:
            cursor.execute(f"UPDATE {TABLE} SET counter = counter + 1 WHERE id = 1")


READ = f"SELECT epoch, counter FROM {TABLE} WHERE id = 1"


# What a request has read of the version and schedule (OneReadPerRequestMiddleware).
_request_reads = contextvars.ContextVar("exosite_version_reads", default=None)


class OneReadPerRequestMiddleware:
    """A page view reads the content version once: the page cache, kept parts of pages and
    link versions then all use that one reading (and the schedule worked out for it).
    Readers take the version first and the content after, so content read later in the
    request can only be newer than the version it is kept under, never older (see the
    module's docstring). Only for GET and HEAD: a request that writes reads afresh."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        token = _request_reads.set({})
        try:
            return self.get_response(request)
        finally:
            _request_reads.reset(token)


def _read_once(key, using, read):
    """`read()`, or what this request read for `key` already (outside transactions)."""
    reads = _request_reads.get()
    if reads is None or connections[using].in_atomic_block:
        return read()
    if (key, using) not in reads:
        reads[key, using] = read()
    return reads[key, using]


def current(using=DEFAULT_DB_ALIAS):
    """The version as a string, e.g. "3f9c0d1a2b4e5f60.1842". One primary-key read (once
    per page view: OneReadPerRequestMiddleware).

    Every anonymous page view starts with it, so when the connection is open and nobody
    is recording queries it goes straight to the driver (a third of the cost of Django's
    cursor; measured 12 against 42 µs). With DEBUG, the debug toolbar or a test's query
    count it goes through Django's cursor, so that it is logged and counted like any
    other query."""
    return _read_once("current", using, lambda: _read_current(using))


def _read_current(using):
    connection = connections[using]
    if connection.connection is not None and not connection.queries_logged:
        try:
            row = connection.connection.execute(READ).fetchone()
        except connection.Database.Error as exc:
            raise DatabaseError(str(exc)) from exc
        if row is not None:
            return f"{row[0]}.{row[1]}"
    with connection.cursor() as cursor:
        cursor.execute(READ)
        row = cursor.fetchone()
        if row is None:
            # Flushed: start a new epoch. Racing readers insert the same row once.
            cursor.execute(
                f"INSERT INTO {TABLE} (id, counter, epoch) VALUES (1, 1, %s) "
                "ON CONFLICT (id) DO NOTHING",
                [secrets.token_hex(8)],
            )
            cursor.execute(READ)
            row = cursor.fetchone()
    return f"{row[0]}.{row[1]}"


# -- what visitors can see now ---------------------------------------------------------

# alias -> (content version, last publication passed, next one ahead)
_schedules = memo.Memo("publication schedule per database")


def live(using=DEFAULT_DB_ALIAS):
    """The version of what visitors can see now: the content version, and how far the
    publication schedule has got, since a scheduled item goes live without any write
    ("3f9c0d1a2b4e5f60.1842@1764173640123456": the latest publication date passed).

    One primary-key read; the schedule is looked up as `known_schedule` says."""
    version, passed, _ = known_schedule(using)
    return f"{version}@{int(passed.timestamp() * 1_000_000)}" if passed else version


def next_publication(using=DEFAULT_DB_ALIAS):
    """When the next scheduled item goes live (None: nothing is scheduled)."""
    return known_schedule(using)[2]


def known_schedule(using=DEFAULT_DB_ALIAS):
    """(content version, latest publication date passed, next one ahead).

    The schedule is looked up once per content version in each process, and again when
    the next scheduled item's time comes. Inside a transaction it is looked up every
    time: a version read there may yet be rolled back, and then be reused for other
    content."""
    return _read_once("schedule", using, lambda: _known_schedule(using))


def _known_schedule(using):
    version = current(using)
    now = timezone.now()
    known = _schedules.get(using)
    in_transaction = connections[using].in_atomic_block
    if (
        in_transaction
        or known is None
        or known[0] != version
        or (known[2] is not None and known[2] <= now)
    ):
        known = (version, *schedule(now, using))
        if not in_transaction:
            _schedules.set(using, known)
    return known


def schedule(now, using=DEFAULT_DB_ALIAS):
    """(The latest publication date at or before `now`, the earliest after it) over every
    published item, either None. One query per publishable model."""
    passed, ahead = [], []
    for model in apps.get_models():
        if not issubclass(model, Publishable):
            continue
        row = (
            model._default_manager.using(using)
            .filter(status=Status.PUBLISHED)
            .aggregate(
                passed=Max("published_at", filter=Q(published_at__lte=now)),
                ahead=Min("published_at", filter=Q(published_at__gt=now)),
            )
        )
        passed += [row["passed"]] if row["passed"] else []
        ahead += [row["ahead"]] if row["ahead"] else []
    return max(passed, default=None), min(ahead, default=None)
