"""How tag names are written: tidied (NFC, single spaces) before taggit looks them up.

Separate from `exosite.kernel.tags` (signals, admin, merging) because the models import
it: every `tags` field uses `TidyTaggableManager` (`TaggableManager(manager=...)`).
"""

import unicodedata

from taggit.managers import _TaggableManager


def tidy(name):
    return " ".join(unicodedata.normalize("NFC", name or "").split())


def _tidied(tags):
    return [tidy(tag) if isinstance(tag, str) else tag for tag in tags]


class TidyTaggableManager(_TaggableManager):
    """An item's tags (`item.tags`), given names tidied before taggit looks them up: its
    lookup ignores case but not spacing, and the tag it would create for "Stem  Cells" is
    tidied on save into the name of the existing "Stem Cells" (a unique name)."""

    def add(self, *tags, **kwargs):
        return super().add(*_tidied(tags), **kwargs)

    def set(self, tags, **kwargs):
        return super().set(_tidied(tags), **kwargs)

    def remove(self, *tags):
        return super().remove(*_tidied(tags))
