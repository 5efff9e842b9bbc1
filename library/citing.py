"""The library as the kernel's citation source (exosite.kernel.citations)."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Max, Q

from exosite.kernel.citations import Cited

from .models import Citation, Reference


class LibrarySource:
    def resolve(self, keys):
        keys = list(keys)[:500]
        plain = [key for key in keys if ":" not in key]
        dois = [key[4:] for key in keys if key.startswith("doi:")]
        pmids = [key[5:] for key in keys if key.startswith("pmid:")]
        found = {}
        rows = Reference.objects.filter(
            Q(key__in=plain) | Q(doi__in=dois) | Q(pmid__in=pmids)
        ).values_list("pk", "key", "doi", "pmid")
        for pk, key, doi, pmid in rows:
            cited = Cited(pk=pk, key=key)
            found[key] = cited
            if doi:
                found[f"doi:{doi}"] = cited
            if pmid:
                found[f"pmid:{pmid}"] = cited
        return {key: found[key] for key in keys if key in found}

    def version(self):
        # A new reference, or a changed DOI or PMID, can make a citation resolve.
        summary = Reference.objects.aggregate(
            count=Count("pk"), last=Max("pk"), changed=Max("updated_at")
        )
        return f"{summary['count']}.{summary['last']}.{summary['changed']}"

    def record(self, obj, cited):
        content_type = ContentType.objects.get_for_model(obj)
        wanted = {reference.pk: position for position, reference in enumerate(cited, 1)}
        stored = {
            row.reference_id: row
            for row in Citation.objects.filter(content_type=content_type, object_id=obj.pk)
        }
        gone = [row.pk for pk, row in stored.items() if pk not in wanted]
        if gone:
            Citation.objects.filter(pk__in=gone).delete()
        moved = [row for pk, row in stored.items() if pk in wanted and row.position != wanted[pk]]
        for row in moved:
            row.position = wanted[row.reference_id]
        if moved:
            Citation.objects.bulk_update(moved, ["position"])
        Citation.objects.bulk_create(
            [
                Citation(reference_id=pk, content_type=content_type, object_id=obj.pk, position=n)
                for pk, n in wanted.items()
                if pk not in stored
            ]
        )

    def records(self, pks):
        return Reference.objects.in_bulk(pks)
