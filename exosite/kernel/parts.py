"""Parts of pages kept until what visitors can see changes.

For what pages show that depends only on content (an article's rendered parts, lists,
related content, backlinks), so that a page the page cache cannot keep (or has not kept
yet) is still cheap to render. Keys carry the live content version
(`exosite.ops.versions.live`) and the release, so a kept part is never stale.
"""

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections
from django.utils.translation import get_language

from exosite.ops import versions

from . import memo
from .release import release


def for_content(key, compute, *, local=False):
    """`compute()`, kept in the default cache until what visitors can see changes (any
    content write, or a scheduled item going live: exosite.ops.versions.live) or the code
    does (a deploy: `release()`).

    For what pages show that depends only on content (an article's rendered parts, lists,
    related content, backlinks), so that a page the page cache cannot keep (or has not
    kept yet) is still cheap to render.
    Inside a transaction the value is computed afresh: the version read there may yet be
    rolled back."""
    connection = connections[DEFAULT_DB_ALIAS]
    if connection.in_atomic_block or not versions.supported():
        return compute()
    # Parts hold words of the interface too: kept once per language.
    full_key = f"content:{key}:{get_language()}:{release()}:{versions.live()}"
    if local and (value := _local.get(full_key)) is not None:
        return value
    value = cache.get(full_key)
    if value is None:
        value = compute()
        cache.set(full_key, value, settings.EXOSITE_PAGE_CACHE_TIMEOUT)
    if local:
        _local.set(full_key, value)
    return value


_local = memo.Memo("parts of pages", size=256)
