from django.db.models import Prefetch
from django.views.generic import DetailView, TemplateView

from exosite import linking, markup

from .linking import source
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
        topics = [topic for topic in topics if topic.published_questions]
        questions = [question for topic in topics for question in topic.published_questions]
        answers = markup.link_many(
            [(question.answer_html, source.link_options(question)) for question in questions]
        )
        for question, answer in zip(questions, answers, strict=True):
            question.rendered_answer = answer
        return super().get_context_data(topics=topics, **kwargs)


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
        return super().get_context_data(
            answer=source.rendered(question),
            more_in_topic=more,
            related_terms=linking.related(question, linking.source_model("glossary")).only(
                "name", "slug"
            ),
            related_articles=linking.related(question, linking.source_model("article")).only(
                "title", "slug"
            ),
            **kwargs,
        )
