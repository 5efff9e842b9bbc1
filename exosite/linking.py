"""Link sources for published models, and the mentions kept for backlinks.

Apps subclass `ModelSource` for their content and register it in `AppConfig.ready`
(`exosite.markup.register`); this module imports no app. Mentions ("this article links to
that term") are recorded from the same linking the pages use, so backlinks and related
content always agree with what visitors see.
"""

import html as html_lib
import threading
from contextlib import contextmanager
from functools import reduce
from operator import or_

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Case, Count, IntegerField, Max, Q, Value, When
from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from taggit.models import TaggedItem

from . import markup
from .models import Mention, Status

_state = threading.local()


def refreshing():
    """False inside `bulk_changes()`, where per-save mention refreshes are skipped."""
    return not getattr(_state, "bulk", False)


@contextmanager
def bulk_changes(progress=None):
    """Make many changes (imports, demo content) and refresh every mention once at the end,
    instead of after each save."""
    _state.bulk = True
    try:
        yield
    finally:
        _state.bulk = False
    refresh_all_mentions(progress)


class ModelSource(markup.LinkSource):
    """A link source for a `Publishable` model with a slug.

    `title_field` names the text a link shows, `html_field` the stored HTML the model's
    own links are made from (searched when the glossary changes).
    """

    model = None
    title_field = "title"
    html_field = ""

    def queryset(self, scope="live"):
        manager = self.model.objects
        return manager.published() if scope == "live" else manager.filter(status=Status.PUBLISHED)

    def version(self):
        row = self.model.objects.aggregate(
            live=Count("pk", filter=Q(status=Status.PUBLISHED, published_at__lte=timezone.now())),
            total=Count("pk"),
            changed=Max("updated_at"),
        )
        return (row["live"], row["total"], row["changed"].isoformat() if row["changed"] else "")

    def target(self, obj):
        return markup.Target(
            key=f"{self.kind}:{obj.slug}",
            url=obj.get_absolute_url(),
            title=getattr(obj, self.title_field),
        )

    def resolve(self, slugs, scope="live"):
        items = self.queryset(scope).filter(slug__in=slugs)
        return {obj.slug: self.target(obj) for obj in items}

    def link_options(self, obj):
        """Keyword arguments for `markup.link` when linking `obj`'s own HTML."""
        return {"self_key": f"{self.kind}:{obj.slug}"}

    def rendered(self, obj):
        """`obj`'s stored HTML, linked for visitors (through the cache)."""
        return markup.link_cached(getattr(obj, self.html_field), **self.link_options(obj))

    def connect(self):
        """Keep `obj`'s mentions current: re-recorded after every save, gone on delete."""

        def saved(sender, instance, raw=False, **kwargs):
            if not raw and refreshing():
                transaction.on_commit(lambda: record_mentions(instance))

        def deleted(sender, instance, **kwargs):
            forget_mentions(instance)

        post_save.connect(saved, sender=self.model, weak=False)
        post_delete.connect(deleted, sender=self.model, weak=False)


def source_for(model):
    for source in markup.sources().values():
        if isinstance(source, ModelSource) and source.model is model:
            return source
    raise LookupError(f"No link source is registered for {model.__name__}")


def record_mentions(obj):
    """Store what `obj` links to, counting scheduled targets too (they go live by time)."""
    source = source_for(type(obj))
    rendered = markup.link(getattr(obj, source.html_field), **source.link_options(obj), scope="all")
    wanted = {}
    for key in rendered.mentions:
        kind, _, slug = key.partition(":")
        wanted.setdefault(kind, set()).add(slug)
    rows = []
    for kind, slugs in wanted.items():
        target_source = markup.sources().get(kind)
        if not isinstance(target_source, ModelSource):
            continue
        target_type = ContentType.objects.get_for_model(target_source.model)
        for pk in target_source.model.objects.filter(slug__in=slugs).values_list("pk", flat=True):
            rows.append((target_type, pk))
    source_type = ContentType.objects.get_for_model(obj)
    Mention.objects.filter(source_type=source_type, source_id=obj.pk).delete()
    Mention.objects.bulk_create(
        Mention(source_type=source_type, source_id=obj.pk, target_type=t, target_id=pk)
        for t, pk in rows
        if not (t == source_type and pk == obj.pk)
    )
    return rendered


