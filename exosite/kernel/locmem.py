"""Django's local-memory cache, bounded in bytes.

The default cache without REDIS_URL: linked HTML, parts of pages and whole pages, pickled,
in each process's memory. Django's LocMemCache bounds only the number of entries
(MAX_ENTRIES), so a process's memory grew with the size of its pages. This one also keeps
the pickled bytes (plus each key and a fixed overhead per entry) within OPTIONS
MAX_BYTES (settings: EXOSITE_LOCMEM_BYTES, a share of EXOSITE_LOCAL_CACHE_BYTES): when a
new entry would go over, the least recently used entries go first, and an entry bigger
than the whole budget is not kept at all.
"""

import pickle

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache

# What an entry costs besides its pickled value and key: the key's string object, the
# bytes object, and a slot in each of the two dicts. Measured, rounded up.
ENTRY_OVERHEAD = 200
DEFAULT_MAX_BYTES = 64 * 1024 * 1024

# Like LocMemCache's own module-level stores, shared by the per-thread instances that
# Django's `caches` makes for one alias: {name: {key: bytes}} and {name: [total]}.
_sizes = {}
_totals = {}


class BoundedLocMemCache(LocMemCache):
    def __init__(self, name, params):
        super().__init__(name, params)
        self.max_bytes = int(params.get("OPTIONS", {}).get("MAX_BYTES", DEFAULT_MAX_BYTES))
        self._sizes = _sizes.setdefault(name, {})
        self._total = _totals.setdefault(name, [0])

    @property
    def nbytes(self):
        """Bytes counted for the entries held now."""
        return self._total[0]

    def _set(self, key, value, timeout=DEFAULT_TIMEOUT):
        size = len(value) + len(key) + ENTRY_OVERHEAD
        self._delete(key)
        if size > self.max_bytes:
            return
        while self._cache and self._total[0] + size > self.max_bytes:
            # The least recently used is last: LocMemCache moves what it reads to the front.
            self._delete(next(reversed(self._cache)))
        super()._set(key, value, timeout)
        self._sizes[key] = size
        self._total[0] += size

    def _delete(self, key):
        if not super()._delete(key):
            return False
        self._total[0] -= self._sizes.pop(key, 0)
        return True

    def _cull(self):
        # MAX_ENTRIES reached: LocMemCache's own culling, with the bytes kept in step.
        if self._cull_frequency == 0:
            self._clear()
            return
        for _ in range(len(self._cache) // self._cull_frequency):
            self._delete(next(reversed(self._cache)))

    def incr(self, key, delta=1, version=None):
        key = self.make_and_validate_key(key, version=version)
        with self._lock:
            if self._has_expired(key):
                self._delete(key)
                raise ValueError(f"Key '{key}' not found")
            value = pickle.loads(self._cache[key]) + delta
            expires = self._expire_info[key]
            self._set(key, pickle.dumps(value, self.pickle_protocol))
            self._expire_info[key] = expires
        return value

    def _clear(self):
        self._cache.clear()
        self._expire_info.clear()
        self._sizes.clear()
        self._total[0] = 0

    def clear(self):
        with self._lock:
            self._clear()
