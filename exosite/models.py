"""What every piece of published content shares: workflow status, dates, tags, SEO.

Abstract only: each app's concrete models inherit from `Publishable` and attach
`PublishableQuerySet` (or a subclass) so that every public path goes through
`published()`.
"""

import hashlib
import json
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from taggit.managers import TaggableManager

from .kernel import languages
from .kernel.markdown import render_markdown
from .kernel.tagnames import TidyTaggableManager


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    REVIEW = "review", "In review"
    PUBLISHED = "published", "Published"


class TranslatableQuerySet(models.QuerySet):
    def in_language(self, code=None):
        """Items in `code`, or in the active language (exosite.kernel.languages.current)."""
        return self.filter(language=code or languages.current())

    def sources(self):
        """Items that translate nothing: the originals translations are made from."""
        return self.filter(translation_of__isnull=True)


class Translatable(models.Model):
    """Content kept in more than one language: every row is in one `language`, and a
    translation is its own row pointing at its source (`translation_of`), with its own
    slug, status, review and publication. Wagtail's `TranslatableMixin` keeps
    translations the same way (one row per locale, tied by a key); the source item is the
    key here, since translations are always made from it.

    A translation remembers the source as it was when it was last brought up to date
    (`translated_version`, the source's `edit_version`, and `translated_fingerprint`, of
    the source's `translated_fields`): when the source's text changes after that, the
    translation is out of date, and the admin shows the change side by side
    (exosite.kernel.translations).
    """

    language = models.CharField(
        max_length=8,
        choices=settings.LANGUAGES,
        default=languages.SOURCE,
        db_index=True,
        help_text="The language this item is written in. Each language has its own "
        "address: English pages are unprefixed, Spanish ones start with /es/.",
    )
    translation_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="translations",
        limit_choices_to={"translation_of__isnull": True},
        verbose_name="translation of",
        help_text="For a translation: the original item it translates (in another "
        "language). Leave empty for an original.",
    )
    translated_version = models.PositiveIntegerField(null=True, blank=True, editable=False)
    translated_fingerprint = models.CharField(max_length=64, blank=True, editable=False)

    # The fields whose change makes the item's translations out of date.
    translated_fields = ()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        source = self.translation_of
        if source is not None and not self.translated_fingerprint:
            # A new translation is made from the source as it is now.
            self.mark_translated(source)
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {
                    *kwargs["update_fields"],
                    "translated_version",
                    "translated_fingerprint",
                }
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        source = self.translation_of
        if source is None:
            return
        if source.pk == self.pk or source.language == self.language:
            raise ValidationError(
                {"translation_of": "Choose the original in another language than this item's."}
            )
        if source.translation_of_id is not None:
            raise ValidationError(
                {"translation_of": "Choose the original item, not another translation of it."}
            )

    def translation_fingerprint(self):
        names = (
            self.translated_fields
            or getattr(self, "reviewed_fields", ())
            or tuple(getattr(self, "markdown_fields", {}))
        )
        values = [str(getattr(self, name) or "") for name in names]
        return hashlib.sha256(json.dumps(values).encode()).hexdigest()

    def mark_translated(self, source=None):
        """Record that this translation now says what its source says (not saved)."""
        source = source or self.translation_of
        # Topics translate too but keep no edit version (they are not Publishable).
        self.translated_version = getattr(source, "edit_version", None)
        self.translated_fingerprint = source.translation_fingerprint()

    @property
    def translation_outdated(self):
        """True when the source's text changed after this translation was brought up to
        date with it."""
        source = self.translation_of
        return (
            source is not None
            and bool(self.translated_fingerprint)
            and source.translation_fingerprint() != self.translated_fingerprint
        )

    def published_translations(self):
        """{language: item} for the published versions of this item in every language,
        itself included when published: one query."""
        source_id = self.translation_of_id or self.pk
        if source_id is None:
            return {}
        group = type(self).objects.filter(
            models.Q(pk=source_id) | models.Q(translation_of_id=source_id)
        )
        if hasattr(group, "published"):
            group = group.published()
        return {item.language: item for item in group}

    def url_in_language(self, viewname, **kwargs):
        """The address of `viewname` in this item's language (/es/... for Spanish)."""
        return languages.reverse(viewname, self.language, **kwargs)


