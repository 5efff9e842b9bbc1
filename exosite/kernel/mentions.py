"""Mentions ("this article links to that term"), kept for backlinks and related content,
and the old addresses of items whose slug changed.

Mentions are recorded by the same linking the pages use (`exosite.kernel.linking`), so
backlinks and related content always agree with what visitors see. Linking runs once per
save: after the item and everything edited with it (an article's references) are saved —
by the admin's `save_related`, or else when the transaction commits — and what it finds
(mentions, link and citation warnings) is stored then; the admin shows the stored
warnings. This module imports no app: it reaches content through `exosite.kernel.kinds`.
"""

import html as html_lib
import threading
from contextlib import contextmanager
from functools import reduce
from operator import or_

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Case, IntegerField, Q, Value, When
from django.db.models.signals import post_delete, post_save, pre_save
from taggit.models import TaggedItem

from exosite.models import Mention, SlugRedirect, Status

from . import citations, kinds, languages, linking

_state = threading.local()


def refreshing():
    """False inside `bulk_changes()`, where per-save mention refreshes are skipped."""
    return not getattr(_state, "bulk", False)


@contextmanager
def bulk_changes(progress=None):
    """Make many changes (demo content) and refresh every mention once at the end,
    instead of after each save."""
    with deferred():
        yield
    refresh_all_mentions(progress)


@contextmanager
def deferred():
    """Make many changes without the per-save refreshes; the caller refreshes what it
    changed itself, once (exosite.kernel.importing). Nests."""
    was = getattr(_state, "bulk", False)
    _state.bulk = True
    try:
        yield
    finally:
        _state.bulk = was


def record_mentions(obj):
    """Link `obj`'s own HTML and store what it mentions and what is wrong with its links
    (scheduled targets count: they go live by time). The row is written only when its
    warnings changed. Returns the `Rendered` result."""
    kind = kinds.of(obj)
    options = linking.options_for(obj)
    rendered = linking.link(getattr(obj, kind.html_field), **options, scope="all")
    for field in kind.extra_html_fields:
        if html := getattr(obj, field):
            merge(rendered, linking.link(html, **options, scope="all"))
    wanted = {}
    for key in rendered.mentions:
        name, _, slug = key.partition(":")
        wanted.setdefault(name, set()).add(slug)
    rows = []
    language = getattr(obj, "language", languages.SOURCE)
    for name, slugs in wanted.items():
        target = kinds.get(name)
        target_type = ContentType.objects.get_for_model(target.model)
        targets = target.model.objects.filter(slug__in=slugs)
        if hasattr(target.model, "language"):
            # Slugs are unique within a language: `obj` linked the items of its own.
            targets = targets.filter(language=language)
        for pk in targets.values_list("pk", flat=True):
            rows.append((target_type, pk))
    found = {
        "broken_links": rendered.broken_links,
        "citation_problems": rendered.citation_problems,
        "link_warnings": rendered.warnings,
    }
    if any(getattr(obj, name) != value for name, value in found.items()):
        type(obj).objects.filter(pk=obj.pk).update(**found)
        for name, value in found.items():
            setattr(obj, name, value)
    if kind.cites:
        citations.record(obj, rendered.references)
    source_type = ContentType.objects.get_for_model(obj)
    Mention.objects.filter(source_type=source_type, source_id=obj.pk).delete()
    Mention.objects.bulk_create(
        Mention(source_type=source_type, source_id=obj.pk, target_type=t, target_id=pk)
        for t, pk in rows
        if not (t == source_type and pk == obj.pk)
    )
    return rendered


def merge(rendered, more):
    """Add what `more` (another of the item's linked fragments) mentions, cites and gets
    wrong to `rendered`."""
    rendered.mentions = list(dict.fromkeys([*rendered.mentions, *more.mentions]))
    cited = {reference.pk for reference in rendered.references}
    rendered.references += [reference for reference in more.references if reference.pk not in cited]
    rendered.warnings = [*rendered.warnings, *more.warnings][: linking.MAX_WARNINGS + 1]
    rendered.broken_links = min(rendered.broken_links + more.broken_links, linking.MAX_COUNT)
    rendered.citation_problems = min(
        rendered.citation_problems + more.citation_problems, linking.MAX_COUNT
    )


def relink(obj):
    """After `obj` and what is edited with it were saved: record its own links, and
    re-check the items that link to it by address (a link to it may have started or
    stopped working). Runs once per save: see `connect`."""
    obj._relink_pending = False
    rendered = record_mentions(obj)
    old = SlugRedirect.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk
    ).values_list("old_slug", flat=True)
    kind = kinds.of(obj)
    addresses = [f"{kind.name}:{slug}" for slug in (obj.slug, *old)]
    # A task: by the worker in production (the items' pages are right meanwhile, their
    # links are resolved on view), at once under the immediate backend.
    from .tasks import refresh_mentions

    refresh_mentions.enqueue(addresses, exclude=f"{kind.name}:{obj.pk}")
    return rendered


