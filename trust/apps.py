from django.apps import AppConfig


class TrustConfig(AppConfig):
    """People, policies and feedback: what a health-information site owes its readers."""

    name = "trust"
    verbose_name = "People, policies and feedback"
    # Written by visitors: not content (exosite.ops.versions).
    visitor_models = ("feedback",)
    # Created by migrate (the policy pages): a restore replaces them (exosite restore).
    seeded_models = ("page", "historicalpage")

    def ready(self):
        from django.db.models.signals import post_migrate

        from exosite.kernel import kinds

        from .kinds import PageKind
        from .policy_pages import ensure_policy_pages_after_migrate

        kinds.register(PageKind())
        # Also after a flush (tests), so that the footer's pages always exist.
        post_migrate.connect(ensure_policy_pages_after_migrate, sender=self)
