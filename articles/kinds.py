"""Articles as a content kind (exosite.kernel.kinds): how they are linked, searched, listed
and checked."""

from django.utils.translation import gettext_lazy as _

from exosite.kernel.kinds import ContentKind
from exosite.kernel.text import plain_text

from .models import Article, Figure


class ArticleKind(ContentKind):
    name = "article"
    model = Article
    label = _("Article")
    plural = _("Articles")
    html_field = "body_html"
    detail_view = "articles.views.ArticleDetailView"
    index_url = "articles:list"
    list_template = "articles/tag_items.html"
    sitemap_priority = 0.8

    cites = True

    def link_options(self, obj):
        # Figures as saved; the admin's preview and publish checks pass those being edited.
        figures = obj.figures.all() if obj.pk else []
        return {
            "figures": {figure.key: str(figure.html()) for figure in figures},
            "autolink": obj.autolink_terms,
        }

    def revision_related(self, obj, references=()):
        figures = list(obj.figures.all())
        return {
            **super().revision_related(obj, references),
            "Figures": [
                f"{figure.key}: {figure.alt}"
                + (f" — {figure.caption}" if figure.caption else "")
                + (f" ({figure.credit})" if figure.credit else "")
                + f" [{figure.image.name}]"
                for figure in figures
            ],
            # What revert needs to put the figures back (not shown by compare).
            "_figures": [
                {
                    "key": figure.key,
                    "image": figure.image.name,
                    "alt": figure.alt,
                    "caption": figure.caption,
                    "credit": figure.credit,
                }
                for figure in figures
            ],
        }

    def restore_related(self, obj, snapshot):
        super().restore_related(obj, snapshot)
        if "_figures" not in snapshot:
            return
        wanted = {row["key"]: row for row in snapshot["_figures"]}
        obj.figures.exclude(key__in=wanted).delete()
        for key, row in wanted.items():
            figure = obj.figures.filter(key=key).first() or Figure(article=obj, key=key)
            figure.image.name = row["image"]
            for name in ("alt", "caption", "credit"):
                setattr(figure, name, row[name])
            figure.save()

    def publish_problems(self, obj, form=None):
        """An article names its authors (the reviewer is not one of them: the form)."""
        if form is not None and "author_profiles" in form.fields:
            authors = form.cleaned_data.get("author_profiles")
            named = bool(authors) or form.has_error("author_profiles")
        else:
            named = obj.pk is not None and obj.author_profiles.exists()
        return {} if named else {"author_profiles": ["Name at least one author."]}

    def search_document(self, article):
        return {
            "title": article.title,
            "summary": article.summary,
            "body": plain_text(article.body_html),
        }

    def health_rows(self, objects, today):
        overdue = objects.review_overdue(today).count()
        soon = objects.review_due_soon(today).count()
        citations = objects.filter(citation_problems__gt=0).count()
        return [
            *super().health_rows(objects, today),
            (
                overdue,
                f"{self.admin_name(overdue)} overdue for medical review",
                "review=overdue",
            ),
            (
                soon,
                f"{self.admin_name(soon)} due for medical review within 30 days",
                "review=soon",
            ),
            (
                citations,
                f"{self.admin_name(citations)} with citation problems",
                "problems=citations",
            ),
        ]
