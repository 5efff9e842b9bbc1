"""The two staff roles, with least privilege: Editors keep the content, FAQ staff work the
queue of visitor questions. Neither can change the other's objects."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from exosite.kernel.roles import ROLES, ensure_roles


def create_groups(apps, schema_editor):
    # Permissions are normally created after migrations; make sure they exist now.
    for config in apps.get_app_configs():
        config.models_module = True
        create_permissions(config, apps=apps, verbosity=0)
        config.models_module = None
    ensure_roles(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("faq", "0002_submission_workflow"),
        ("articles", "0002_autolink_terms"),
        ("glossary", "0001_initial"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
