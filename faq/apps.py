from django.apps import AppConfig


class FaqConfig(AppConfig):
    name = "faq"
    verbose_name = "FAQ"
    # Written by visitors: not content (exosite.ops.versions).
    visitor_models = ("submission",)

    def ready(self):
        from exosite.kernel import kinds

        from .kinds import QuestionKind

        kinds.register(QuestionKind())
