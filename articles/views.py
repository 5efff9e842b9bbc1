from django.db.models import prefetch_related_objects
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.views.generic import DetailView, ListView

from exosite.kernel import citations, kinds, linking, mentions, structured_data
from exosite.kernel.parts import for_content
from exosite.kernel.tags import published_tags
from exosite.kernel.viewmixins import RedirectOldSlugMixin
from exosite.templatetags.seo import json_payload

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
        # Only a tag with something published (of any kind) can narrow the list.
        self.active_tag = get_object_or_404(published_tags(), slug=tag_slug) if tag_slug else None
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        articles = super().get_queryset().for_listing()
        if self.active_tag:
            articles = articles.filter(tags=self.active_tag)
        return articles

    def get_context_data(self, **kwargs):
        return super().get_context_data(active_tag=self.active_tag, **kwargs)


class ArticleDetailView(RedirectOldSlugMixin, ArticleViewMixin, DetailView):
    """An article. What depends only on the article and the content around it (the text
    with its links, references, byline, related reading, Open Graph tags, JSON-LD data) is
    rendered once per live content version and kept (exosite.kernel.parts.for_content): a view
    then costs the article's row and the page around it. Previews render it afresh."""

    template_name = "articles/article_detail.html"

    def get_queryset(self):
        # Tags, figures and authors are fetched by `parts` when it renders.
        return super().get_queryset().select_related("reviewer")

    def get_context_data(self, **kwargs):
        article = self.object
        if "preview" in kwargs or article.pk is None:
            parts = self.parts(article)
        else:
            origin = f"{self.request.scheme}://{self.request.get_host()}"
            parts = for_content(f"article-page:{article.pk}:{origin}", lambda: self.parts(article))
        return super().get_context_data(parts=parts, **kwargs)

    def parts(self, article):
        if article.pk is not None:
            prefetch_related_objects([article], "tags", "figures", "author_profiles")
        body = linking.rendered(article)
        references = citations.listed(body)
        context = {
            "article": article,
            "body": body,
            "references": references,
            "terms_used": mentions.mentioned_by(article, kinds.get("glossary").model).only(
                "name", "slug"
            ),
            "related_articles": mentions.related(article, Article).only("title", "slug"),
            "related_questions": mentions.related(article, kinds.get("faq").model).only(
                "question", "slug"
            ),
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
        }
