"""FAQ entries as a content kind (exosite.kernel.kinds)."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from exosite.kernel.kinds import ContentKind
from exosite.kernel.text import plain_text

from .models import Question, Topic


class QuestionKind(ContentKind):
    cites = True
    import_resource = "faq.resources.QuestionResource"
    name = "faq"
    model = Question
    label = pgettext_lazy("one FAQ entry", "FAQ")
    plural = _("FAQ")
    title_field = "question"
    html_field = "answer_html"
    detail_view = "faq.views.QuestionDetailView"
    index_url = "faq:index"
    list_template = "faq/tag_items.html"
    search_joins = ("topic",)
    # A renamed topic changes what its questions are found by.
    search_watch = {Topic: "topic"}
    sitemap_priority = 0.6

    def for_listing(self):
        return self.model.objects.published().only("question", "slug", "language")

    def search_document(self, question):
        return {
            "title": question.question,
            "body": plain_text(question.answer_html),
            "extra_tags": [question.topic.name],
        }
