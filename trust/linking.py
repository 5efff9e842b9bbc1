from exosite.linking import ModelSource

from .models import Page


class PageSource(ModelSource):
    kind = "page"
    model = Page
    html_field = "body_html"

    def link_options(self, obj):
        return {}


source = PageSource()
