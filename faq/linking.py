from exosite.linking import ModelSource

from .models import Question


class QuestionSource(ModelSource):
    kind = "faq"
    model = Question
    title_field = "question"
    html_field = "answer_html"

    def link_options(self, obj):
        return {}


source = QuestionSource()
