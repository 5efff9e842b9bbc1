from django.apps import AppConfig


class ExositeConfig(AppConfig):
    name = "exosite"
    verbose_name = "Exosite"

    def ready(self):
        from . import search, tags

        # Tags first: a new tag that twins an older one is merged before search indexes.
        tags.connect()
        search.connect()
