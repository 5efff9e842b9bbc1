"""What each content kind puts in the search index, and the signals that keep it there.

A `SearchDocument` exists for every item of a searchable content kind
(`exosite.kernel.kinds`: articles, terms and FAQ entries) whose status is published
(scheduled ones included: searches filter on `published_at`). What is indexed of an item
is its kind's `search_document`, in the item's `language` (each search reads one). It is
written after every save, tag change, tag rename or merge and change to a model a kind
watches (`search_watch`: a renamed FAQ topic), and deleted with its item or when the item
leaves the published status. `rebuild()` redoes everything (`manage.py
rebuild_search_index`), for imports that bypass signals.

The apps never import this module; it is connected in `ExositeConfig.ready()`, for every
model, and looks each sender up in the kind registry. Changes that touch many items at once
(a tag renamed, merged or deleted, a watched model changed) re-index them in a task
(`search/tasks.py`, run by the worker in production).
"""

from collections import defaultdict
from itertools import islice

from django.contrib.contenttypes.models import ContentType
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from taggit.models import Tag, TaggedItem

from exosite.kernel import kinds
from exosite.kernel import tags as tag_rules
from exosite.kernel.text import MARKS
from exosite.models import SearchDocument, Status

from .engines import filter_words, get_engine
from .query import fold_key


def exact_keys(*names):
    keys = dict.fromkeys(key for key in map(fold_key, names) if key)
    return "|" + "|".join(keys) + "|" if keys else ""


def fetched(kind, **filters):
    """`kind`'s items matching `filters`, with the rows their documents read (joins)."""
    items = kind.model.objects.filter(**filters)
    return items.select_related(*kind.search_joins) if kind.search_joins else items


def kind_of(model):
    """The searchable kind of `model`, or None."""
    kind = kinds.for_model(model)
    return kind if kind is not None and kind.searchable else None


def document_values(obj, tags):
    """The SearchDocument fields for `obj`, which carries `tags` ((pk, name) pairs)."""
    kind = kinds.of(obj)
    found = kind.search_document(obj)
    fields = {
        "kind": kind.name,
        "title": found["title"],
        "keywords": found.get("keywords", ""),
        "summary": found.get("summary", ""),
        "body": found.get("body", ""),
        "exact_keys": exact_keys(*found.get("exact_names", ())),
    }
    fields["tags"] = "\n".join([*(name for _, name in tags), *found.get("extra_tags", ())])
    keys = [key for key in fields["exact_keys"].split("|") if key]
    fields["filters"] = filter_words(fields["kind"], [pk for pk, _ in tags], keys)
    for name in ("title", "keywords", "tags", "summary"):
        fields[name] = fields[name].translate(MARKS)
    fields["title"] = fields["title"][:300]
    # The item's language (a kind may say otherwise in its document).
    fields["language"] = found.get("language") or getattr(obj, "language", "") or "en"
    return fields | {"url": obj.get_absolute_url(), "published_at": obj.published_at}


def is_indexed(obj):
    return obj.status == Status.PUBLISHED and obj.published_at is not None


def index(obj):
    """Bring `obj`'s document up to date (or remove it if `obj` is not published)."""
    content_type = ContentType.objects.get_for_model(obj)
    documents = SearchDocument.objects.filter(content_type=content_type, object_id=obj.pk)
    if not is_indexed(obj):
        documents.delete()
        return
    tags = Tag.objects.filter(
        taggit_taggeditem_items__content_type=content_type,
        taggit_taggeditem_items__object_id=obj.pk,
    ).values_list("pk", "name")
    SearchDocument.objects.update_or_create(
        content_type=content_type,
        object_id=obj.pk,
        defaults=document_values(obj, sorted(tags, key=lambda tag: tag[1])),
    )


def unindex(obj):
    SearchDocument.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk
    ).delete()


def reindex(pairs):
    """Re-index the items given as (content_type_id, object_id) pairs."""
    by_type = defaultdict(set)
    for content_type_id, object_id in pairs:
        by_type[content_type_id].add(object_id)
    for content_type_id, ids in by_type.items():
        kind = kind_of(ContentType.objects.get_for_id(content_type_id).model_class())
        if kind is None:
            continue
        found = fetched(kind, pk__in=ids)
        for obj in found:
            index(obj)
        missing = ids - {obj.pk for obj in found}
        SearchDocument.objects.filter(
            content_type_id=content_type_id, object_id__in=missing
        ).delete()


SYNCED = ("kind", "url", "published_at", "title", "keywords", "tags", "summary", "body")
SYNCED += ("exact_keys", "filters", "language")


