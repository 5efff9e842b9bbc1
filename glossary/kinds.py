"""Glossary terms as a content kind (exosite.kernel.kinds): found by name in cross-links
([[Dendritic cells]]), auto-linked where they first appear, searched by name and alias."""

import unicodedata

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from exosite.kernel import languages, memo
from exosite.kernel.kinds import ContentKind, Expansion
from exosite.kernel.text import plain_text

from .autolink import AutoLinker, LinkTarget
from .models import Term

# (scope, language, glossary version) -> GlossaryIndex: only the latest of each scope and
# language is useful.
_indexes = memo.Memo("glossary index", size=2 * len(languages.codes()))
# (language, glossary version) -> the published terms' Expansions (suggestions' query
# expansion).
_expansions = memo.Memo("glossary expansions", size=2 * len(languages.codes()))

APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'"})


def name_key(name):
    """How names compare in [[Name]] cross-links: any case, any apostrophe, any spacing."""
    text = unicodedata.normalize("NFKC", name).translate(APOSTROPHES)
    return " ".join(text.casefold().split())


class GlossaryIndex:
    """Every published term of one glossary version: for finding by name and auto-linking."""

    def __init__(self, kind, terms, language=languages.SOURCE):
        self.by_name = {}
        targets = []
        now = timezone.now()
        for term in terms:
            target = kind.target(term, now)
            for name in (term.name, term.abbreviation, *term.alias_list):
                if name:
                    self.by_name.setdefault(name_key(name), target)
            if term.autolink:
                targets.append(
                    LinkTarget(
                        key=target.key,
                        url=target.url,
                        title=term.name,
                        short_definition=term.short_definition,
                        phrases=(term.name, *term.alias_list),
                        abbreviations=(term.abbreviation,) if term.abbreviation else (),
                    )
                )
        self.linker = AutoLinker(targets, language=language)

    def find(self, name):
        return self.by_name.get(name_key(name))

    def autolink(self, html, exclude_keys=()):
        result = self.linker.link(html, exclude_keys=exclude_keys)
        return result.html, result.linked_keys


class TermKind(ContentKind):
    cites = True
    import_resource = "glossary.resources.TermResource"
    name = "glossary"
    model = Term
    label = _("Glossary term")
    plural = _("Glossary terms")
    title_field = "name"
    html_field = "definition_html"
    extra_html_fields = ("technical_definition_html",)
    detail_view = "glossary.views.TermDetailView"
    index_url = "glossary:index"
    list_template = "glossary/tag_items.html"
    sitemap_priority = 0.6
    names_terms = True

    def index(self, scope="live", version=None, language=languages.SOURCE):
        """Every published term in `language` of one glossary version (scheduled ones too
        for scope "all"), for finding by name and auto-linking: built once per version."""
        key = (scope, language, version or self.version())
        index = _indexes.get(key)
        if index is None:
            terms = self.queryset(scope, language).only(
                "name",
                "slug",
                "language",
                "abbreviation",
                "aliases",
                "short_definition",
                "autolink",
                "published_at",
            )
            index = _indexes.set(key, GlossaryIndex(self, terms, language))
        return index

    def search_document(self, term):
        names = [name for name in (term.abbreviation, *term.alias_list) if name]
        return {
            "title": term.name,
            "keywords": "\n".join(names),
            "summary": term.short_definition,
            "body": "\n\n".join(
                plain_text(html)
                for html in (term.definition_html, term.technical_definition_html)
                if html
            ),
            "exact_names": [term.name, *names],
        }

    def expansions(self, language=None):
        """Each published term's names in `language` (the active one by default: name and
        aliases; the abbreviation, matched as written) and its published related terms'
        names: built once per glossary version."""
        language = language or languages.current()
        key = (language, self.version())
        found = _expansions.get(key)
        if found is None:
            terms = (
                self.queryset(language=language)
                .only("name", "abbreviation", "aliases")
                .prefetch_related(
                    Prefetch("related", queryset=Term.objects.published().only("name"))
                )
            )
            found = _expansions.set(
                key,
                tuple(
                    Expansion(
                        names=(term.name, *term.alias_list),
                        abbreviations=(term.abbreviation,) if term.abbreviation else (),
                        related=tuple(other.name for other in term.related.all()),
                    )
                    for term in terms
                ),
            )
        return found