def per_language(*unique_fields):
    """Constraints for a translatable model: each of `unique_fields` (a slug, a name) is
    unique within a language, and an original has at most one translation per language."""
    return [
        *(
            models.UniqueConstraint(
                fields=("language", field),
                name=f"%(app_label)s_%(class)s_{field}_per_language",
            )
            for field in unique_fields
        ),
        models.UniqueConstraint(
            fields=("translation_of", "language"),
            name="%(app_label)s_%(class)s_one_translation_per_language",
        ),
    ]


class PublishableQuerySet(TranslatableQuerySet):
    def published(self):
        """Visible to the public now: published, and not scheduled for later."""
        return self.filter(status=Status.PUBLISHED, published_at__lte=timezone.now())


class Publishable(Translatable):
    slug = models.SlugField(
        max_length=200,
        help_text="The last part of the page address, unique within the item's language. "
        "Filled in from the title; change it only before the item is published.",
    )
    status = models.CharField(
        max_length=20,
        choices=Status,
        default=Status.DRAFT,
        db_index=True,
        help_text="Only published items are shown to visitors.",
    )
    published_at = models.DateTimeField(
        "publication date",
        null=True,
        blank=True,
        db_index=True,
        help_text="When the item goes live. Leave empty to publish now; a future date "
        "schedules it.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    seo_description = models.CharField(
        "search engine description",
        max_length=160,
        blank=True,
        help_text="One sentence shown by search engines and link previews (at most 160 "
        "characters). Leave empty to use the summary.",
    )
    # Bumped on every save: the admin refuses a save made from an older version.
    edit_version = models.PositiveIntegerField(default=1, editable=False)
    # Problems found when the item was last linked (exosite.kernel.mentions.record_mentions).
    broken_links = models.PositiveSmallIntegerField(default=0, editable=False)
    citation_problems = models.PositiveSmallIntegerField(default=0, editable=False)
    link_warnings = models.JSONField(default=list, blank=True, editable=False)
    tags = TaggableManager(
        manager=TidyTaggableManager,
        blank=True,
        help_text="Comma-separated topics shared by articles, glossary terms and FAQ "
        "entries. Case does not matter: 'Immunology' and 'immunology' are one tag.",
    )

    # Markdown source field -> field storing its sanitised HTML, rendered on every save.
    markdown_fields = {}

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.render_markdown_fields()
        if self.status == Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
        if self.pk is not None:
            self.edit_version = (self.edit_version or 0) + 1
        if kwargs.get("update_fields") is not None:
            # A partial save (update_or_create does one) still writes what it derived.
            kwargs["update_fields"] = {
                *kwargs["update_fields"],
                *self.markdown_fields.values(),
                "published_at",
                "edit_version",
            }
        super().save(*args, **kwargs)

    def render_markdown_fields(self):
        for source, target in self.markdown_fields.items():
            setattr(self, target, render_markdown(getattr(self, source)))

    @property
    def is_published(self):
        return (
            self.status == Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )


def one_year_after(day):
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day + timedelta(days=365)


