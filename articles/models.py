from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from exosite.models import Publishable, PublishableQuerySet


class ArticleQuerySet(PublishableQuerySet):
    def for_listing(self):
        return self.prefetch_related("tags")

    def for_detail(self):
        return self.prefetch_related("tags", "references")


class Article(Publishable):
    title = models.CharField(max_length=200)
    summary = models.TextField(
        help_text="The dek: one or two plain sentences under the title, also used in "
        "lists and link previews."
    )
    body = models.TextField(
        help_text="Markdown. Use ## for section headings, cite references by number "
        "as [1], [2, 3] or [4–6], and list the references below in the same order."
    )
    body_html = models.TextField(editable=False, default="")
    authors = models.CharField(
        max_length=300, help_text="As shown on the page, e.g. 'A. Writer, B. Editor'."
    )
    reviewed_at = models.DateField(
        "last medical review",
        null=True,
        blank=True,
        help_text="The date the content was last checked by a medical reviewer.",
    )
    reviewed_by = models.CharField(
        "medical reviewer",
        max_length=200,
        blank=True,
        help_text="Who carried out the last medical review.",
    )
    lead_image = models.ImageField(upload_to="articles/lead/", blank=True)
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
    markdown_fields = {"body": "body_html"}

    class Meta:
        ordering = ("-published_at", "title")
        indexes = [models.Index(fields=("status", "published_at"))]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("articles:detail", kwargs={"slug": self.slug})

    def clean(self):
        if self.lead_image and not self.lead_image_alt.strip():
            raise ValidationError(
                {"lead_image_alt": "Describe the lead image for people who cannot see it."}
            )

    @property
    def description(self):
        return self.seo_description or self.summary


class Reference(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="references")
    position = models.PositiveSmallIntegerField(
        help_text="The number the body cites this reference by: [1], [2] ..."
    )
    citation = models.TextField(
        help_text="The formatted citation: authors, title, journal, year, volume, pages."
    )
    doi = models.CharField(
        "DOI", max_length=200, blank=True, help_text="For example 10.1126/science.aau6977"
    )
    pmid = models.CharField(
        "PubMed ID", max_length=20, blank=True, help_text="Digits only, e.g. 32029601"
    )
    url = models.URLField("URL", blank=True, help_text="For sources without a DOI.")

    class Meta:
        ordering = ("article", "position")
        constraints = [
            models.UniqueConstraint(
                fields=("article", "position"), name="unique_reference_position"
            )
        ]

    def __str__(self):
        return f"[{self.position}] {self.citation[:80]}"

    def clean(self):
        self.doi = self.doi.strip().removeprefix("https://doi.org/").removeprefix("doi:")
        if self.pmid and not self.pmid.strip().isdigit():
            raise ValidationError({"pmid": "A PubMed ID is a number, e.g. 32029601."})

    @property
    def doi_url(self):
        return f"https://doi.org/{self.doi}" if self.doi else ""

    @property
    def pubmed_url(self):
        return f"https://pubmed.ncbi.nlm.nih.gov/{self.pmid}/" if self.pmid else ""
