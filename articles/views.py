from django.conf import settings
from django.db.models import prefetch_related_objects
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.utils.http import urlencode
from django.utils.translation import gettext
from django.views.generic import DetailView, TemplateView

from exosite.kernel import (
    citations,
    cite,
    kinds,
    languages,
    linking,
    mentions,
    paging,
    reading,
    structured_data,
)
from exosite.kernel.parts import for_content
from exosite.kernel.tags import published_tags
from exosite.kernel.viewmixins import KeptObjectMixin, RedirectOldSlugMixin
from exosite.templatetags.seo import breadcrumbs_payload, json_payload

from .models import Article


class ArticleViewMixin:
    """Every public article view reads only published articles."""

    paginate_by = 10

    def get_queryset(self):
        return Article.objects.published()


class ArticleListView(TemplateView):
    """The articles, newest first, ten a page, optionally of one tag (?tag=slug). Each
    page of the list is rendered once per live content version and kept
    (exosite.kernel.parts.for_content): a view then costs the page around it. Its links
    to other pages name only the tag and the page, whatever else the address had."""

    template_name = "articles/article_list.html"
    paginate_by = 10

    def get_context_data(self, **kwargs):
        tag = self.request.GET.get("tag", "")
        # Only real tags and page numbers reach the cache key (anything else is a 404).
        if len(tag) > 100:
            raise Http404("No such page of articles.")
        number = paging.number(self.request.GET.get("page"))
        listing = for_content(f"article-list:{tag}:{number}", lambda: self.listing(tag, number))
        return super().get_context_data(**listing, **kwargs)

    def listing(self, tag_slug, number):
        # Only a tag with something published (of any kind) can narrow the list.
        active_tag = get_object_or_404(published_tags(), slug=tag_slug) if tag_slug else None
        articles = Article.objects.published().in_language().for_listing()
        if active_tag:
            articles = articles.filter(tags=active_tag)
        page_obj = paging.page(articles, self.paginate_by, number)
        context = {
            "article_list": page_obj.object_list,
            "page_obj": page_obj,
            "active_tag": active_tag,
            "page_base": f"?{urlencode({'tag': tag_slug})}&page=" if tag_slug else "?page=",
        }
        return {
            "active_tag": active_tag,
            "page_number": number,
            "main": render_to_string(f"{self.template_name}#listing", context, self.request),
        }


class ArticleDetailView(RedirectOldSlugMixin, KeptObjectMixin, ArticleViewMixin, DetailView):
    """An article. What depends only on the article and the content around it (the text
    with its links, references, byline, related reading, Open Graph tags, JSON-LD data) is
    rendered once per live content version and kept (exosite.kernel.parts.for_content): a view
    then costs the article's row and the page around it. Previews render it afresh."""

    template_name = "articles/article_detail.html"

    def get_context_data(self, **kwargs):
        # The article's own disclaimer box is the page's one: the footer leaves out its own.
        return super().get_context_data(disclaimer_shown=True, **kwargs)

    def get_queryset(self):
        # Tags, figures and authors are fetched by `parts` when it renders.
        return super().get_queryset().select_related("reviewer")

    def parts(self, article):
        if article.pk is not None:
            prefetch_related_objects([article], "tags", "figures", "author_profiles")
            languages.people_in(article.language, article.reviewer, *article.author_profiles.all())
        body = linking.rendered(article)
        references = citations.listed(body)
        context = {
            "article": article,
            "body": body,
            "references": references,
            # From the text as linked now, not the stored mentions: those may wait for the
            # task worker after a glossary change, the page's own links never do.
            "terms_used": mentions.linked_in(body, kinds.get("glossary").model).only(
                "name", "slug", "language"
            ),
            "related_articles": mentions.related(article, Article).only(
                "title", "slug", "language"
            ),
            "related_questions": mentions.related(article, kinds.get("faq").model).only(
                "question", "slug", "language"
            ),
        }
        context |= {
            # A table of contents from three sections on, ending with the references.
            "toc": reading.contents(
                body.html, *([("references-title", gettext("References"))] if references else [])
            ),
            "reading_minutes": reading.minutes(body.html),
            "cite": cite.formatted(cite.page_item(citable(self.request, article))),
        }
        template = self.template_name
        return {
            "og_tags": render_to_string(f"{template}#og_tags", context, self.request),
            "main": render_to_string(f"{template}#main", context, self.request),
            "structured_data": json_payload(
                structured_data.article(
                    self.request, article, [entry.reference for entry in references]
                )
            ),
            "breadcrumbs": breadcrumbs_payload(
                self.request,
                article.get_absolute_url(),
                gettext("Articles"),
                "articles:list",
                article.title,
            ),
        }


def citable(request, article):
    """The article as its citation needs it (exosite.kernel.cite.Page)."""
    return cite.Page(
        key=f"exosite-{article.slug}",
        title=article.title,
        # (An unsaved preview has no authors yet.)
        authors=tuple(person.name for person in article.author_profiles.all())
        if article.pk
        else (),
        site=settings.SITE_NAME,
        url=request.build_absolute_uri(article.get_absolute_url()),
        published=article.published_at.date() if article.published_at else None,
    )


# What "Cite this page" offers to download: the page itself, or its reference list.
CITATION_FILES = {
    "bib": ("application/x-bibtex; charset=utf-8", cite.bibtex),
    "ris": ("application/x-research-info-systems; charset=utf-8", cite.ris),
}


def citation_file(request, slug, what, fmt):
    """The article (`what` "cite") or its references ("references") as BibTeX or RIS, for
    reference managers; a download named after the article."""
    article = get_object_or_404(
        Article.objects.published().in_language().prefetch_related("author_profiles"),
        slug=slug,
    )
    if what == "cite":
        items = [cite.page_item(citable(request, article))]
    else:
        listed = citations.listed(linking.rendered(article))
        items = [cite.reference_item(entry.reference) for entry in listed]
    content_type, write = CITATION_FILES[fmt]
    response = HttpResponse(write(items), content_type=content_type)
    name = article.slug if what == "cite" else f"{article.slug}-references"
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response
