import unicodedata

from django.db import models
from simple_history.models import HistoricalRecords

from exosite.kernel.audio import content_type, validate_audio
from exosite.kernel.revisions import RevisionSnapshot
from exosite.models import Publishable, PublishableQuerySet, Reviewed, per_language

REVIEWED_FIELDS = ("name", "abbreviation", "aliases", "short_definition", "definition")


class TermQuerySet(PublishableQuerySet):
    def for_listing(self):
        return self.only("name", "slug", "language", "abbreviation", "short_definition")

    def for_detail(self):
        return self.prefetch_related(
            "tags",
            models.Prefetch(
                "related", queryset=Term.objects.published().only("name", "slug", "language")
            ),
        )


class Term(Reviewed, Publishable):
    name = models.CharField(max_length=200, help_text="Unique within the term's language.")
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
    technical_definition = models.TextField(
        blank=True,
        help_text="Markdown, optional. The definition for health professionals and "
        "researchers, in the field's own terms, cited like the full definition. Visitors "
        "switch between “Plain language” (the short and full definitions, shown first) and "
        "“Technical” on the term page; tooltips always show the short definition. Leave "
        "empty if the plain definition says it all: the page then has no switch.",
    )
    technical_definition_html = models.TextField(editable=False, default="")
    pronunciation = models.CharField(
        max_length=100,
        blank=True,
        help_text="How to say the term, respelled as the NCI Dictionary of Cancer Terms "
        "does: syllables separated by hyphens, the stressed syllable in capitals, everyday "
        "spellings for the sounds, e.g. 'EK-soh-sohm' for exosome, 'LIH-pid' for lipid. "
        "Shown under the name as “Pronunciation: EK-soh-sohm”. Leave empty if you are "
        "not sure how the term is said.",
    )
    pronunciation_audio = models.FileField(
        "pronunciation recording",
        upload_to="glossary/pronunciation/",
        blank=True,
        validators=[validate_audio],
        help_text="Optional: the term said aloud, a few seconds long, played with a "
        "standard audio control under the name. MP3, Ogg, WAV or M4A; a larger file or "
        "any other kind is refused with the reason. Add the respelling too: not everyone "
        "can play sound.",
    )
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
        excluded_fields=("definition_html", "technical_definition_html", "link_warnings"),
        m2m_fields=[related],
        bases=[RevisionSnapshot],
    )
    markdown_fields = {
        "definition": "definition_html",
        "technical_definition": "technical_definition_html",
    }

    class Meta:
        ordering = ("name",)
        constraints = per_language("slug", "name")
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
        return self.url_in_language("glossary:detail", kwargs={"slug": self.slug})

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

    @property
    def audio_type(self):
        """The MIME type the pronunciation recording is served as ("" without one)."""
        return content_type(self.pronunciation_audio.name) if self.pronunciation_audio else ""

    @property
    def reviewed_fields(self):
        """The technical definition is health content like the rest, so a review covers
        it; it came after reviews were first recorded, so it counts only once written (a
        review of a term without one stays current). The pronunciation and its recording
        are not medical content: fixing a respelling needs no new review."""
        if self.technical_definition:
            return (*REVIEWED_FIELDS, "technical_definition")
        return REVIEWED_FIELDS
