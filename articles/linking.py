from exosite.linking import ModelSource

from .models import Article


class ArticleSource(ModelSource):
    kind = "article"
    model = Article
    html_field = "body_html"

    def link_options(self, obj):
        # Prefetched references are used when present (the detail view prefetches them).
        # An unsaved preview brings the references being edited (see exosite.preview).
        references = getattr(obj, "preview_references", None)
        if references is None:
            references = obj.references.all() if obj.pk else []
        figures = obj.figures.all() if obj.pk else []
        return {
            "figures": {figure.key: str(figure.html()) for figure in figures},
            "references": sorted(reference.position for reference in references),
            "autolink": obj.autolink_terms,
        }


source = ArticleSource()