def forget_mentions(obj):
    content_type = ContentType.objects.get_for_model(obj)
    Mention.objects.filter(
        Q(source_type=content_type, source_id=obj.pk)
        | Q(target_type=content_type, target_id=obj.pk)
    ).delete()


def phrase_variants(phrases):
    """The forms a phrase can take in stored HTML (escaped, either apostrophe)."""
    variants = set()
    for phrase in phrases:
        phrase = phrase.strip()
        if len(phrase) < 2:
            continue
        for form in {phrase, phrase.replace("’", "'"), phrase.replace("'", "’")}:
            variants.update({form, html_lib.escape(form, quote=False)})
    return variants


def refresh_mentions_containing(phrases, progress=None):
    """Re-record the mentions of every item whose HTML contains one of `phrases`.

    Called when a term is added, renamed, re-aliased, (un)published or deleted: only the
    content that can have changed is re-linked. Returns the number of items refreshed.
    """
    variants = phrase_variants(phrases)
    if not variants:
        return 0
    done = 0
    for source in markup.sources().values():
        if not isinstance(source, ModelSource):
            continue
        query = reduce(or_, (Q(**{f"{source.html_field}__icontains": v}) for v in variants))
        for obj in source.model.objects.filter(query).iterator():
            record_mentions(obj)
            done += 1
            if progress:
                progress(done)
    return done


def refresh_all_mentions(progress=None):
    done = 0
    for source in markup.sources().values():
        if not isinstance(source, ModelSource):
            continue
        for obj in source.model.objects.iterator():
            record_mentions(obj)
            done += 1
            if progress:
                progress(done)
    return done


def mentioning(obj, model, limit=None):
    """Published items of `model` that link to `obj`."""
    sources = Mention.objects.filter(
        target_type=ContentType.objects.get_for_model(obj),
        target_id=obj.pk,
        source_type=ContentType.objects.get_for_model(model),
    ).values("source_id")
    items = model.objects.published().filter(pk__in=sources)
    return items[:limit] if limit else items


def mentioned_by(obj, model, limit=None):
    """Published items of `model` that `obj` links to."""
    targets = Mention.objects.filter(
        source_type=ContentType.objects.get_for_model(obj),
        source_id=obj.pk,
        target_type=ContentType.objects.get_for_model(model),
    ).values("target_id")
    items = model.objects.published().filter(pk__in=targets)
    return items[:limit] if limit else items


def source_model(kind):
    """The model behind a registered kind ("article", "faq", "glossary"), for apps that may
    not import each other."""
    return markup.sources()[kind].model


def related(obj, model, limit=5):
    """Published items of `model` related to `obj`: linked either way first, then those
    sharing tags, newest first. One query."""
    own_type = ContentType.objects.get_for_model(obj)
    model_type = ContentType.objects.get_for_model(model)
    linked = Mention.objects.filter(
        source_type=own_type, source_id=obj.pk, target_type=model_type
    ).values("target_id")
    linking = Mention.objects.filter(
        target_type=own_type, target_id=obj.pk, source_type=model_type
    ).values("source_id")
    own_tags = TaggedItem.objects.filter(content_type=own_type, object_id=obj.pk).values("tag_id")
    sharing = TaggedItem.objects.filter(content_type=model_type, tag_id__in=own_tags).values(
        "object_id"
    )
    items = model.objects.published().filter(
        Q(pk__in=linked) | Q(pk__in=linking) | Q(pk__in=sharing)
    )
    if model_type == own_type:
        items = items.exclude(pk=obj.pk)
    closeness = Case(
        When(Q(pk__in=linked) | Q(pk__in=linking), then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    return items.order_by(closeness, "-published_at")[:limit]
