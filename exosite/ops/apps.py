from django.apps import AppConfig
from django.db.models.signals import post_migrate


class OpsConfig(AppConfig):
    name = "exosite.ops"
    label = "ops"
    verbose_name = "Operations"

    def ready(self):
        from . import versions

        # After every migrate (and flush): a migration that remakes a table on SQLite drops
        # its triggers, and a new content model needs them too.
        # Sent once per app after all migrations ran: only ours is needed.
        post_migrate.connect(
            versions.on_post_migrate, sender=self, dispatch_uid="ops.install_triggers"
        )