class Reviewed(models.Model):
    """Content that a named expert reviews before it is published (the editorial policy).

    A review is recorded for the text as it is then (`reviewed_fingerprint`): when the
    reviewer or the review date is set or changed, or through `record_review()`. Any later
    change to the reviewed fields makes the review out of date (`review_current` is
    False) until a new review is recorded; publishing is gated on it (exosite.kernel.review).
    """

    reviewer = models.ForeignKey(
        settings.EXOSITE_PEOPLE_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="%(app_label)s_%(class)s_reviewed",
        verbose_name="medical reviewer",
        help_text="The expert who checked this version; not one of its authors.",
    )
    reviewed_at = models.DateField(
        "last review",
        null=True,
        blank=True,
        help_text="The date the reviewer checked the text as it is now.",
    )
    next_review_at = models.DateField(
        "next review due",
        null=True,
        blank=True,
        help_text="12 months after the last review unless you set it.",
    )
    reviewed_fingerprint = models.CharField(max_length=64, blank=True, editable=False)
    review_current = models.BooleanField("reviewed in this version", default=False, editable=False)
    unreviewed_reason = models.TextField(
        "published without review because",
        blank=True,
        editable=False,
        help_text="Given by whoever published it without a current review (also in history).",
    )

    # The fields a review covers: changing any of them needs a new review.
    reviewed_fields = ()

    class Meta:
        abstract = True

    _loaded_review = None

    def save(self, *args, **kwargs):
        loaded = self._loaded_review or (None, None, None)
        reviewer_changed = self.reviewer_id != loaded[0]
        date_changed = self.reviewed_at != loaded[1]
        follows = date_changed and self.next_review_at == loaded[2]  # not set by hand
        if self.reviewed_at and (follows or not self.next_review_at):
            self.next_review_at = one_year_after(self.reviewed_at)
        fingerprint = self.content_fingerprint()
        recorded = getattr(self, "_review_recorded", False) or reviewer_changed or date_changed
        if recorded and self.reviewer_id and self.reviewed_at:
            self.reviewed_fingerprint = fingerprint
            self.unreviewed_reason = ""
        elif not (self.reviewer_id and self.reviewed_at):
            self.reviewed_fingerprint = ""
        self.review_current = bool(
            self.reviewer_id and self.reviewed_at and self.reviewed_fingerprint == fingerprint
        )
        self._review_recorded = False
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {
                *kwargs["update_fields"],
                "next_review_at",
                "reviewed_fingerprint",
                "review_current",
                "unreviewed_reason",
            }
        super().save(*args, **kwargs)
        self._loaded_review = (self.reviewer_id, self.reviewed_at, self.next_review_at)

    @classmethod
    def from_db(cls, db, field_names, values, *args, **kwargs):
        obj = super().from_db(db, field_names, values, *args, **kwargs)
        obj._loaded_review = (
            obj.__dict__.get("reviewer_id"),
            obj.__dict__.get("reviewed_at"),
            obj.__dict__.get("next_review_at"),
        )
        return obj

    def content_fingerprint(self):
        values = [str(getattr(self, name) or "") for name in self.reviewed_fields]
        return hashlib.sha256(json.dumps(values).encode()).hexdigest()

    def record_review(self, reviewer, on=None):
        """Record that `reviewer` reviewed the text as it is now (saved with the item)."""
        self.reviewer = reviewer
        self.reviewed_at = on or timezone.localdate()
        self._review_recorded = True


class Mention(models.Model):
    """One piece of content linking to another (a cross-link or a glossary auto-link).

    Kept so that pages can list their backlinks and related content with one query; it is
    refreshed when the item is saved and when the glossary changes (exosite.kernel.mentions).
    """

    source_type = models.ForeignKey(
        "contenttypes.ContentType", on_delete=models.CASCADE, related_name="+"
    )
    source_id = models.PositiveBigIntegerField()
    target_type = models.ForeignKey(
        "contenttypes.ContentType", on_delete=models.CASCADE, related_name="+"
    )
    target_id = models.PositiveBigIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=("source_type", "source_id", "target_type", "target_id"),
                name="unique_mention",
            )
        ]
        indexes = [models.Index(fields=("target_type", "target_id"))]

    def __str__(self):
        return f"{self.source_type_id}:{self.source_id} -> {self.target_type_id}:{self.target_id}"


class RateLimitHit(models.Model):
    """One counted action (a question sent, a vote) by one client, for rate limits that
    hold across server processes. Old rows are deleted as new ones are counted."""

    scope = models.CharField(max_length=40)
    client = models.CharField(max_length=64, help_text="A keyed hash, never the raw address.")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=("scope", "client", "at"))]

    def __str__(self):
        return f"{self.scope} {self.client[:8]} {self.at:%Y-%m-%d %H:%M}"


