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
"""

import threading
from collections import OrderedDict

_registry = []
_registry_lock = threading.Lock()


class Memo:
    def __init__(self, name, size=8):
        self.name = name
        self.size = size
        self._items = OrderedDict()
        self._lock = threading.Lock()
        with _registry_lock:
            _registry.append(self)

    def get(self, key, default=None):
        with self._lock:
            if key not in self._items:
                return default
            self._items.move_to_end(key)
            return self._items[key]

    def set(self, key, value):
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return value

    def get_or_set(self, key, compute):
        value = self.get(key, _MISSING)
        if value is _MISSING:
            value = self.set(key, compute())
        return value

    def clear(self):
        with self._lock:
            self._items.clear()

    def __len__(self):
        return len(self._items)

    def __repr__(self):
        return f"<Memo {self.name}: {len(self._items)} entries>"


_MISSING = object()


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
