from exosite.linking import ModelSource

from .models import Article


class ArticleSource(ModelSource):
    kind = "article"
    model = Article
    html_field = "body_html"

    def link_options(self, obj):
        # Prefetched references are used when present (the detail view prefetches them).
        return {
            "references": sorted(reference.position for reference in obj.references.all()),
            "autolink": obj.autolink_terms,
        }


source = ArticleSource()
