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
from django.db import connections, transaction
from django.db.models import Case, Count, IntegerField, Max, Q, Value, When
from django.db.models.signals import post_delete, post_save, pre_save
from django.utils import timezone
from taggit.models import TaggedItem

from . import markup
from .models import Mention, SlugRedirect, Status
from .ops import versions

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
        """What this kind's links depend on: counts and the latest change. Asked on every
        page that links, so it is kept per process for each live version of the content
        (exosite.ops.versions.live: one primary-key read), and worked out again (one
        query over the table) only when that changes. Inside a transaction, or on a
        database without content-version triggers, it is worked out every time."""
        connection = connections[self.model.objects.db]
        if connection.in_atomic_block or not versions.supported():
            return self.count_version()
        live = versions.live()
        known = self._known_version
        if known is not None and known[0] == live:
            return known[1]
        value = self.count_version()
        self._known_version = (live, value)
        return value

    _known_version = None  # (live version, this kind's version)

    def count_version(self):
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
        items = {obj.slug: obj for obj in self.queryset(scope).filter(slug__in=slugs)}
        moved = set(slugs) - set(items)
        if moved:  # old addresses keep working (see SlugRedirect)
            redirects = dict(
                SlugRedirect.objects.filter(
                    content_type=ContentType.objects.get_for_model(self.model),
                    old_slug__in=moved,
                ).values_list("old_slug", "object_id")
            )
            current = self.queryset(scope).in_bulk(redirects.values())
            for old, pk in redirects.items():
                if pk in current:
                    items[old] = current[pk]
        return {slug: self.target(obj) for slug, obj in items.items()}

    def link_options(self, obj):
        """Keyword arguments for `markup.link` when linking `obj`'s own HTML."""
        return {"self_key": f"{self.kind}:{obj.slug}"}

    def rendered(self, obj):
        """`obj`'s stored HTML, linked for visitors (through the cache)."""
        return markup.link_cached(getattr(obj, self.html_field), **self.link_options(obj))

    def relink(self, obj):
        """After `obj` changed: record its own links, and re-check the items that link to
        it by address (a link to it may have started or stopped working)."""
        record_mentions(obj)
        old = SlugRedirect.objects.filter(
            content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk
        ).values_list("old_slug", flat=True)
        addresses = [f"{self.kind}:{slug}" for slug in (obj.slug, *old)]
        refresh_mentions_containing(addresses, exclude=obj)

    def remember_old_slug(self, obj, old_slug, was_published):
        """A published item that changes address keeps its old one as a redirect."""
        content_type = ContentType.objects.get_for_model(obj)
        # Whoever holds a slug now owns its URL: no redirect may shadow it (no loops).
        SlugRedirect.objects.filter(content_type=content_type, old_slug=obj.slug).delete()
        if old_slug and old_slug != obj.slug and was_published:
            SlugRedirect.objects.update_or_create(
                content_type=content_type,
                old_slug=old_slug,
                defaults={"object_id": obj.pk},
            )

    def connect(self):
        """Keep `obj`'s mentions current: re-recorded after every save, gone on delete."""

        def before_save(sender, instance, raw=False, **kwargs):
            old = None
            if instance.pk is not None and not raw:
                old = sender.objects.filter(pk=instance.pk).values("slug", "status").first()
            instance._old_slug = old["slug"] if old else None
            instance._was_published = bool(old and old["status"] == Status.PUBLISHED)

        def saved(sender, instance, raw=False, **kwargs):
            if raw:
                return
            self.remember_old_slug(
                instance,
                getattr(instance, "_old_slug", None),
                getattr(instance, "_was_published", False),
            )
            if refreshing():
                transaction.on_commit(lambda: self.relink(instance))

        def deleted(sender, instance, **kwargs):
            forget_mentions(instance)

        pre_save.connect(before_save, sender=self.model, weak=False)
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
    type(obj).objects.filter(pk=obj.pk).update(
        broken_links=rendered.broken_links,
        citation_problems=rendered.citation_problems,
        link_warnings=rendered.warnings,
    )
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
    SlugRedirect.objects.filter(content_type=content_type, object_id=obj.pk).delete()
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


def refresh_mentions_containing(phrases, progress=None, exclude=None):
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
        items = source.model.objects.filter(query)
        if exclude is not None and isinstance(exclude, source.model):
            items = items.exclude(pk=exclude.pk)
        for obj in items.iterator():
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


def redirect_for(model, slug):
    """The current published item that used to live at `slug`, or None."""
    redirect = SlugRedirect.objects.filter(
        content_type=ContentType.objects.get_for_model(model), old_slug=slug
    ).first()
    if redirect is None:
        return None
    return model.objects.published().filter(pk=redirect.object_id).first()


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
