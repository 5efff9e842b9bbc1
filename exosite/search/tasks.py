"""The search index's background work: re-indexing the items a bulk change touched (a tag
renamed, merged or deleted, an FAQ topic renamed), which can be thousands. One item's own
save is indexed at once (one row); these run in the worker.

Until the worker has run, searches still show only published items (every hit is checked
against `published()`) under their current titles and addresses; an item may match its
old tag or topic name a little longer. `reindex_items` reads the current content, so a
second run, or a late one, does no harm.
"""

from datetime import timedelta

from django.tasks import task

from exosite.kernel.tasks import retry

from . import documents


@task
@retry(attempts=3, delay=timedelta(seconds=10))
def reindex_items(pairs: list[list[int]]) -> int:
    """Bring the documents of the items given as [content_type_id, object_id] up to date."""
    documents.reindex(pairs)
    return len(pairs)
