from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate


class ExositeConfig(AppConfig):
    name = "exosite"
    verbose_name = "Exosite"
    # Written by visitors: not content (exosite.ops.versions).
    visitor_models = ("ratelimithit",)

    def ready(self):
        from . import search
        from .kernel import mentions, roles, tags, tasks

        # Tags first: a new tag that twins an older one is merged before search indexes.
        tags.connect()
        # Both connect for every model and look the sender up in the kind registry, so
        # they cover the kinds the apps register after this (their ready() runs later).
        mentions.connect()
        search.connect()
        # Failed tasks marked @retry go back in the queue with a growing delay.
        tasks.connect()
        # The staff roles, once every app's permissions exist: after the last app's
        # post_migrate (also after a flush).
        post_migrate.connect(
            roles.ensure_roles_after_migrate,
            sender=list(apps.get_app_configs())[-1],
            dispatch_uid="exosite.roles",
        )
