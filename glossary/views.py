import string
from itertools import groupby

from django.views.generic import DetailView, ListView

from exosite import linking
from exosite.cache import for_content
from exosite.viewmixins import RedirectOldSlugMixin

from .linking import source
from .models import Term

INDEX_LETTERS = [*string.ascii_uppercase, "#"]


class TermViewMixin:
    def get_queryset(self):
        return Term.objects.published()


class TermIndexView(TermViewMixin, ListView):
    """The A–Z glossary: every published term, grouped by initial letter."""

    template_name = "glossary/term_index.html"

    def get_queryset(self):
        return super().get_queryset().for_listing()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        terms = sorted(context["object_list"], key=lambda term: (term.letter, term.name.lower()))
        groups = {letter: list(items) for letter, items in groupby(terms, key=lambda t: t.letter)}
        context["groups"] = [
            (letter, groups[letter]) for letter in INDEX_LETTERS if letter in groups
        ]
        context["letters"] = [(letter, letter in groups) for letter in INDEX_LETTERS]
        return context


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
