import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from exosite.kernel import languages
from exosite.kernel.images import validate_image
from exosite.kernel.revisions import RevisionSnapshot
from exosite.models import Publishable, PublishableQuerySet, per_language

ORCID_RE = re.compile(r"^https://orcid\.org/\d{4}-\d{4}-\d{4}-\d{3}[\dX]$")


class PersonQuerySet(models.QuerySet):
    def public(self):
        return self.filter(is_public=True)


class Person(models.Model):
    """An author or reviewer as readers see them. Not an admin account: outside reviewers
    have a profile and no login."""

    name = models.CharField(max_length=150)
    slug = models.SlugField(unique=True, max_length=160)
    credentials = models.CharField(
        max_length=200, blank=True, help_text="For example “PhD, cell biology” or “MD, FRCP”."
    )
    role = models.CharField(
        max_length=120, blank=True, help_text="For example “Medical reviewer” or “Science writer”."
    )
    bio = models.TextField("short biography", blank=True, help_text="Plain text, a few sentences.")
    photo = models.ImageField(upload_to="people/", blank=True, validators=[validate_image])
    photo_alt = models.CharField(
        "photo description", max_length=200, blank=True, help_text="Required with a photo."
    )
    orcid = models.URLField(
        "ORCID iD",
        blank=True,
        help_text="The full address, e.g. https://orcid.org/0000-0002-1825-0097",
    )
    conflicts_of_interest = models.TextField(
        blank=True,
        help_text="Funding, employment, shares or other interests related to the subject. "
        "Write “None declared.” if there are none.",
    )
    is_public = models.BooleanField(
        "show a public profile", default=True, help_text="Untick to hide the profile page."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ("name",)
        verbose_name = "person"
        verbose_name_plural = "people"

    def __str__(self):
        return f"{self.name}, {self.credentials}" if self.credentials else self.name

    def get_absolute_url(self):
        return reverse("trust:person", kwargs={"slug": self.slug})

    def in_language(self, language):
        """The person with their credentials, role, biography and conflicts of interest
        in `language` where a translation has them (`PersonTranslation`); the original's
        otherwise. Uses `texts` when prefetched."""
        if language == languages.SOURCE:
            return self
        texts = next((text for text in self.texts.all() if text.language == language), None)
        if texts is not None:
            for field in PersonTranslation.TRANSLATED:
                value = getattr(texts, field)
                if value:
                    setattr(self, field, value)
        return self

    def clean(self):
        if self.photo and not self.photo_alt.strip():
            raise ValidationError({"photo_alt": "Describe the photo for people who cannot see it."})
        if self.orcid and not ORCID_RE.match(self.orcid):
            raise ValidationError(
                {"orcid": "Give the full ORCID address, like https://orcid.org/0000-0002-1825-0097"}
            )


class PersonTranslation(models.Model):
    """A person's credentials, role, biography and declared interests in another language
    than the site's source language: the same person, described for that language's
    pages. An empty field shows the original's."""

    TRANSLATED = ("credentials", "role", "bio", "conflicts_of_interest")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="texts")
    language = models.CharField(
        max_length=8,
        choices=[(code, name) for code, name in settings.LANGUAGES if code != languages.SOURCE],
    )
    credentials = models.CharField(max_length=200, blank=True)
    role = models.CharField(max_length=120, blank=True)
    bio = models.TextField("short biography", blank=True)
    conflicts_of_interest = models.TextField(blank=True)

    class Meta:
        verbose_name = "translation"
        constraints = [
            models.UniqueConstraint(
                fields=("person", "language"), name="one_person_translation_per_language"
            )
        ]

    def __str__(self):
        return f"{self.person.name} ({self.get_language_display()})"


class PageQuerySet(PublishableQuerySet):
    pass


class Page(Publishable):
    """A policy or information page (About, Editorial policy, Privacy ...), written in
    Markdown through the same pipeline as articles."""

    title = models.CharField(max_length=200)
    summary = models.CharField(
        max_length=300, blank=True, help_text="One sentence for lists and link previews."
    )
    body = models.TextField(
        help_text="Markdown. [[cross-links]] and glossary auto-links work here too."
    )
    body_html = models.TextField(editable=False, default="")
    in_footer = models.BooleanField(
        "link from the footer", default=True, help_text="Footer links appear in this order."
    )
    position = models.PositiveSmallIntegerField(default=0)

    objects = PageQuerySet.as_manager()
    history = HistoricalRecords(
        excluded_fields=("body_html", "link_warnings"), bases=[RevisionSnapshot]
    )
    markdown_fields = {"body": "body_html"}
    translated_fields = ("title", "summary", "body")

    class Meta:
        ordering = ("position", "title")
        constraints = per_language("slug")
        permissions = [("publish_page", "Can publish and unpublish policy pages")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return self.url_in_language("trust:page", kwargs={"slug": self.slug})

    @property
    def description(self):
        return self.seo_description or self.summary


class Feedback(models.Model):
    """'Was this page helpful?' (then an optional comment) and 'Report a problem', from any
    page: the site's one feedback model and queue (FAQ entries' votes were moved here, trust
    migration 0005). One helpful vote per visitor and page a day; a later one replaces it.
    Visitor text is shown to staff as plain text only."""

    class Kind(models.TextChoices):
        HELPFUL = "helpful", "Page helpful"
        NOT_HELPFUL = "not-helpful", "Page not helpful"
        PROBLEM = "problem", "Problem report"

    class Status(models.TextChoices):
        NEW = "new", "New"
        DONE = "done", "Dealt with"
        DISMISSED = "dismissed", "Dismissed"

    kind = models.CharField(max_length=20, choices=Kind, db_index=True)
    page = models.CharField(max_length=300, db_index=True, help_text="The page's address.")
    comment = models.TextField(blank=True, max_length=2000)
    contact = models.CharField(max_length=200, blank=True, help_text="Optional email or phone.")
    client = models.CharField(max_length=64, editable=False)
    received_at = models.DateTimeField(default=timezone.now, editable=False, db_index=True)
    status = models.CharField(max_length=20, choices=Status, default=Status.NEW, db_index=True)

    class Meta:
        ordering = ("-received_at",)
        verbose_name = "feedback"
        verbose_name_plural = "feedback"

    def __str__(self):
        return f"{self.get_kind_display()} on {self.page}"
