"""Revisions of the whole item: what is edited with it, not only its own row.

django-simple-history keeps a row per save of an item's own fields. The item's tags,
figures and the references it cites live in other tables, so each revision also keeps a
snapshot of them (`related`), taken once everything edited with the item is saved (the
admin's save_related, exosite.kernel.admin). A kind says what its snapshot holds
(`ContentKind.revision_related`); compare shows the differences line by line, and revert
puts the tags and figures back (the references follow the text that cites them).
"""

from django.db import models


class RevisionSnapshot(models.Model):
    """Base of each content kind's historical model (HistoricalRecords(bases=[...]))."""

    related = models.JSONField(default=dict, blank=True, editable=False)

    class Meta:
        abstract = True


def record_related(obj, snapshot):
    """Store `snapshot` on `obj`'s newest revision (the one this save made)."""
    latest = obj.history.order_by("-history_date", "-history_id").first()
    if latest is not None and latest.related != snapshot:
        type(latest).objects.filter(pk=latest.pk).update(related=snapshot)


def lines(snapshot):
    """{"Tags": [...], "Figures": [...]} -> the text compare shows for each part (parts
    whose name starts with "_" are kept for revert only)."""
    return {
        label: "\n".join(values)
        for label, values in (snapshot or {}).items()
        if not label.startswith("_")
    }
