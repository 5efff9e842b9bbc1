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
- editors can merge any tags with the admin action "Merge selected tags": a page lists
  them with their item counts and asks which one to keep (the one used most, unless the
  editor chooses another); `merge()` does the work;
- a merged tag's address keeps working: /tags/<its old slug>/ answers with a permanent
  redirect to the kept tag's page (`TagRedirect`, `merged_into()`), also after the kept
  tag is merged in turn; a slug a tag has is never redirected;
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
from django.contrib.admin import helpers
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.functions import Length
from django.db.models.signals import m2m_changed, post_save, pre_save
from django.dispatch import Signal
from django.template.response import TemplateResponse
from django.utils.text import slugify
from django.utils.translation import ngettext
from taggit.admin import TagAdmin as TaggitTagAdmin
from taggit.models import Tag, TaggedItem

from exosite.models import TagRedirect

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


def merged_into(slug):
    """The published tag that the tag which had `slug` was merged into, or None: when no
    tag has that slug now, and the kept tag has a page."""
    if Tag.objects.filter(slug=slug).exists():
        return None
    moved = TagRedirect.objects.filter(old_slug=slug).values("tag_id")
    return published_tags().filter(pk__in=moved).first()


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


def _free_slug(sender, instance, raw=False, **kwargs):
    """A tag's own slug is never redirected (a new tag may take a merged tag's old one)."""
    if not raw:
        TagRedirect.objects.filter(old_slug=instance.slug).delete()


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
            _retire([new], twin)


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


def _retire(tags, target):
    """Delete `tags`, whose items are now `target`'s: their addresses, and those that led
    to them, now lead to `target` (one hop, whatever the number of merges)."""
    TagRedirect.objects.filter(tag__in=tags).update(tag=target)
    for tag in tags:
        TagRedirect.objects.update_or_create(old_slug=tag.slug, defaults={"tag": target})
    TagRedirect.objects.filter(old_slug=target.slug).delete()
    Tag.objects.filter(pk__in=[tag.pk for tag in tags]).delete()


def with_counts(tags):
    """`tags` with `items`, the number of items carrying each, the most used first (the
    oldest if tied): the default choice of the tag to keep."""
    return (
        Tag.objects.filter(pk__in=[tag.pk for tag in tags])
        .annotate(items=Count("taggit_taggeditem_items"))
        .order_by("-items", "pk")
    )


@transaction.atomic
def merge(tags, keep=None):
    """Merge `tags` into `keep` (one of them), by default the one carried by most items.
    Returns (kept tag, names of the removed tags, number of items affected)."""
    tags = list(with_counts(tags))
    target = next((tag for tag in tags if keep is not None and tag.pk == keep.pk), tags[0])
    others = [tag for tag in tags if tag.pk != target.pk]
    pairs = _move_items(others, target)
    names = [tag.name for tag in others]
    _retire(others, target)
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
    """Taggit's tag admin, with item counts, twin checks and a merge that asks which tag to
    keep (only for those who may change tags)."""

    form = TagForm
    list_display = ("name", "slug", "item_count")
    actions = ("merge_tags",)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(items=Count("taggit_taggeditem_items"))

    @admin.display(description="Items", ordering="items")
    def item_count(self, obj):
        return obj.items

    @admin.action(description="Merge selected tags", permissions=("change",))
    def merge_tags(self, request, queryset):
        """First a page that lists the tags with their item counts and asks which one to
        keep (the one used most is chosen); its confirm button merges them."""
        tags = list(with_counts(queryset))
        if len(tags) < 2:
            self.message_user(request, "Select two or more tags to merge.", messages.WARNING)
            return None
        chosen = request.POST.get("keep")
        keep = next((tag for tag in tags if str(tag.pk) == chosen), None)
        if request.POST.get("post") == "yes" and keep is not None:
            kept, removed, items = merge(tags, keep=keep)
            retagged = ngettext("%(count)d item retagged", "%(count)d items retagged", items) % {
                "count": items
            }
            self.message_user(
                request,
                f"Merged {', '.join(f'“{name}”' for name in removed)} into “{kept.name}” "
                f"({retagged}); their addresses now lead to its page. Rename “{kept.name}” "
                "if another spelling should win.",
                messages.SUCCESS,
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": "Merge tags",
            "opts": self.model._meta,
            "tags": tags,
            "keep": (keep or tags[0]).pk,
            "not_chosen": request.POST.get("post") == "yes",
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/taggit/tag/merge_tags.html", context)


def connect():
    pre_save.connect(_tidy_new_tag, sender=Tag, dispatch_uid="tags-tidy")
    post_save.connect(_remember_twin, sender=Tag, dispatch_uid="tags-twin")
    post_save.connect(_free_slug, sender=Tag, dispatch_uid="tags-free-slug")
    # Before site search's own m2m receiver (connected later), so it indexes the result.
    m2m_changed.connect(_merge_new_twins, sender=TaggedItem, dispatch_uid="tags-twins")
    if admin.site.is_registered(Tag):
        admin.site.unregister(Tag)
    admin.site.register(Tag, TagAdmin)
