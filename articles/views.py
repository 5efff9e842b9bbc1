from django.shortcuts import get_object_or_404
from django.views.generic import DetailView, ListView
from taggit.models import Tag

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


class ArticleDetailView(ArticleViewMixin, DetailView):
    template_name = "articles/article_detail.html"

    def get_queryset(self):
        return super().get_queryset().for_detail()
