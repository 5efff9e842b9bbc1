import string
from dataclasses import replace
from itertools import groupby
from urllib.parse import urlencode

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.utils.translation import gettext
from django.views.generic import DetailView, TemplateView

from exosite.kernel import citations, kinds, languages, linking, mentions, paging, structured_data
from exosite.kernel.parts import for_content
from exosite.kernel.viewmixins import KeptObjectMixin, RedirectOldSlugMixin
from exosite.templatetags.seo import breadcrumbs_payload, json_payload

from . import exports
from .models import Term

INDEX_LETTERS = [*string.ascii_uppercase, "#"]


class TermViewMixin:
    def get_queryset(self):
        return Term.objects.published()


class TermIndexView(TemplateView):
    """The A–Z glossary: every published term, grouped by initial letter, on one page with
    a letter navigation. A glossary larger than EXOSITE_GLOSSARY_ONE_PAGE_LIMIT terms gets
    a page per letter (?letter=B) instead, and a letter with more than
    EXOSITE_GLOSSARY_PER_PAGE terms pages of its own (?letter=B&page=2), so that no page
    lists thousands of terms; a letter without terms has no page (404)."""

    template_name = "glossary/term_index.html"

    def get(self, request, *args, **kwargs):
        self.letters = letters = for_content("glossary-letters", letter_index, local=True)
        self.paged = sum(map(len, letters.values())) > settings.EXOSITE_GLOSSARY_ONE_PAGE_LIMIT
        self.wanted = request.GET.get("letter", "").upper()
        if self.wanted and self.wanted not in letters:
            # A letter with no terms has no page (rather than another letter's page, or
            # the whole glossary, under an address that names this one).
            raise Http404("No glossary terms start with that letter.")
        if self.wanted and not self.paged:
            # One page for every letter: the letter's section on it.
            anchor = "other" if self.wanted == "#" else self.wanted
            return redirect(f"{request.path}#letter-{anchor}")
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        letters, paged = self.letters, self.paged
        letter = page_obj = pks = None
        number = 1
        if paged:
            letter = self.wanted or next(each for each in INDEX_LETTERS if each in letters)
            # A letter with many terms is split into pages of EXOSITE_GLOSSARY_PER_PAGE.
            number = paging.number(self.request.GET.get("page"))
            page_obj = paging.page(letters[letter], settings.EXOSITE_GLOSSARY_PER_PAGE, number)
            pks = list(page_obj.object_list)
        # The list and its JSON-LD are made once per content version (and letter and
        # page): a letter of a large glossary has hundreds of terms.
        origin = f"{self.request.scheme}://{self.request.get_host()}"
        parts = for_content(
            f"glossary-index:{letter}:{number}:{origin}", lambda: self.parts(pks), local=True
        )
        return super().get_context_data(
            parts=parts,
            letters=[(each, each in letters) for each in INDEX_LETTERS],
            paged=paged,
            current_letter=letter,
            page_obj=page_obj,
            page_base=f"?{urlencode({'letter': letter})}&page=" if letter else "",
            **kwargs,
        )

    def parts(self, pks):
        terms = Term.objects.published().in_language().for_listing()
        if pks is not None:
            terms = terms.filter(pk__in=pks)
        terms = sorted(terms, key=lambda term: (term.letter, term.name.lower()))
        groups = {letter: list(items) for letter, items in groupby(terms, key=lambda t: t.letter)}
        groups = [(letter, groups[letter]) for letter in INDEX_LETTERS if letter in groups]
        return {
            "list": render_to_string(
                f"{self.template_name}#groups", {"groups": groups}, self.request
            ),
            "structured_data": json_payload(structured_data.glossary_page(self.request, terms)),
        }


LEVELS = ("plain", "technical")
PREFIX = "technical-"  # of the technical definition's citation and reference ids


def reading_level(request):
    """The reading level asked for (`?level=technical`); plain otherwise."""
    level = request.GET.get("level")
    return level if level in LEVELS else "plain"


