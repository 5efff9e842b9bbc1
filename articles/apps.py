from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"

    def ready(self):
        from exosite.kernel import kinds

        from .kinds import ArticleKind

        kinds.register(ArticleKind())
