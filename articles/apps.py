from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"

    def ready(self):
        from exosite import markup

        from .linking import source

        markup.register(source)
        source.connect()