def letter_index():
    """{letter: [pk, ...]} of the published terms, in the order the index lists them (by
    name): one query over two columns."""
    named = {}
    for pk, name in Term.objects.published().in_language().values_list("pk", "name"):
        named.setdefault(Term(name=name).letter, []).append((name.lower(), pk))
    return {letter: [pk for _, pk in sorted(terms)] for letter, terms in named.items()}


class TermDetailView(RedirectOldSlugMixin, KeptObjectMixin, TermViewMixin, DetailView):
    """A term. What depends only on the term and the content around it (its linked
    definition, references, related terms, where it is used, tags, JSON-LD data) is
    rendered once per live content version and kept (exosite.kernel.parts.for_content): a
    view then costs the term's row and the page around it. Previews render it afresh.

    A term with a technical definition has two reading levels. Both definitions are in
    the page, with the one not asked for hidden, and the page is kept rendered for each
    level: `?level=technical` is the technical page as it comes from the server (a link
    that works without JavaScript, and a page the page cache keeps like any other), while
    static/js/glossary-level.js switches in place and remembers a visitor's choice in
    localStorage for the next term (no cookie, nothing per visitor in a cached page). Both
    addresses show the same term, so the canonical URL is the term's own (the `level`
    parameter is not one of seo.CANONICAL_PARAMETERS)."""

    template_name = "glossary/term_detail.html"
    context_object_name = "term"

    def get_queryset(self):
        return super().get_queryset().select_related("reviewer")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        parts = context["parts"]
        technical = bool(parts.get("main_technical"))
        context["level"] = level = reading_level(self.request) if technical else "plain"
        context["main"] = parts["main_technical"] if level == "technical" else parts["main"]
        return context

    def parts(self, term):
        languages.people_in(term.language, term.reviewer)
        options = linking.options_for(term)
        fragments = [(term.definition_html, options)]
        if term.technical_definition_html:
            fragments.append((term.technical_definition_html, options))
        # One cache round trip and one reference query for both definitions.
        definition, *more = linking.link_many(fragments)
        listed = citations.listed_many([definition, *more])
        technical = None
        if more:
            # Its citations and references get ids of their own: both are in the page.
            technical = replace(more[0], html=citations.scope_anchors(more[0].html, PREFIX))
        context = {
            "term": term,
            "definition": definition,
            "references": listed[0],
            "technical": technical,
            "technical_references": listed[1] if more else [],
            "related": list(term.related.published().only("name", "slug", "language"))
            if term.pk
            else [],
            "tags": list(term.tags.all()) if term.pk else [],
        }
        if term.pk is not None:
            context["mentioned_in_articles"] = list(
                mentions.mentioning(term, kinds.get("article").model, limit=20).only(
                    "title", "slug", "language"
                )
            )
            context["mentioned_in_questions"] = list(
                mentions.mentioning(term, kinds.get("faq").model, limit=20).only(
                    "question", "slug", "language"
                )
            )
        main = f"{self.template_name}#main"
        return {
            "main": render_to_string(main, {**context, "level": "plain"}, self.request),
            "main_technical": render_to_string(
                main, {**context, "level": "technical"}, self.request
            )
            if technical
            else "",
            "structured_data": json_payload(structured_data.term_page(self.request, term)),
            "breadcrumbs": breadcrumbs_payload(
                self.request,
                term.get_absolute_url(),
                gettext("Glossary"),
                "glossary:index",
                term.name,
            ),
        }


EXPORTS = {
    "turtle": (exports.turtle, "text/turtle; charset=utf-8", "glossary.ttl"),
    "json-ld": (exports.json_ld, "application/ld+json; charset=utf-8", "glossary.jsonld"),
    "json": (exports.plain_json, "application/json; charset=utf-8", "glossary.json"),
}


def glossary_export(request, fmt):
    """The whole published glossary as SKOS (Turtle, JSON-LD) or JSON (glossary/exports.py):
    made once per content version and host, and served like a page (the page cache keeps
    it, with an ETag, for anonymous requests)."""
    build, content_type, filename = EXPORTS[fmt]
    origin = f"{request.scheme}://{request.get_host()}"
    body = for_content(f"glossary-export:{fmt}:{origin}", lambda: build(origin))
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
