"""Per-process memos: what a process keeps between requests (the live schedule, a kind's
link version, the glossary index, recently served pages), in one place with one way to
forget it all.

    schedule = memo.Memo("live schedule")      # a module-level memo
    schedule.get(key) / schedule.set(key, value) / schedule.clear()
    memo.forget_all()                          # tests that roll the database back

A memo is a small, thread-safe mapping that keeps only its most recent `size` entries.
Everything kept here must be keyed by what it was computed from (a content version, a
release), so that a stale entry can never be used, only wasted: `forget_all()` exists for
tests, whose rolled-back transactions make the database reuse old versions.

Memory: all memos together keep at most settings.EXOSITE_MEMO_BYTES (a share of
EXOSITE_LOCAL_CACHE_BYTES). Each value is measured once, when it is set (`deep_size`: the
objects it holds, walked once; about a microsecond per object, so 0.15 s for the index of
a 10,000-term glossary, 12.6 MB, once per glossary version and process); when the total
goes over the budget the least recently used entries of any memo go first, and a value
bigger than the whole budget is not kept at all (it is then computed on every use: keep
the budget above the largest, the glossary index).
"""

import gc
import sys
import threading
import types
from collections import OrderedDict

_registry = []
_registry_lock = threading.Lock()

# One lock and one recency order for every memo's entries, so that the byte budget is
# shared: memos are read a few times per request, so one lock costs nothing noticeable.
_lock = threading.Lock()
_order = OrderedDict()  # (memo, key) -> None, least recently used first
_total = [0]
DEFAULT_BUDGET = 32 * 1024 * 1024


class Memo:
    def __init__(self, name, size=8):
        self.name = name
        self.size = size
        self._items = OrderedDict()  # key -> (value, bytes)
        with _registry_lock:
            _registry.append(self)

    def get(self, key, default=None):
        with _lock:
            found = self._items.get(key)
            if found is None:
                return default
            self._items.move_to_end(key)
            _order.move_to_end((self, key))
            return found[0]

    def set(self, key, value):
        size = deep_size(value) + deep_size(key)
        budget = memo_budget()
        with _lock:
            self._discard(key)
            if size > budget:
                return value
            self._items[key] = (value, size)
            _order[(self, key)] = None
            _total[0] += size
            while len(self._items) > self.size:
                self._discard(next(iter(self._items)))
            while _total[0] > budget:
                memo, oldest = next(iter(_order))
                memo._discard(oldest)
        return value

    def _discard(self, key):
        """Forget `key` (with _lock held)."""
        found = self._items.pop(key, None)
        if found is not None:
            del _order[(self, key)]
            _total[0] -= found[1]

    def get_or_set(self, key, compute):
        value = self.get(key, _MISSING)
        if value is _MISSING:
            value = self.set(key, compute())
        return value

    def clear(self):
        with _lock:
            for key in list(self._items):
                self._discard(key)

    @property
    def nbytes(self):
        with _lock:
            return sum(size for _, size in self._items.values())

    def __len__(self):
        return len(self._items)

    def __repr__(self):
        return f"<Memo {self.name}: {len(self._items)} entries>"


_MISSING = object()


def memo_budget():
    """settings.EXOSITE_MEMO_BYTES, or DEFAULT_BUDGET where Django is not configured."""
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured

    try:
        return settings.EXOSITE_MEMO_BYTES
    except (ImproperlyConfigured, AttributeError):
        return DEFAULT_BUDGET


def total_bytes():
    """Bytes held by all memos together."""
    return _total[0]


# Shared by the whole program, never owned by one value: not counted, not walked into.
_NOT_OWNED = (
    type,
    types.ModuleType,
    types.FunctionType,
    types.BuiltinFunctionType,
    types.MethodType,
    types.CodeType,
)


def deep_size(value):
    """Bytes of `value` and of every object it holds (each counted once), as
    sys.getsizeof counts them; classes, modules and functions it refers to are not its own.
    """
    seen = set()
    stack = [value]
    size = 0
    getsizeof, referents = sys.getsizeof, gc.get_referents
    while stack:
        item = stack.pop()
        if id(item) in seen or isinstance(item, _NOT_OWNED):
            continue
        seen.add(id(item))
        size += getsizeof(item)
        stack.extend(referents(item))
    return size


def register_clearable(obj):
    """Add something with a `clear()` method of its own (the local page store) to what
    `forget_all()` clears."""
    with _registry_lock:
        _registry.append(obj)
    return obj


def forget_all():
    """Forget everything every process-level memo keeps."""
    with _registry_lock:
        memos = list(_registry)
    for each in memos:
        each.clear()
