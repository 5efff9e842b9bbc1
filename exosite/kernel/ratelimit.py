"""Per-client rate limits kept in the database, so they hold across server processes on
SQLite and PostgreSQL alike, with nothing else to run.

Clients are identified by a keyed hash of their address: the raw address is never stored.

A check and the write it guards (count, then count one more; is there a vote already,
then store one) run in `one_at_a_time(scope, client)`: a transaction in which that
client's actions under that scope wait for each other, whichever process serves them, so
the limit and "one per ..." hold however many requests arrive at once.
"""

import hashlib
import hmac
import ipaddress
import math
import time
from contextlib import contextmanager
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import NotSupportedError, connections, router, transaction
from django.utils import timezone

from exosite.models import RateLimitHit

UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate):
    """'5/h' -> (5, 3600 seconds). Also '10/m', '100/d', '3/10m'."""
    count, _, period = rate.partition("/")
    multiplier = int(period[:-1] or 1)
    return int(count), multiplier * UNITS[period[-1]]


def client_address(request):
    """The visitor's address.

    Without trusted proxies, the address the connection came from. Behind
    EXOSITE_TRUSTED_PROXIES proxies that each append the address they saw to
    X-Forwarded-For (nginx's `$proxy_add_x_forwarded_for`), the entry that many from the
    right: the one our outermost proxy wrote. Entries further left are whatever the client
    sent, so they are never read. A header too short or not ending in addresses (a proxy
    that did not append) gives the connection's address: one shared, unforgeable bucket.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = settings.EXOSITE_TRUSTED_PROXIES
    if proxies <= 0:
        return remote
    entries = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    if len(entries) < proxies:
        return remote
    try:
        return str(ipaddress.ip_address(entries[-proxies].strip()))
    except ValueError:
        return remote


def client_id(request):
    """A stable, keyed hash of the client's address (not reversible without the key)."""
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, client_address(request).encode(), hashlib.sha256).hexdigest()[:32]


def counted_in_cache(scope, client, rate):
    """Count one request by `client` under `scope` in the cache, in fixed windows of the
    rate's period: (limit, used so far in this window, seconds until it ends). Atomic
    increments, so exact per cache (per process with the local-memory cache, across
    processes with Redis); nothing is written to the database."""
    limit, period = parse_rate(rate)
    now = time.time()
    window = int(now // period)
    key = f"rate:{scope}:{client}:{window}"
    cache.add(key, 0, period + 1)
    try:
        used = cache.incr(key)
    except ValueError:  # gone between add and incr (evicted): this is the first
        cache.set(key, 1, period + 1)
        used = 1
    return limit, used, max(1, math.ceil((window + 1) * period - now))


@contextmanager
def one_at_a_time(scope, client):
    """A transaction in which `client`'s actions under `scope` run one after another.

    PostgreSQL: a transaction-level advisory lock on a hash of (scope, client), released
    at commit or rollback (safe behind PgBouncer's transaction pooling). SQLite: every
    transaction is IMMEDIATE (settings.py), so it holds the database's write lock from its
    first statement; nothing more is needed. Nested inside another transaction, the lock
    lasts until that one ends.

    Relies on PostgreSQL's default READ COMMITTED isolation (each statement after the lock
    sees what the previous holder committed); under REPEATABLE READ the snapshot would be
    taken before the lock and a count could miss a concurrent insert.
    """
    using = router.db_for_write(RateLimitHit)
    with transaction.atomic(using=using):
        connection = connections[using]
        if connection.vendor == "postgresql":
            digest = hashlib.blake2b(f"{scope}\0{client}".encode(), digest_size=8).digest()
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_advisory_xact_lock(%s)", [int.from_bytes(digest, signed=True)]
                )
        elif connection.vendor != "sqlite":
            raise NotSupportedError(
                f"Rate limits need SQLite or PostgreSQL, not {connection.vendor}"
            )
        yield


def hit(scope, client, rate):
    """Count one action by `client` under `scope`; False if that exceeds `rate`.

    A refused action is not counted, so a client that waits gets in again. Called inside
    `one_at_a_time(scope, client)`, whatever that block checked before stays true until
    it ends; called alone, the count is still exact.
    """
    limit, seconds = parse_rate(rate)
    now = timezone.now()
    with one_at_a_time(scope, client):
        # Other clients' expired rows go too, a batch at a time; rows another transaction
        # is deleting are skipped rather than waited for.
        keep = timedelta(seconds=max(seconds, 86400))
        expired = RateLimitHit.objects.filter(scope=scope, at__lt=now - keep)
        RateLimitHit.objects.filter(
            pk__in=expired.select_for_update(skip_locked=True).values("pk")[:500]
        ).delete()
        recent = RateLimitHit.objects.filter(
            scope=scope, client=client, at__gte=now - timedelta(seconds=seconds)
        ).count()
        if recent >= limit:
            return False
        RateLimitHit.objects.create(scope=scope, client=client, at=now)
    return True
