"""Publishing is its own permission: Editors may publish anything they edit; FAQ staff
may publish FAQ entries."""

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
        ("faq", "0004_alter_question_options_question_broken_links_and_more"),
        ("articles", "0003_alter_article_options_article_broken_links_and_more"),
        ("glossary", "0002_alter_term_options_term_broken_links_and_more"),
        ("faq", "0003_groups"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
