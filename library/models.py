import re

from django.contrib.contenttypes.fields import GenericForeignKey
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from .identifiers import key_base, normalise_doi, normalise_pmid

KEY_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,59}$")


class Reference(models.Model):
    """One publication or official page, kept once and cited from any article, glossary
    term or FAQ entry as [@key]. Each item numbers what it cites in the order it first
    cites it (exosite.kernel.citations)."""

    key = models.SlugField(
        "citation key",
        max_length=60,
        unique=True,
        help_text="Cite it in the text as [@key]. Filled in from the first author and year "
        "(e.g. welsh2024); it cannot change once the reference is saved.",
    )
    doi = models.CharField(
        "DOI",
        max_length=200,
        blank=True,
        help_text="For example 10.1002/jev2.12404 (a doi.org address is accepted too).",
    )
    pmid = models.CharField(
        "PubMed ID", max_length=10, blank=True, help_text="Digits only, e.g. 38326288."
    )
    authors = models.CharField(
        max_length=500,
        help_text="As printed in the citation: “Welsh JA, Goberdhan DCI, O'Driscoll L, et al.” "
        "or an organisation such as “US Food and Drug Administration”.",
    )
    title = models.TextField(help_text="The title of the article, book or page.")
    journal = models.CharField(
        "journal or publisher",
        max_length=300,
        blank=True,
        help_text="Abbreviated as in PubMed, e.g. “J Extracell Vesicles”.",
    )
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    volume = models.CharField(max_length=30, blank=True)
    issue = models.CharField(max_length=30, blank=True)
    pages = models.CharField(
        max_length=60, blank=True, help_text="Pages or article number, e.g. 341-345 or e12404."
    )
    url = models.URLField(
        "URL", max_length=500, blank=True, help_text="For sources without a DOI or PubMed ID."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ("key",)
        constraints = [
            models.UniqueConstraint(
                fields=("doi",), condition=~Q(doi=""), name="unique_reference_doi"
            ),
            models.UniqueConstraint(
                fields=("pmid",), condition=~Q(pmid=""), name="unique_reference_pmid"
            ),
        ]

    def __str__(self):
        return f"{self.key}: {self.citation[:100]}"

    def save(self, *args, **kwargs):
        if not self.key:
            self.key = unique_key(self.authors, self.year, exclude=self.pk)
        super().save(*args, **kwargs)

    def clean(self):
        errors = {}
        for name, normalise in (("doi", normalise_doi), ("pmid", normalise_pmid)):
            try:
                setattr(self, name, normalise(getattr(self, name)))
            except ValidationError as error:
                errors[name] = error
        if self.key and not KEY_RE.match(self.key):
            errors["key"] = ValidationError(
                "A citation key is lower-case letters, digits, - and _, at most 60 "
                "characters, e.g. welsh2024."
            )
        if not (self.doi or self.pmid or self.url or errors.keys() & {"doi", "pmid"}):
            errors["url"] = ValidationError(
                "Give a DOI, a PubMed ID or, for a source without either, its address."
            )
        if errors:
            raise ValidationError(errors)

    @property
    def citation(self):
        """The formatted citation (Vancouver style, as PubMed prints it)."""
        parts = [self.authors.rstrip("."), self.title.rstrip(".")]
        if self.journal:
            parts.append(self.journal.rstrip("."))
        where = str(self.year or "")
        if self.volume:
            where += f";{self.volume}"
            if self.issue:
                where += f"({self.issue})"
        if self.pages:
            where += f":{self.pages}"
        if where:
            parts.append(where)
        return ". ".join(part for part in parts if part) + "."

    @property
    def doi_url(self):
        return f"https://doi.org/{self.doi}" if self.doi else ""

    @property
    def pubmed_url(self):
        return f"https://pubmed.ncbi.nlm.nih.gov/{self.pmid}/" if self.pmid else ""

    @property
    def link(self):
        return self.doi_url or self.pubmed_url or self.url


def unique_key(authors, year, exclude=None):
    """A free citation key: welsh2024, then welsh2024b, welsh2024c ..."""
    base = key_base(authors, year)
    taken = set(
        Reference.objects.filter(key__startswith=base)
        .exclude(pk=exclude)
        .values_list("key", flat=True)
    )
    return next_free(base, taken)


def next_free(base, taken):
    if base not in taken:
        return base
    for letter in "bcdefghijklmnopqrstuvwxyz":
        if base + letter not in taken:
            return base + letter
    number = 2
    while f"{base}-{number}" in taken:
        number += 1
    return f"{base}-{number}"


class Citation(models.Model):
    """An item of any content kind citing a reference. `position` is the number the item
    gives the reference: the order of its first citation in the text. Written when the
    item is linked on save (exosite.kernel.mentions), never by hand."""

    reference = models.ForeignKey(Reference, on_delete=models.PROTECT, related_name="citations")
    content_type = models.ForeignKey(
        "contenttypes.ContentType", on_delete=models.CASCADE, related_name="+"
    )
    object_id = models.PositiveBigIntegerField()
    item = GenericForeignKey("content_type", "object_id")
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ("content_type", "object_id", "position")
        constraints = [
            models.UniqueConstraint(
                fields=("content_type", "object_id", "reference"), name="unique_citation"
            )
        ]
        indexes = [models.Index(fields=("content_type", "object_id", "position"))]

    def __str__(self):
        return f"[{self.position}] {self.reference.key}"
