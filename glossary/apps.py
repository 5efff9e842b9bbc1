from django.apps import AppConfig


class GlossaryConfig(AppConfig):
    name = "glossary"

    def ready(self):
        from exosite import markup

        from . import signals  # noqa: F401 (connects the mention refreshers)
        from .linking import source

        markup.register(source)
        source.connect()
