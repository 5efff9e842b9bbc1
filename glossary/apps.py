from django.apps import AppConfig


class GlossaryConfig(AppConfig):
    name = "glossary"

    def ready(self):
        from exosite.kernel import kinds

        from . import signals  # noqa: F401 (connects the mention refreshers)
        from .kinds import TermKind

        kinds.register(TermKind())
