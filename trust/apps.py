from django.apps import AppConfig


class TrustConfig(AppConfig):
    """People, policies and feedback: what a health-information site owes its readers."""

    name = "trust"
    verbose_name = "People, policies and feedback"

    def ready(self):
        from django.db.models.signals import post_migrate

        from exosite import markup

        from .linking import source
        from .policy_pages import ensure_policy_pages_after_migrate

        markup.register(source)
        source.connect()
        # Also after a flush (tests), so that the footer's pages always exist.
        post_migrate.connect(ensure_policy_pages_after_migrate, sender=self)
