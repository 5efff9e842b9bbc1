"""FAQ entries as spreadsheet rows (exosite.kernel.importing): the columns an editor or FAQ
staff member sees in the admin's import and export. An entry's topic is one of its
language's topics (a Spanish entry names a Spanish topic)."""

from import_export import fields, widgets

from exosite.kernel import languages
from exosite.kernel.importing import (
    ContentResource,
    fold,
    join_list,
    language_code,
    split_list,
)

from .models import Question, Topic


class TopicWidget(widgets.ForeignKeyWidget):
    """A topic of the row's language by its name or its slug, in any case; the name on
    export."""

    def __init__(self):
        super().__init__(Topic)
        self.topics = None  # {language: {folded slug or name: topic}}

    def clean(self, value, row=None, **kwargs):
        text = " ".join(str(value or "").split())
        if not text:
            return None
        if self.topics is None:
            self.topics = {}
            for topic in Topic.objects.all():
                found = self.topics.setdefault(topic.language, {})
                found.setdefault(fold(topic.slug), topic)
                found.setdefault(fold(topic.name), topic)
        # An unknown language is the Language cell's error; the topic is looked for in
        # English meanwhile.
        language = language_code((row or {}).get("Language")) or languages.SOURCE
        topics = self.topics.get(language, {})
        topic = topics.get(fold(text))
        if topic is None:
            names = sorted({t.name for t in topics.values()})
            where = "" if language == languages.SOURCE else f" in {languages.names()[language]}"
            raise ValueError(
                f"There is no FAQ topic “{text}”{where}. Use one of: "
                f"{', '.join(names) or '(none yet)'}; a new topic is added under FAQ › "
                "Topics first."
            )
        return topic

    def render(self, value, obj=None, **kwargs):
        return value.name if value else ""


class PositionWidget(widgets.IntegerWidget):
    """An empty cell is position 0 (the default), not an error."""

    def clean(self, value, row=None, **kwargs):
        if str(value if value is not None else "").strip() == "":
            return 0
        try:
            return super().clean(value, row=row, **kwargs)
        except (ValueError, ArithmeticError):
            raise ValueError(f"“{value}” is not a whole number.") from None


class QuestionResource(ContentResource):
    question = fields.Field("question", "Question", widget=widgets.CharWidget())
    slug = fields.Field("slug", "Slug", widget=widgets.CharWidget())
    topic = fields.Field("topic", "Topic", widget=TopicWidget())
    position = fields.Field("position", "Position", widget=PositionWidget())
    answer = fields.Field("answer", "Answer (Markdown)", widget=widgets.CharWidget())
    tags = fields.Field(column_name="Tags")

    title_field = "question"
    required_columns = ("question",)
    list_fields = ("tags",)

    class Meta(ContentResource.Meta):
        model = Question
        name = "FAQ entries"
        fields = (
            "question",
            "slug",
            "language",
            "translation_of",
            "topic",
            "position",
            "answer",
            "tags",
        )
        import_order = fields
        export_order = fields

    def get_queryset(self):
        return Question.objects.select_related("topic", "translation_of").prefetch_related("tags")

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("topic", "translation_of").prefetch_related("tags")

    def dehydrate_tags(self, question):
        return join_list(sorted((t.name for t in question.tags.all()), key=str.casefold))

    def stored_list(self, name, question):
        return {fold(t.name) for t in question.tags.all()}

    def save_lists(self, question, row):
        if "Tags" in row:
            wanted = split_list(row["Tags"])
            if {fold(t) for t in wanted} != self.stored_list("tags", question):
                question.tags.set(wanted)
