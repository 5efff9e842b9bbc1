from django.apps import AppConfig


class LibraryConfig(AppConfig):
    """The reference library: one record per publication, cited from any content kind."""

    name = "library"
    verbose_name = "Reference library"

    def ready(self):
        from exosite.kernel import citations
        from exosite.ops import versions

        from .citing import LibrarySource

        citations.register(LibrarySource())
        # A reference's record is printed on every page that cites it.
        versions.watch_app(self.label)
