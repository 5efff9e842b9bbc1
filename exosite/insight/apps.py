from django.apps import AppConfig


class InsightConfig(AppConfig):
    name = "exosite.insight"
    label = "insight"
    verbose_name = "Insight"
    # Written by visitors (page views, searches): not content, or every counted view would
    # empty the page cache (exosite.ops.versions). Promotions are content: pinning an item
    # changes what search pages show.
    visitor_models = ("itemday", "searchday")

    def ready(self):
        import atexit

        from exosite.ops import versions

        from . import counting

        versions.watch_app(self.label)
        # What a process counted since its last write, written when it exits (gunicorn's
        # graceful restarts and `runserver` reloads end with exit handlers run).
        atexit.register(counting.flush_at_exit)
