from django.apps import AppConfig


class ExositeConfig(AppConfig):
    name = "exosite"
    verbose_name = "Exosite"
