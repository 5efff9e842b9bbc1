"""Per-client rate limits kept in the database, so they hold across server processes on
SQLite and PostgreSQL alike, with nothing else to run.

Clients are identified by a keyed hash of their address: the raw address is never stored.
"""

import hashlib
import hmac
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from exosite.models import RateLimitHit

UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate):
    """'5/h' -> (5, 3600 seconds). Also '10/m', '100/d', '3/10m'."""
    count, _, period = rate.partition("/")
    multiplier = int(period[:-1] or 1)
    return int(count), multiplier * UNITS[period[-1]]


def client_address(request):
    """The visitor's address; behind a trusted proxy, the first X-Forwarded-For entry."""
    if settings.EXOSITE_TRUST_X_FORWARDED_FOR:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded.strip():
            return forwarded.split(",")[0].strip()
    return request.META.get("REMOTE_ADDR", "")


def client_id(request):
    """A stable, keyed hash of the client's address (not reversible without the key)."""
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, client_address(request).encode(), hashlib.sha256).hexdigest()[:32]


def hit(scope, client, rate):
    """Count one action by `client` under `scope`; False if that exceeds `rate`.

    A refused action is not counted, so a client that waits gets in again.
    """
    limit, seconds = parse_rate(rate)
    now = timezone.now()
    with transaction.atomic():
        keep = timedelta(seconds=max(seconds, 86400))
        RateLimitHit.objects.filter(scope=scope, at__lt=now - keep).delete()
        recent = RateLimitHit.objects.filter(
            scope=scope, client=client, at__gte=now - timedelta(seconds=seconds)
        ).count()
        if recent >= limit:
            return False
        RateLimitHit.objects.create(scope=scope, client=client, at=now)
    return True
