"""The two staff roles, with least privilege: Editors keep the content, FAQ staff work the
queue of visitor questions. Neither can change the other's objects."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ACTIONS = ("add", "change", "delete", "view")

ROLES = {
    "Editors": {
        "articles": {"article": ACTIONS, "reference": ACTIONS},
        "glossary": {"term": ACTIONS},
        "faq": {"question": ACTIONS, "topic": ACTIONS},
        "taggit": {"tag": ACTIONS},
    },
    "FAQ staff": {
        "faq": {
            "submission": ("change", "delete", "view"),
            "question": ACTIONS,
            "topic": ("view",),
        },
        "taggit": {"tag": ("view",)},
    },
}


def create_groups(apps, schema_editor):
    # Permissions are normally created after migrations; make sure they exist now.
    for config in apps.get_app_configs():
        config.models_module = True
        create_permissions(config, apps=apps, verbosity=0)
        config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, grants in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        codenames = [
            (app, f"{action}_{model}")
            for app, models in grants.items()
            for model, actions in models.items()
            for action in actions
        ]
        permissions = [
            Permission.objects.get(content_type__app_label=app, codename=codename)
            for app, codename in codenames
        ]
        group.permissions.set(permissions)


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
