from django.apps import AppConfig


class FaqConfig(AppConfig):
    name = "faq"
    verbose_name = "FAQ"

    def ready(self):
        from exosite import markup

        from .linking import source

        markup.register(source)
        source.connect()
