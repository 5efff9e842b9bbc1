"""Editors keep the policy pages, the people profiles and the feedback queue."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from exosite.kernel.roles import ensure_roles


def grant(apps, schema_editor):
    for config in apps.get_app_configs():
        config.models_module = True
        create_permissions(config, apps=apps, verbosity=0)
        config.models_module = None
    ensure_roles(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))


class Migration(migrations.Migration):
    dependencies = [("trust", "0002_policy_pages"), ("faq", "0005_publish_permissions")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
