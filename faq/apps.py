from django.apps import AppConfig


class FaqConfig(AppConfig):
    name = "faq"
    verbose_name = "FAQ"

    def ready(self):
        from django.db.models.signals import post_migrate

        from exosite import markup

        from .linking import source
        from .roles import ensure_roles_after_migrate

        markup.register(source)
        source.connect()
        post_migrate.connect(ensure_roles_after_migrate, sender=self)