def rebuild(progress=None, batch_size=500, full_text=True):
    """Make the index match the content exactly; returns (created, updated, deleted).

    Compares in batches and writes only what differs, so running it on a current index
    is cheap. With `full_text`, the engine's own index is then rebuilt from the documents
    table too (SQLite FTS5: in case it drifted; PostgreSQL keeps its column current).
    """
    chosen = kinds.searchable()
    total = sum(kind.model.objects.filter(status=Status.PUBLISHED).count() for kind in chosen)
    done = created = updated = 0
    kept = set()
    for kind in chosen:
        content_type = ContentType.objects.get_for_model(kind.model)
        items = fetched(kind, status=Status.PUBLISHED, published_at__isnull=False).order_by("pk")
        iterator = items.iterator(chunk_size=batch_size)
        while batch := list(islice(iterator, batch_size)):
            ids = [obj.pk for obj in batch]
            existing = {
                doc.object_id: doc
                for doc in SearchDocument.objects.filter(
                    content_type=content_type, object_id__in=ids
                )
            }
            # One query for the batch's tags (taggit's prefetch costs a query set per item).
            tags = defaultdict(list)
            for object_id, pk, name in TaggedItem.objects.filter(
                content_type=content_type, object_id__in=ids
            ).values_list("object_id", "tag_id", "tag__name"):
                tags[object_id].append((pk, name))
            new, changed = [], []
            for obj in batch:
                values = document_values(obj, sorted(tags[obj.pk], key=lambda tag: tag[1]))
                doc = existing.get(obj.pk)
                if doc is None:
                    new.append(
                        SearchDocument(content_type=content_type, object_id=obj.pk, **values)
                    )
                elif any(getattr(doc, name) != values[name] for name in SYNCED):
                    for name in SYNCED:
                        setattr(doc, name, values[name])
                    changed.append(doc)
                kept.add((content_type.pk, obj.pk))
            SearchDocument.objects.bulk_create(new, batch_size=batch_size)
            SearchDocument.objects.bulk_update(changed, SYNCED, batch_size=100)
            created, updated = created + len(new), updated + len(changed)
            done += len(batch)
            if progress:
                progress(done, total)
    stale = [
        pk
        for pk, content_type_id, object_id in SearchDocument.objects.values_list(
            "pk", "content_type_id", "object_id"
        ).iterator()
        if (content_type_id, object_id) not in kept
    ]
    for start in range(0, len(stale), batch_size):
        SearchDocument.objects.filter(pk__in=stale[start : start + batch_size]).delete()
    engine = get_engine()
    if full_text:
        engine.rebuild()
    engine.optimize()
    return created, updated, len(stale)


# -- signals ------------------------------------------------------------------------------


def _content_saved(sender, instance, raw=False, **kwargs):
    if not raw and kind_of(sender) is not None:  # fixtures: rebuild_search_index afterwards
        index(instance)


def _content_deleted(sender, instance, **kwargs):
    if kind_of(sender) is not None:
        unindex(instance)


def _tags_changed(sender, instance, action, reverse, **kwargs):
    if action in ("post_add", "post_remove", "post_clear") and kind_of(type(instance)):
        index(instance)


REINDEX_BATCH = 1000


def _reindex_later(pairs):
    """Re-index many items: in the worker (at once under the immediate backend), a task
    per thousand items so that each run, and a retry, stays short."""
    from .tasks import reindex_items

    pairs = sorted({(content_type_id, object_id) for content_type_id, object_id in pairs})
    for start in range(0, len(pairs), REINDEX_BATCH):
        reindex_items.enqueue([list(pair) for pair in pairs[start : start + REINDEX_BATCH]])


def _watched_saved(sender, instance, created, raw=False, **kwargs):
    """A model some kind watches changed (a topic renamed): re-index the items of that
    kind that point at it."""
    if created or raw:
        return
    for kind in kinds.searchable():
        field = kind.search_watch.get(sender)
        if field:
            content_type = ContentType.objects.get_for_model(kind.model)
            ids = kind.model.objects.filter(**{field: instance}).values_list("pk", flat=True)
            _reindex_later((content_type.pk, pk) for pk in ids)


def _tagged_pairs(tag):
    return list(TaggedItem.objects.filter(tag=tag).values_list("content_type_id", "object_id"))


def _tag_saved(sender, instance, created, raw=False, **kwargs):
    if not created and not raw:  # a rename: every item carrying the tag shows its name
        _reindex_later(_tagged_pairs(instance))


def _tag_deleting(sender, instance, **kwargs):
    instance._search_pairs = _tagged_pairs(instance)


def _tag_deleted(sender, instance, **kwargs):
    _reindex_later(getattr(instance, "_search_pairs", ()))


def _items_retagged(sender, pairs, **kwargs):
    _reindex_later(pairs)


def connect():
    post_save.connect(_content_saved, dispatch_uid="search-content")
    post_delete.connect(_content_deleted, dispatch_uid="search-content")
    post_save.connect(_watched_saved, dispatch_uid="search-watched")
    m2m_changed.connect(_tags_changed, sender=TaggedItem, dispatch_uid="search-tags")
    post_save.connect(_tag_saved, sender=Tag, dispatch_uid="search-tag")
    pre_delete.connect(_tag_deleting, sender=Tag, dispatch_uid="search-tag")
    post_delete.connect(_tag_deleted, sender=Tag, dispatch_uid="search-tag")
    tag_rules.items_retagged.connect(_items_retagged, dispatch_uid="search-retagged")
