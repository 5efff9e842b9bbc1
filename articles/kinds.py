"""Articles as a content kind (exosite.kernel.kinds): how they are linked, searched, listed
and checked."""

from exosite.kernel.kinds import ContentKind
from exosite.kernel.text import plain_text

from .models import Article


class ArticleKind(ContentKind):
    name = "article"
    model = Article
    html_field = "body_html"
    detail_view = "articles.views.ArticleDetailView"
    index_url = "articles:list"
    list_template = "articles/tag_items.html"
    sitemap_priority = 0.8

    def link_options(self, obj):
        # Prefetched references are used when present (the detail view prefetches them).
        # An unsaved preview brings the references being edited (see ArticleAdmin).
        references = getattr(obj, "preview_references", None)
        if references is None:
            references = obj.references.all() if obj.pk else []
        figures = obj.figures.all() if obj.pk else []
        return {
            "figures": {figure.key: str(figure.html()) for figure in figures},
            "references": sorted(reference.position for reference in references),
            "autolink": obj.autolink_terms,
        }

    def search_document(self, article):
        return {
            "title": article.title,
            "summary": article.summary,
            "body": f"{plain_text(article.body_html)} {article.authors}",
        }

    def health_rows(self, objects, today):
        return [
            *super().health_rows(objects, today),
            (
                objects.review_overdue(today).count(),
                "articles overdue for medical review",
                "review=overdue",
            ),
            (
                objects.review_due_soon(today).count(),
                "articles due for medical review within 30 days",
                "review=soon",
            ),
            (
                objects.filter(citation_problems__gt=0).count(),
                "articles with citation problems",
                "problems=citations",
            ),
        ]
