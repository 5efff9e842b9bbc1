"""Load a `backup` file into an empty database: `manage.py restore FILE` (`make restore`).

Run `migrate` first (make restore does). The database must hold no content, visitor
questions or users yet (the groups and permissions `migrate` creates are fine: the
backup's groups are merged into them by name). Everything is loaded in one transaction:
a file that does not load leaves the database as it was. Afterwards the primary-key
sequences are moved past the loaded rows (PostgreSQL), the search index is rebuilt, the
counts are checked against the file's, and media files the data refers to but that are
not in media storage are listed (copy them back from the media backup).
"""

import gzip
import json
from collections import Counter

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core import serializers
from django.core.files.storage import default_storage
from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand, CommandError
from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, connections, transaction

from exosite.kernel import kinds

from .backup import EXCLUDED, FORMAT, VERSION


def guarded():
    """Models with a row in any of which the database is not empty: every content kind's
    (but those `migrate` seeds) and what visitors write (each app config's
    `visitor_models`)."""
    models = [kind.model for kind in kinds.all() if kind.model not in seeded()]
    for config in apps.get_app_configs():
        for name in getattr(config, "visitor_models", ()):
            model = config.get_model(name)
            if model._meta.label_lower not in EXCLUDED:
                models.append(model)
    return models


def seeded():
    """Rows that `migrate` itself creates (the policy pages, their revisions, and the
    mentions their links make): the backup's own copies replace them. Each app config's
    `seeded_models` first (deleting pages writes revisions), then the mentions."""
    models = [
        config.get_model(name)
        for config in apps.get_app_configs()
        for name in getattr(config, "seeded_models", ())
    ]
    return [*models, apps.get_model("exosite", "mention")]


def read(path):
    opener = gzip.open if str(path).endswith(".gz") else open
    try:
        with opener(path, "rt", encoding="utf-8") as handle:
            data = json.load(handle)
    except (OSError, ValueError) as exc:
        raise CommandError(f"Cannot read {path}: {exc}") from exc
    if data.get("format") != FORMAT:
        raise CommandError(f"{path} is not an Exosite backup.")
    if data.get("version") != VERSION:
        raise CommandError(f"{path} is a version {data.get('version')} backup; expected {VERSION}.")
    return data


class Command(BaseCommand):
    help = "Load a backup written by `manage.py backup` into an empty database."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args, **options):
        using = options["database"]
        data = read(options["file"])
        self.check_empty(using)
        self.check_migrations(data, using)
        loaded = Counter()
        touched = set()
        with transaction.atomic(using=using):
            for model in seeded():
                model._base_manager.using(using).all().delete()
            deferred = []
            for item in serializers.deserialize(
                "python", data["objects"], using=using, handle_forward_references=True
            ):
                # The restored revisions are the history: loading makes no new ones.
                item.object.skip_history_when_saving = True
                item.save(using=using)
                if item.deferred_fields:
                    deferred.append(item)
                loaded[item.object._meta.label_lower] += 1
                touched.add(type(item.object))
            for item in deferred:
                item.save_deferred_fields(using=using)
            self.reset_sequences(touched, using)
        expected = {label: n for label, n in data.get("counts", {}).items() if n}
        if dict(loaded) != expected:
            raise CommandError(
                f"Loaded counts differ from the backup's: {dict(loaded)} != {expected}"
            )
        if "rebuild_search_index" in get_commands():
            call_command("rebuild_search_index", verbosity=0)
        missing = [
            path
            for path in data.get("media_missing", []) + [m["path"] for m in data["media"]]
            if not default_storage.exists(path)
        ]
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored {sum(loaded.values())} objects of {len(loaded)} models from "
                f"{options['file']} (backup of {data['created_at']})."
            )
        )
        if missing:
            self.stderr.write(
                f"{len(missing)} media file(s) are not in media storage yet, e.g. {missing[0]}: "
                "copy them back from the media backup."
            )

    def check_empty(self, using):
        for model in guarded():
            if model._base_manager.using(using).exists():
                raise CommandError(
                    f"The database already holds data ({model._meta.verbose_name_plural}). "
                    "Restore into an empty database: create it, run `manage.py migrate`, "
                    "then restore."
                )
        if get_user_model()._base_manager.using(using).exists():
            raise CommandError("The database already has users. Restore into an empty database.")

    def check_migrations(self, data, using):
        """Refuse a backup taken on a newer schema than this code's."""
        from django.db.migrations.recorder import MigrationRecorder

        applied = set(MigrationRecorder(connections[using]).applied_migrations())
        ahead = [
            f"{app}.{name}"
            for app, names in data.get("migrations", {}).items()
            for name in names
            if (app, name) not in applied
        ]
        if ahead:
            raise CommandError(
                "The backup was taken on a newer version of the site (migrations not applied "
                f"here: {', '.join(ahead[:5])}). Update the code and run migrate first."
            )

    @staticmethod
    def reset_sequences(models, using):
        connection = connections[using]
        statements = connection.ops.sequence_reset_sql(no_style(), list(models))
        if statements:
            with connection.cursor() as cursor:
                for sql in statements:
                    cursor.execute(sql)