class SearchDocument(models.Model):
    """One published item of a searchable content kind as site search sees it.

    Written by `exosite.search.documents` whenever the content, its tags or what it
    watches change (signals), and only for items whose status is published: drafts never enter
    the index, and scheduled items are filtered out by `published_at` at query time, so
    they appear at their time without a cron job. The full-text index itself lives in
    the database (migrations 0003 and 0007): FTS5 tables kept current by triggers on
    SQLite (English; Spanish stemmed by exosite.search.stemming); generated, weighted
    tsvector columns with GIN indexes on PostgreSQL, in the row's language's configuration.

    On SQLite, a migration that alters this table's columns remakes the table and drops
    its triggers: such a migration must re-create them (see 0003 and 0007) and rebuild
    the index (`manage.py rebuild_search_index`).
    """

    content_type = models.ForeignKey(
        "contenttypes.ContentType", on_delete=models.CASCADE, related_name="+"
    )
    object_id = models.PositiveBigIntegerField()
    # The content kind's name (exosite.kernel.kinds): "article", "glossary", "faq".
    kind = models.CharField(max_length=20)
    url = models.CharField(max_length=300)
    published_at = models.DateTimeField()
    # The item's language: each search reads one language's documents, stemmed its way.
    language = models.CharField(max_length=8, default="en")
    # The searched fields, as plain text, from most to least weighty.
    title = models.CharField(max_length=300)
    keywords = models.TextField(blank=True, help_text="A term's abbreviation and aliases.")
    tags = models.TextField(blank=True, help_text="Tag names (and an FAQ entry's topic).")
    summary = models.TextField(blank=True)
    body = models.TextField(blank=True)
    # "|name|alias|...|", folded (exosite.search.query.fold_key): exact matches rank first.
    exact_keys = models.TextField(blank=True)
    # Words the SQLite index filters by, never searched: kind, tag ids, exact names.
    filters = models.TextField(blank=True)

    class Meta:
        ordering = ("-published_at",)
        constraints = [
            models.UniqueConstraint(
                fields=("content_type", "object_id"), name="unique_search_document"
            )
        ]
        indexes = [
            models.Index(fields=("kind", "published_at")),
            models.Index(fields=("published_at",), name="exosite_searchdoc_published"),
            models.Index(
                fields=("language", "kind", "published_at"), name="exosite_searchdoc_language"
            ),
        ]

    def __str__(self):
        return f"{self.kind}: {self.title}"


class SlugRedirect(models.Model):
    """An address a published item used to have. Old URLs answer with a permanent
    redirect to the item's current address, so chains collapse by construction."""

    content_type = models.ForeignKey(
        "contenttypes.ContentType", on_delete=models.CASCADE, related_name="+"
    )
    object_id = models.PositiveBigIntegerField()
    old_slug = models.SlugField(max_length=200)
    # The item's language: slugs are unique within a language, and so are old ones.
    language = models.CharField(max_length=8, default=languages.SOURCE)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=("content_type", "language", "old_slug"),
                name="unique_old_slug_per_kind_and_language",
            )
        ]

    def __str__(self):
        return f"{self.old_slug} -> {self.content_type_id}:{self.object_id}"


class ShareLink(models.Model):
    """A signed, expiring, revocable link that shows one unpublished item to a reviewer
    without an account."""

    content_type = models.ForeignKey(
        "contenttypes.ContentType", on_delete=models.CASCADE, related_name="+"
    )
    object_id = models.PositiveBigIntegerField()
    created_by = models.ForeignKey(
        "auth.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at",)

    def __str__(self):
        return f"Share link {self.pk} for {self.content_type_id}:{self.object_id}"

    @property
    def is_active(self):
        return self.revoked_at is None and self.expires_at > timezone.now()


class TagRedirect(models.Model):
    """The address of a tag merged into another: /tags/<old_slug>/ answers with a permanent
    redirect to the kept tag's page (exosite.kernel.tags). Always points at a tag that
    exists (a later merge of that tag re-points it), and never at a slug a tag still has:
    such a row is dropped when a tag takes the slug, and the page looks for tags first."""

    old_slug = models.SlugField(max_length=100, unique=True, allow_unicode=True)
    tag = models.ForeignKey("taggit.Tag", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("old_slug",)

    def __str__(self):
        return f"/tags/{self.old_slug}/ → tag {self.tag_id}"
