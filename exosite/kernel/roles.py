"""The staff roles, with least privilege: Editors keep the content, FAQ staff work the
queue of visitor questions, Medical reviewers record reviews. Neither of the first two can
change the other's objects; only reviewers record reviews (the editorial policy), and no
group may publish without a current review ("publish_unreviewed_*": given by hand).

Created by migration (faq 0003 and 0005, trust 0003) and re-checked after every `migrate`
or `flush` (post_migrate, connected in ExositeConfig.ready), so the groups are always
there and always hold exactly these rights. The grants name apps and models by label
only: the kernel imports no app.
"""

from django.contrib.auth.models import Group, Permission

ACTIONS = ("add", "change", "delete", "view")

ROLES = {
    "Editors": {
        "articles": {
            "article": (*ACTIONS, "publish"),
            "figure": ACTIONS,
        },
        "library": {"reference": ACTIONS},
        "glossary": {"term": (*ACTIONS, "publish")},
        "faq": {"question": (*ACTIONS, "publish"), "topic": ACTIONS},
        "taggit": {"tag": ACTIONS},
        "exosite": {"sharelink": ("change", "view")},
        # The background tasks (exosite/admin.py): to see what is queued or failed, and why.
        "django_tasks_database": {"dbtaskresult": ("view",)},
        "trust": {
            "page": (*ACTIONS, "publish"),
            "person": ACTIONS,
            "feedback": ("change", "delete", "view"),
        },
        # The insight dashboard (all of it) and promoted results (exosite/insight/).
        "insight": {"dashboard": ("reading", "searches"), "promotion": ACTIONS},
    },
    "FAQ staff": {
        "faq": {
            "submission": ("change", "delete", "view"),
            "question": (*ACTIONS, "publish"),
            "topic": ("view",),
        },
        "library": {"reference": ("add", "change", "view")},
        "taggit": {"tag": ("view",)},
        # The one feedback queue: to read what visitors say of the FAQ entries (votes and
        # comments; entries' votes lived in the FAQ before trust migration 0005).
        "trust": {"person": ("view",), "feedback": ("view",)},
        "exosite": {"sharelink": ("change", "view")},  # their own (ShareLinkAdmin)
        # The dashboard's searches and FAQ entries (what they may view), and the promoted
        # results, to read (exosite/insight/).
        "insight": {"dashboard": ("reading", "searches"), "promotion": ("view",)},
    },
    "Medical reviewers": {
        "articles": {"article": ("change", "view", "review"), "figure": ("view",)},
        "glossary": {"term": ("change", "view", "review")},
        "faq": {"question": ("change", "view", "review"), "topic": ("view",)},
        "library": {"reference": ("add", "change", "view")},
        "taggit": {"tag": ("view",)},
        "trust": {"person": ("view",)},
    },
}


def ensure_roles(Group, Permission):
    """Create the groups and give each exactly its permissions (those that exist yet)."""
    for name, grants in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        wanted = [
            (app, f"{action}_{model}")
            for app, models in grants.items()
            for model, actions in models.items()
            for action in actions
        ]
        permissions = [
            permission
            for app, codename in wanted
            for permission in Permission.objects.filter(
                content_type__app_label=app, codename=codename
            )
        ]
        group.permissions.set(permissions)


def ensure_roles_after_migrate(sender, **kwargs):
    ensure_roles(Group, Permission)
