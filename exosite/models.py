"""What every piece of published content shares: workflow status, dates, tags, SEO.

Abstract only: each app's concrete models inherit from `Publishable` and attach
`PublishableQuerySet` (or a subclass) so that every public path goes through
`published()`.
"""

from django.db import models
from django.utils import timezone
from taggit.managers import TaggableManager

from .markup import render_markdown


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    REVIEW = "review", "In review"
    PUBLISHED = "published", "Published"


class PublishableQuerySet(models.QuerySet):
    def published(self):
        """Visible to the public now: published, and not scheduled for later."""
        return self.filter(status=Status.PUBLISHED, published_at__lte=timezone.now())


class Publishable(models.Model):
    slug = models.SlugField(
        unique=True,
        max_length=200,
        help_text="The last part of the page address. Filled in from the title; "
        "change it only before the item is published.",
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
    tags = TaggableManager(
        blank=True,
        help_text="Comma-separated topics shared by articles, glossary terms and FAQ "
        "entries. Case does not matter: 'Immunology' and 'immunology' are one tag.",
    )

    # Markdown source field -> field storing its sanitised HTML, rendered on every save.
    markdown_fields = {}

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        for source, target in self.markdown_fields.items():
            setattr(self, target, render_markdown(getattr(self, source)))
        if self.status == Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
        if kwargs.get("update_fields") is not None:
            # A partial save (update_or_create does one) still writes what it derived.
            kwargs["update_fields"] = {
                *kwargs["update_fields"],
                *self.markdown_fields.values(),
                "published_at",
            }
        super().save(*args, **kwargs)

    @property
    def is_published(self):
        return (
            self.status == Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )


class Mention(models.Model):
    """One piece of content linking to another (a cross-link or a glossary auto-link).

    Kept so that pages can list their backlinks and related content with one query; it is
    refreshed when the source is saved and when the glossary changes (exosite.linking).
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
