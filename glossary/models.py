import unicodedata

from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from exosite.kernel.revisions import RevisionSnapshot
from exosite.models import Publishable, PublishableQuerySet, Reviewed


class TermQuerySet(PublishableQuerySet):
    def for_listing(self):
        return self.only("name", "slug", "abbreviation", "short_definition")

    def for_detail(self):
        return self.prefetch_related(
            "tags",
            models.Prefetch("related", queryset=Term.objects.published().only("name", "slug")),
        )


class Term(Reviewed, Publishable):
    name = models.CharField(max_length=200, unique=True)
    abbreviation = models.CharField(
        max_length=30,
        blank=True,
        help_text="Written exactly as used, e.g. 'MVB' or 'imDC'. Matched case-sensitively.",
    )
    aliases = models.TextField(
        "synonyms and other spellings",
        blank=True,
        help_text="Other names for exactly this term, one per line: synonyms, other "
        "spellings and further abbreviations (e.g. 'paracrine signalling'). Shown as “Also "
        "called” and used to find the term in other content. A related but different idea, "
        "or a name that has a term of its own, goes under Related terms instead.",
    )
    short_definition = models.CharField(
        max_length=300,
        help_text="One or two plain sentences, no Markdown. Shown in tooltips, the A–Z "
        "list and search results.",
    )
    definition = models.TextField(
        "full definition", blank=True, help_text="Markdown. The explanation on the term page."
    )
    definition_html = models.TextField(editable=False, default="")
    related = models.ManyToManyField(
        "self",
        blank=True,
        symmetrical=True,
        verbose_name="related terms (not synonyms)",
        help_text="Terms for related but different ideas (e.g. a tetraspanin and CD9), "
        "listed under “Related terms” on both pages. Another name for this same term goes "
        "under Synonyms and other spellings instead.",
    )
    autolink = models.BooleanField(
        "link automatically",
        default=True,
        help_text="Link this term where it first appears in articles and FAQ answers.",
    )

    objects = TermQuerySet.as_manager()
    history = HistoricalRecords(
        excluded_fields=("definition_html", "link_warnings"),
        m2m_fields=[related],
        bases=[RevisionSnapshot],
    )
    markdown_fields = {"definition": "definition_html"}
    reviewed_fields = ("name", "abbreviation", "aliases", "short_definition", "definition")

    class Meta:
        ordering = ("name",)
        permissions = [
            ("publish_term", "Can publish and unpublish glossary terms"),
            ("review_term", "Can record the review of glossary terms"),
            (
                "publish_unreviewed_term",
                "Can publish glossary terms without a current review, giving a reason",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("glossary:detail", kwargs={"slug": self.slug})

    @property
    def alias_list(self):
        return [line.strip() for line in self.aliases.splitlines() if line.strip()]

    @property
    def letter(self):
        """The A–Z index letter: the first letter without accents, '#' for others."""
        first = unicodedata.normalize("NFKD", self.name[:1]).encode("ascii", "ignore")
        first = first.decode().upper()
        return first if first.isalpha() else "#"

    @property
    def description(self):
        return self.seo_description or self.short_definition
