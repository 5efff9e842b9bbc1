from django.db.models import Prefetch
from django.views.generic import DetailView, TemplateView

from .models import Question, Topic


class FaqIndexView(TemplateView):
    """Published questions grouped by topic; topics with nothing published are hidden."""

    template_name = "faq/faq_index.html"

    def get_context_data(self, **kwargs):
        topics = Topic.objects.prefetch_related(
            Prefetch(
                "questions",
                queryset=Question.objects.published().prefetch_related("tags"),
                to_attr="published_questions",
            )
        )
        return super().get_context_data(
            topics=[topic for topic in topics if topic.published_questions], **kwargs
        )


class QuestionDetailView(DetailView):
    template_name = "faq/question_detail.html"
    context_object_name = "question"

    def get_queryset(self):
        return Question.objects.published().for_listing()

    def get_context_data(self, **kwargs):
        question = self.object
        more = (
            Question.objects.published()
            .filter(topic=question.topic)
            .exclude(pk=question.pk)
            .only("question", "slug")[:5]
        )
        return super().get_context_data(more_in_topic=more, **kwargs)
