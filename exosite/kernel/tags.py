"""One tag vocabulary: tags that differ only in case or accents are one tag.

django-taggit already matches names case-insensitively (TAGGIT_CASE_INSENSITIVE), but
"Réponse immunitaire" and "reponse immunitaire" would still be two tags (and two tag
pages). Here:

- a new tag's name is tidied (spaces) and its slug is made of plain ASCII letters
  ("reponse-immunitaire"), so that tag addresses never depend on accents;
- when a tag is created while tagging an item and an older tag has the same *folded*
  name (no case, accents or extra spaces), the item gets the older tag and the new one
  is removed (see `_merge_new_twins`); creating such a twin in the admin is refused;
- names given to an item's tags (`item.tags.add/set/remove`, the admin's tag field) are
  tidied before taggit looks them up (`tagnames.TidyTaggableManager`, the manager of
  every `tags` field), so "Stem  Cells" finds the
  tag "Stem Cells" instead of creating a second one that cannot be saved;
- editors can merge any tags with the admin action "Merge selected tags" (they are
  merged into the one used most; `merge()` does the work);
- a tag is public (its page, filters and feeds) only while a published item carries it
  (`published_tags()`).

Taggit's models are not changed: this module hooks into its signals, its item managers
and its admin from `ExositeConfig.ready()`.
"""

import threading
import unicodedata
import zlib

from django import forms
from django.contrib import admin, messages
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.functions import Length
from django.db.models.signals import m2m_changed, post_save, pre_save
from django.dispatch import Signal
from django.utils.text import slugify
from taggit.admin import TagAdmin as TaggitTagAdmin
from taggit.models import Tag, TaggedItem

from . import kinds
from .tagnames import tidy

# Sent with `pairs`, a list of (content_type_id, object_id), when items' tags changed
# without taggit's m2m signals (a merge). Site search listens.
items_retagged = Signal()

_new_twins = threading.local()


def fold(name):
    """The name tags are compared by: no case, accents or repeated spaces."""
    text = unicodedata.normalize("NFKD", name or "")
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(text.casefold().split())


def ascii_slug(name):
    slug = slugify(fold(name))
    # Names with no Latin letters at all ("免疫") still get a stable, readable address.
    return slug or f"tag-{zlib.crc32(name.encode()):08x}"


def published_tags():
    """The tags carried by at least one item visitors can see now, of any tagged kind: the
    only tags with a page, a filter or a feed. One query (an EXISTS per kind)."""
    carried = Q()
    for kind in kinds.tagged():
        carried |= Exists(kind.queryset().filter(tags=OuterRef("pk")))
    return Tag.objects.filter(carried) if carried else Tag.objects.none()


def twin_of(name, exclude_pk=None):
    """The oldest tag whose folded name is `name`'s, if any."""
    folded = fold(name)
    # Folding keeps the length of a tidy (NFC) name in all but exotic cases: compare
    # only the tags of the same length, not the whole vocabulary.
    candidates = (
        Tag.objects.annotate(length=Length("name"))
        .filter(length=len(tidy(name)))
        .exclude(pk=exclude_pk)
        .order_by("pk")
        .only("pk", "name", "slug")
    )
    return next((tag for tag in candidates if fold(tag.name) == folded), None)


def _tidy_new_tag(sender, instance, raw=False, **kwargs):
    if raw or not instance._state.adding:
        return
    instance.name = tidy(instance.name)
    # Taggit fills in slugify(name, allow_unicode=True); replace only that default.
    if instance.slug in ("", slugify(instance.name, allow_unicode=True)):
        base = ascii_slug(instance.name)
        taken = set(Tag.objects.filter(slug__startswith=base).values_list("slug", flat=True))
        slug, n = base, 1
        while slug in taken:
            slug, n = f"{base}-{n}", n + 1
        instance.slug = slug


