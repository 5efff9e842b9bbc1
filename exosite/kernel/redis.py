"""The shared cache in Redis, and the cache check of the health endpoint.

With REDIS_URL set the cache is `ResilientRedisCache`: Django's own Redis backend,
answering like an empty cache (and trying again a few seconds later) while Redis is
unreachable, so the site degrades to rendering pages (each process still reusing its own
recent ones) instead of failing.
"""

import logging
import secrets
import time

from django.core.cache import caches
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger(__name__)


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
