import string
from itertools import groupby

from django.conf import settings
from django.template.loader import render_to_string
from django.views.generic import DetailView, ListView

from exosite import linking, structured_data
from exosite.cache import for_content
from exosite.viewmixins import RedirectOldSlugMixin

from .linking import source
from .models import Term

INDEX_LETTERS = [*string.ascii_uppercase, "#"]


class TermViewMixin:
    def get_queryset(self):
        return Term.objects.published()


class TermIndexView(TermViewMixin, ListView):
    """The A–Z glossary: every published term, grouped by initial letter, on one page with
    a letter navigation. A glossary larger than EXOSITE_GLOSSARY_ONE_PAGE_LIMIT terms gets
    a page per letter (?letter=B) instead, so that no page lists thousands of terms."""

    template_name = "glossary/term_index.html"

    def get(self, request, *args, **kwargs):
        self.letters = for_content("glossary-letters", letter_index)
        self.paged = sum(len(pks) for pks in self.letters.values()) > (
            settings.EXOSITE_GLOSSARY_ONE_PAGE_LIMIT
        )
        self.letter = None
        if self.paged:
            wanted = request.GET.get("letter", "").upper()
            present = [letter for letter in INDEX_LETTERS if letter in self.letters]
            self.letter = wanted if wanted in self.letters else present[0]
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        terms = super().get_queryset().for_listing()
        if self.letter:
            terms = terms.filter(pk__in=self.letters[self.letter])
        return terms

    def get_context_data(self, **kwargs):
        # The list and its JSON-LD data are made once per content version (and letter):
        # a letter of a large glossary has hundreds of terms.
        origin = f"{self.request.scheme}://{self.request.get_host()}"
        parts = for_content(f"glossary-index:{self.letter}:{origin}", self.parts)
        return super().get_context_data(
            parts=parts,
            letters=[(letter, letter in self.letters) for letter in INDEX_LETTERS],
            paged=self.paged,
            current_letter=self.letter,
            **kwargs,
        )

    def parts(self):
        terms = sorted(self.get_queryset(), key=lambda term: (term.letter, term.name.lower()))
        groups = {letter: list(items) for letter, items in groupby(terms, key=lambda t: t.letter)}
        groups = [(letter, groups[letter]) for letter in INDEX_LETTERS if letter in groups]
        return {
            "list": render_to_string(
                f"{self.template_name}#groups", {"groups": groups}, self.request
            ),
            "structured_data": structured_data.glossary_page(self.request, terms),
        }


def letter_index():
    """{letter: [pk, ...]} of the published terms: one query over two columns."""
    letters = {}
    for pk, name in Term.objects.published().values_list("pk", "name"):
        letters.setdefault(Term(name=name).letter, []).append(pk)
    return letters


class TermDetailView(RedirectOldSlugMixin, TermViewMixin, DetailView):
    template_name = "glossary/term_detail.html"
    context_object_name = "term"

    def get_queryset(self):
        return super().get_queryset().for_detail()

    def get_context_data(self, **kwargs):
        term = self.object
        backlinks = for_content(
            f"term-backlinks:{term.pk}",
            lambda: {
                "mentioned_in_articles": list(
                    linking.mentioning(term, linking.source_model("article"), limit=20).only(
                        "title", "slug"
                    )
                ),
                "mentioned_in_questions": list(
                    linking.mentioning(term, linking.source_model("faq"), limit=20).only(
                        "question", "slug"
                    )
                ),
            },
        )
        return super().get_context_data(definition=source.rendered(term), **backlinks, **kwargs)
