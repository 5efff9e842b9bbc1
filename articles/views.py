from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.views.generic import DetailView, ListView
from taggit.models import Tag

from exosite import linking
from exosite.cache import for_content
from exosite.viewmixins import RedirectOldSlugMixin
from faq.models import Question
from glossary.models import Term

from .linking import source
from .models import Article


class ArticleViewMixin:
    """Every public article view reads only published articles."""

    paginate_by = 10

    def get_queryset(self):
        return Article.objects.published()


class ArticleListView(ArticleViewMixin, ListView):
    template_name = "articles/article_list.html"

    def get(self, request, *args, **kwargs):
        tag_slug = request.GET.get("tag")
        self.active_tag = get_object_or_404(Tag, slug=tag_slug) if tag_slug else None
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        articles = super().get_queryset().for_listing()
        if self.active_tag:
            articles = articles.filter(tags=self.active_tag)
        return articles

    def get_context_data(self, **kwargs):
        return super().get_context_data(active_tag=self.active_tag, **kwargs)


class ArticleDetailView(RedirectOldSlugMixin, ArticleViewMixin, DetailView):
    template_name = "articles/article_detail.html"

    def get_queryset(self):
        return super().get_queryset().for_detail()

    def get_context_data(self, **kwargs):
        article = self.object
        body = source.rendered(article)
        references = getattr(article, "preview_references", None)
        if references is None:
            references = list(article.references.all())
        for reference in references:
            reference.cited_at = body.citations.get(reference.position, [])
        if article.pk is None:  # an unsaved preview
            neighbours = render_neighbours(article)
        else:
            neighbours = for_content(
                f"article-neighbours:{article.pk}", lambda: render_neighbours(article)
            )
        return super().get_context_data(
            body=body, references=references, neighbours=neighbours, **kwargs
        )


def render_neighbours(article):
    """The glossary terms an article uses and its related reading, as HTML: queries over
    many rows and many links, so kept until content changes (exosite.cache.for_content)."""
    return render_to_string(
        "articles/article_detail.html#neighbours",
        {
            "terms_used": linking.mentioned_by(article, Term).only("name", "slug"),
            "related_articles": linking.related(article, Article).only("title", "slug"),
            "related_questions": linking.related(article, Question).only("question", "slug"),
        },
    )