def _remember_twin(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        twin = twin_of(instance.name, exclude_pk=instance.pk)
        if twin is not None:
            pending = getattr(_new_twins, "tags", None) or {}
            pending[instance.pk] = twin.pk
            _new_twins.tags = pending


def _merge_new_twins(sender, instance, action, pk_set, **kwargs):
    """Taggit just created a tag for an item and an older twin exists: use the twin."""
    pending = getattr(_new_twins, "tags", None)
    if action != "post_add" or not pending or not pk_set:
        return
    for pk in pk_set & pending.keys():
        twin = Tag.objects.filter(pk=pending.pop(pk)).first()
        new = Tag.objects.filter(pk=pk).first()
        if twin and new:
            _move_items([new], twin)
            new.delete()


def _move_items(tags, target):
    """Give `target` to every item tagged with one of `tags`, and take `tags` away.
    Returns the (content_type_id, object_id) of the items."""
    pairs = []
    for row in TaggedItem.objects.filter(tag__in=tags).order_by("pk"):
        pair = (row.content_type_id, row.object_id)
        already = TaggedItem.objects.filter(
            tag=target, content_type_id=pair[0], object_id=pair[1]
        ).exists()
        if already:
            row.delete()
        else:
            TaggedItem.objects.filter(pk=row.pk).update(tag=target)
        pairs.append(pair)
    return list(dict.fromkeys(pairs))


@transaction.atomic
def merge(tags):
    """Merge `tags` into the one carried by most items (the oldest if tied). Returns
    (kept tag, names of the removed tags, number of items affected)."""
    tags = list(
        Tag.objects.filter(pk__in=[tag.pk for tag in tags])
        .annotate(items=Count("taggit_taggeditem_items"))
        .order_by("-items", "pk")
    )
    target, others = tags[0], tags[1:]
    pairs = _move_items(others, target)
    names = [tag.name for tag in others]
    Tag.objects.filter(pk__in=[tag.pk for tag in others]).delete()
    if pairs:
        items_retagged.send(sender=Tag, pairs=pairs)
    return target, names, len(pairs)


class TagForm(forms.ModelForm):
    class Meta:
        model = Tag
        fields = ("name", "slug")

    def clean_name(self):
        name = tidy(self.cleaned_data["name"])
        twin = twin_of(name, exclude_pk=self.instance.pk)
        if twin is not None:
            raise forms.ValidationError(
                f"There is already a tag “{twin.name}”: tags that differ only in case or "
                "accents are one tag. Edit that one, or merge the two from the tag list."
            )
        return name


class TagAdmin(TaggitTagAdmin):
    """Taggit's tag admin, with item counts, twin checks and a merge that keeps one tag."""

    form = TagForm
    list_display = ("name", "slug", "item_count")
    actions = ("merge_tags",)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(items=Count("taggit_taggeditem_items"))

    @admin.display(description="Items", ordering="items")
    def item_count(self, obj):
        return obj.items

    @admin.action(description="Merge selected tags")
    def merge_tags(self, request, queryset):
        if queryset.count() < 2:
            self.message_user(request, "Select two or more tags to merge.", messages.WARNING)
            return
        kept, removed, items = merge(queryset)
        self.message_user(
            request,
            f"Merged {', '.join(f'“{name}”' for name in removed)} into “{kept.name}” "
            f"({items} item{'s' if items != 1 else ''} retagged). Rename “{kept.name}” if "
            "another spelling should win.",
            messages.SUCCESS,
        )


def connect():
    pre_save.connect(_tidy_new_tag, sender=Tag, dispatch_uid="tags-tidy")
    post_save.connect(_remember_twin, sender=Tag, dispatch_uid="tags-twin")
    # Before site search's own m2m receiver (connected later), so it indexes the result.
    m2m_changed.connect(_merge_new_twins, sender=TaggedItem, dispatch_uid="tags-twins")
    if admin.site.is_registered(Tag):
        admin.site.unregister(Tag)
    admin.site.register(Tag, TagAdmin)
