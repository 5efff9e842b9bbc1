from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.html import format_html
from simple_history.models import HistoricalRecords

from exosite.kernel.images import srcset, validate_image
from exosite.kernel.revisions import RevisionSnapshot
from exosite.kernel.tasks import ran_already
from exosite.models import Publishable, PublishableQuerySet, Reviewed, per_language

# How wide an image is shown: the reading column (46rem) or the whole small screen.
IMAGE_SIZES = "(min-width: 48rem) 46rem, 100vw"


class ArticleQuerySet(PublishableQuerySet):
    def for_listing(self):
        return self.prefetch_related("tags")

    def review_overdue(self, today):
        return self.filter(next_review_at__lt=today)

    def review_due_soon(self, today, days=30):
        return self.filter(
            next_review_at__gte=today, next_review_at__lte=today + timedelta(days=days)
        )


class Article(Reviewed, Publishable):
    title = models.CharField(max_length=200)
    summary = models.TextField(
        help_text="The dek: one or two plain sentences under the title, also used in "
        "lists and link previews."
    )
    body = models.TextField(
        help_text="Markdown. Use ## for section headings. Cite references from the "
        "library by key, [@welsh2024] or [@welsh2024; @thery2018], or by DOI, "
        "[@doi:10.1002/jev2.12404]: the page numbers them in the order they are first cited."
    )
    body_html = models.TextField(editable=False, default="")
    author_profiles = models.ManyToManyField(
        "trust.Person",
        related_name="articles_written",
        verbose_name="authors",
        help_text="The people who wrote it, as the page, the feeds and the structured data "
        "name them. Type to find a profile; add one under People first if needed.",
    )
    lead_image = models.ImageField(
        upload_to="articles/lead/",
        blank=True,
        validators=[validate_image],
        help_text="JPEG, PNG, WebP or GIF, up to 10 MB and 40 megapixels.",
    )
    lead_image_renditions = models.JSONField(default=list, blank=True, editable=False)
    lead_image_alt = models.CharField(
        "lead image description",
        max_length=250,
        blank=True,
        help_text="Describe the image for people who cannot see it. Required with an image.",
    )
    featured = models.BooleanField(
        default=False, help_text="Featured articles are shown first on the home page."
    )
    autolink_terms = models.BooleanField(
        "link glossary terms",
        default=True,
        help_text="Link the first mention of each glossary term in the body to its "
        "definition. Explicit [[cross-links]] work either way.",
    )

    objects = ArticleQuerySet.as_manager()
    history = HistoricalRecords(
        excluded_fields=("body_html", "link_warnings"), bases=[RevisionSnapshot]
    )
    markdown_fields = {"body": "body_html"}

    class Meta:
        ordering = ("-published_at", "title")
        constraints = per_language("slug")
        indexes = [models.Index(fields=("status", "published_at"))]
        permissions = [
            ("publish_article", "Can publish and unpublish articles"),
            ("review_article", "Can record the medical review of articles"),
            (
                "publish_unreviewed_article",
                "Can publish articles without a current review, giving a reason",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return self.url_in_language("articles:detail", kwargs={"slug": self.slug})

    def save(self, *args, **kwargs):
        image_changed = self._state.adding or self.lead_image.name != self._loaded_lead_image
        if image_changed or not self.lead_image:
            # Renditions of the image this one replaces must never be shown with it.
            self.lead_image_renditions = []
        super().save(*args, **kwargs)
        self._loaded_lead_image = self.lead_image.name
        if image_changed and self.lead_image:
            from .tasks import make_lead_image_renditions

            self.lead_image_renditions = ran_already(
                make_lead_image_renditions.enqueue(self.pk, self.lead_image.name), []
            )

    _loaded_lead_image = None

    @classmethod
    def from_db(cls, db, field_names, values, *args, **kwargs):
        article = super().from_db(db, field_names, values, *args, **kwargs)
        if "lead_image" in field_names:
            article._loaded_lead_image = article.lead_image.name
        return article

    reviewed_fields = ("title", "summary", "body")

    def clean(self):
        if self.lead_image and not self.lead_image_alt.strip():
            raise ValidationError(
                {"lead_image_alt": "Describe the lead image for people who cannot see it."}
            )

    @property
    def description(self):
        return self.seo_description or self.summary

    @property
    def lead_image_srcset(self):
        return srcset(self.lead_image.storage, self.lead_image_renditions)

    image_sizes = IMAGE_SIZES

    @property
    def review_overdue(self):
        return self.next_review_at is not None and self.next_review_at < date.today()


class Figure(models.Model):
    """An image placed in an article's body with [[figure:key]] on a line of its own."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="figures")
    key = models.SlugField(
        max_length=60,
        help_text="Short name used in the body: [[figure:key]] on a line of its own.",
    )
    image = models.ImageField(
        upload_to="articles/figures/",
        validators=[validate_image],
        help_text="JPEG, PNG, WebP or GIF, up to 10 MB and 40 megapixels.",
    )
    alt = models.CharField(
        "description",
        max_length=250,
        help_text="Describe the image for people who cannot see it (required).",
    )
    caption = models.CharField(max_length=300, blank=True)
    credit = models.CharField(max_length=200, blank=True, help_text="Source or licence.")
    width = models.PositiveIntegerField(default=0, editable=False)
    height = models.PositiveIntegerField(default=0, editable=False)
    renditions = models.JSONField(default=list, blank=True, editable=False)

    history = HistoricalRecords(excluded_fields=("renditions",))

    class Meta:
        ordering = ("article_id", "key")
        constraints = [models.UniqueConstraint(fields=("article", "key"), name="unique_figure_key")]

    def __str__(self):
        return self.key

    def save(self, *args, **kwargs):
        image_changed = self._state.adding or self.image.name != self._loaded_image
        if image_changed:
            self.renditions = []  # those of the image this one replaces
        super().save(*args, **kwargs)
        self._loaded_image = self.image.name
        if image_changed and self.image:
            # The size at once (the page reserves the space); the renditions in a task.
            self.width, self.height = self.image.width, self.image.height
            Figure.objects.filter(pk=self.pk).update(width=self.width, height=self.height)
            from .tasks import make_figure_renditions

            self.renditions = ran_already(
                make_figure_renditions.enqueue(self.pk, self.image.name), []
            )

    @classmethod
    def from_db(cls, db, field_names, values, *args, **kwargs):
        figure = super().from_db(db, field_names, values, *args, **kwargs)
        figure._loaded_image = figure.image.name if "image" in field_names else None
        return figure

    _loaded_image = None

    def html(self):
        """The figure as it appears in the body: responsive WebP with the original as
        fallback, lazily loaded, with its caption and credit."""
        storage = self.image.storage
        source = (
            format_html(
                '<source type="image/webp" srcset="{}" sizes="{}">',
                srcset(storage, self.renditions),
                IMAGE_SIZES,
            )
            if self.renditions
            else ""
        )
        caption = ""
        if self.caption or self.credit:
            credit = (
                format_html(' <span class="credit">{}</span>', self.credit) if self.credit else ""
            )
            caption = format_html("<figcaption>{}{}</figcaption>", self.caption, credit)
        return format_html(
            '<figure class="figure" id="figure-{}"><picture>{}<img src="{}" alt="{}" '
            'width="{}" height="{}" loading="lazy" decoding="async"></picture>{}</figure>',
            self.key,
            source,
            self.image.url,
            self.alt,
            self.width or "",
            self.height or "",
            caption,
        )
