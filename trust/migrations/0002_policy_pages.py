"""Every installation starts with its policy pages published (editors revise them)."""

from django.db import migrations

from trust.policy_pages import ensure_policy_pages


def create_pages(apps, schema_editor):
    ensure_policy_pages(apps.get_model("trust", "Page"))


class Migration(migrations.Migration):
    dependencies = [("trust", "0001_initial")]

    operations = [migrations.RunPython(create_pages, migrations.RunPython.noop)]
