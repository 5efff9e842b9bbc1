"""Editors see the whole insight dashboard and keep promoted results; FAQ staff see its
searches and FAQ entries and read the promoted results (exosite.kernel.roles)."""

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
    dependencies = [
        ("insight", "0001_initial"),
        ("trust", "0005_feedback_one_widget"),
        ("faq", "0008_votes_moved_to_feedback"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