def remember_old_slug(obj, old_slug, was_published):
    """A published item that changes address keeps its old one as a redirect."""
    content_type = ContentType.objects.get_for_model(obj)
    # Whoever holds a slug now owns its URL: no redirect may shadow it (no loops).
    language = obj.language
    SlugRedirect.objects.filter(
        content_type=content_type, language=language, old_slug=obj.slug
    ).delete()
    if old_slug and old_slug != obj.slug and was_published:
        SlugRedirect.objects.update_or_create(
            content_type=content_type,
            language=language,
            old_slug=old_slug,
            defaults={"object_id": obj.pk},
        )


def _before_save(sender, instance, raw=False, **kwargs):
    if kinds.for_model(sender) is None:
        return
    old = None
    if instance.pk is not None and not raw:
        old = sender.objects.filter(pk=instance.pk).values("slug", "status").first()
    instance._old_slug = old["slug"] if old else None
    instance._was_published = bool(old and old["status"] == Status.PUBLISHED)


def _saved(sender, instance, raw=False, **kwargs):
    if raw or kinds.for_model(sender) is None:
        return
    remember_old_slug(
        instance,
        getattr(instance, "_old_slug", None),
        getattr(instance, "_was_published", False),
    )
    if refreshing():
        # Once the transaction commits, unless the admin relinked it first (after saving
        # the references edited with it): one linking per save.
        instance._relink_pending = True
        transaction.on_commit(lambda: _relink_if_pending(instance))


def _relink_if_pending(instance):
    if getattr(instance, "_relink_pending", False):
        relink(instance)


def _deleted(sender, instance, **kwargs):
    if kinds.for_model(sender) is not None:
        forget_mentions(instance)


def connect():
    """Keep every registered kind's mentions and old addresses current: re-recorded after
    every save, gone on delete. Connected once (ExositeConfig.ready) for all models and
    filtered by the registry, so kinds registered later are covered too."""
    pre_save.connect(_before_save, dispatch_uid="mentions-before-save")
    post_save.connect(_saved, dispatch_uid="mentions-saved")
    post_delete.connect(_deleted, dispatch_uid="mentions-deleted")


def forget_mentions(obj):
    content_type = ContentType.objects.get_for_model(obj)
    SlugRedirect.objects.filter(content_type=content_type, object_id=obj.pk).delete()
    Mention.objects.filter(
        Q(source_type=content_type, source_id=obj.pk)
        | Q(target_type=content_type, target_id=obj.pk)
    ).delete()


def item(key):
    """The item named by "kind:pk" (as tasks pass items), or None."""
    name, _, pk = (key or "").partition(":")
    kind = kinds.get(name) if name and pk else None
    return kind.model.objects.filter(pk=pk).first() if kind else None


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
    for kind in kinds.all():
        if not kind.html_field:
            continue
        fields = (kind.html_field, *kind.extra_html_fields)
        query = reduce(or_, (Q(**{f"{f}__icontains": v}) for f in fields for v in variants))
        items = kind.model.objects.filter(query)
        if exclude is not None and isinstance(exclude, kind.model):
            items = items.exclude(pk=exclude.pk)
        for obj in items.iterator():
            record_mentions(obj)
            done += 1
            if progress:
                progress(done)
    return done


def refresh_all_mentions(progress=None):
    done = 0
    for kind in kinds.all():
        if not kind.html_field:
            continue
        for obj in kind.model.objects.iterator():
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
    if hasattr(obj, "language") and hasattr(model, "language"):
        items = items.filter(language=obj.language)
    return items[:limit] if limit else items


def linked_in(rendered, model, language=None):
    """Published items of `model` that `rendered` (linked HTML, `linking.Rendered`) links
    to: what a page shows linked, by construction as current as its text. The links are
    to items in `language`, the page's (the active language by default)."""
    name = kinds.for_model(model).name
    slugs = [key.partition(":")[2] for key in rendered.mentions if key.startswith(f"{name}:")]
    items = model.objects.published().filter(slug__in=slugs)
    if hasattr(model, "language"):
        items = items.filter(language=language or languages.current())
    return items


def redirect_for(model, slug, language=None):
    """The current published item in `language` (the active one by default) that used
    to live at `slug`, or None."""
    language = language or languages.current()
    redirect = SlugRedirect.objects.filter(
        content_type=ContentType.objects.get_for_model(model), language=language, old_slug=slug
    ).first()
    if redirect is None:
        return None
    return model.objects.published().filter(pk=redirect.object_id).first()


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
    if hasattr(obj, "language") and hasattr(model, "language"):
        items = items.filter(language=obj.language)  # a page's related pages are its language's
    if model_type == own_type:
        items = items.exclude(pk=obj.pk)
    closeness = Case(
        When(Q(pk__in=linked) | Q(pk__in=linking), then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    return items.order_by(closeness, "-published_at")[:limit]
