"""Write a dated, complete export of the site's data: `manage.py backup` (`make backup`).

One gzipped JSON file, `exosite-YYYYMMDD-HHMMSS.json.gz` in var/backups/ (or --dir), with:

- every object of the site's own apps and of the libraries that hold its data: content in
  every language (a translation is its own row, pointing at its original), references,
  figures, tags, mentions, revisions (django-simple-history), topics, people and their
  translations, visitor questions and feedback, share links, slug redirects, users and
  groups, the admin's log;
- the list of media files (path, size, SHA-256), and the files the data refers to that are
  missing from media storage;
- the applied migrations and the number of objects of each model, to check a restore.

Left out, because they are rebuilt or are only state: content types and permissions
(re-created by `migrate`; referred to by natural keys), sessions, rate-limit counters,
login-attempt records (django-axes), the search index (rebuilt on restore), the page
cache's content version and the background tasks (django-tasks-db's queue: what they keep
up to date is rebuilt on restore or redone by `refresh_mentions`). Media files themselves
are copied separately (README, "Backups"). `manage.py restore FILE` loads the file into an
empty database.
"""

import gzip
import hashlib
import json
import os
from datetime import UTC, datetime, time
from itertools import islice
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DEFAULT_DB_ALIAS, connections, models
from django.db.migrations.recorder import MigrationRecorder

FORMAT = "exosite-backup"
CHUNK = 2000
VERSION = 1
# Rebuilt by migrate or on restore, or transient state: never exported.
EXCLUDED = {
    "contenttypes.contenttype",
    "auth.permission",
    "sessions.session",
    "exosite.ratelimithit",
    "exosite.searchdocument",
    "ops.contentversion",
}
EXCLUDED_APPS = {"axes", "contenttypes", "sessions", "django_tasks_database"}
# Exported by natural key, so that a restore merges them with the rows `migrate` creates
# (the Editors and FAQ staff groups). Every other model keeps its primary key: some
# natural keys are not unique (taggit's TaggedItem uses the object id alone).
NATURAL_PRIMARY = {"auth.group"}


class Encoder(DjangoJSONEncoder):
    """DjangoJSONEncoder cuts times to milliseconds; a backup keeps every microsecond."""

    def default(self, o):
        if isinstance(o, datetime | time):
            return o.isoformat()
        return super().default(o)


def exported_models():
    """The models to export, ordered so that what an object refers to comes first."""
    app_list = {}
    for config in apps.get_app_configs():
        if config.label in EXCLUDED_APPS:
            continue
        chosen = [
            model
            for model in config.get_models()
            if not model._meta.proxy
            and model._meta.managed
            and model._meta.label_lower not in EXCLUDED
        ]
        if chosen:
            app_list[config] = chosen
    return serializers.sort_dependencies(app_list.items(), allow_cycles=True)


def media_files():
    """Every file in media storage: [{"path", "size", "sha256"}]."""
    found = []

    def walk(folder):
        try:
            directories, files = default_storage.listdir(folder)
        except (FileNotFoundError, NotADirectoryError):
            return
        for name in sorted(files):
            path = f"{folder}/{name}" if folder else name
            digest = hashlib.sha256()
            with default_storage.open(path, "rb") as handle:
                for chunk in iter(lambda: handle.read(1 << 20), b""):
                    digest.update(chunk)
            found.append(
                {"path": path, "size": default_storage.size(path), "sha256": digest.hexdigest()}
            )
        for name in sorted(directories):
            walk(f"{folder}/{name}" if folder else name)

    walk("")
    return found


def referenced_media(model_list):
    """Paths that file fields in the data point to."""
    paths = set()
    for model in model_list:
        for field in model._meta.concrete_fields:
            if isinstance(field, models.FileField):
                values = model._base_manager.exclude(**{field.name: ""}).values_list(
                    field.name, flat=True
                )
                paths.update(value for value in values.iterator() if value)
    return paths


class Command(BaseCommand):
    help = "Write a dated, complete export of the site's data (see `restore` to load it)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dir",
            default=os.environ.get(
                "EXOSITE_BACKUP_DIR", str(Path(settings.BASE_DIR) / "var" / "backups")
            ),
            help="Folder to write to (default var/backups, or EXOSITE_BACKUP_DIR).",
        )
        parser.add_argument("--output", help="Exact file name to write instead.")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args, **options):
        using = options["database"]
        now = datetime.now(UTC)
        if options["output"]:
            path = Path(options["output"])
        else:
            path = Path(options["dir"]) / f"exosite-{now:%Y%m%d-%H%M%S}.json.gz"
        path.parent.mkdir(parents=True, exist_ok=True)
        model_list = exported_models()
        media = media_files()
        stored = {item["path"] for item in media}
        missing = sorted(referenced_media(model_list) - stored)
        recorder = MigrationRecorder(connections[using])
        migrations = {}
        for app, name in recorder.applied_migrations():
            migrations.setdefault(app, []).append(name)
        counts = {}
        partial = path.with_name(path.name + ".partial")
        with gzip.open(partial, "wt", encoding="utf-8") as out:
            header = {
                "format": FORMAT,
                "version": VERSION,
                "created_at": now.isoformat(),
                "database": connections[using].vendor,
                "migrations": {app: sorted(names) for app, names in sorted(migrations.items())},
                "media": media,
                "media_missing": missing,
            }
            # The header, then the objects streamed one by one, then the counts.
            out.write(json.dumps(header, cls=Encoder)[:-1] + ', "objects": [\n')
            first = True
            for model in model_list:
                label = model._meta.label_lower
                queryset = model._base_manager.using(using).order_by(model._meta.pk.name)
                counts[label] = 0
                rows = queryset.iterator(chunk_size=CHUNK)
                while chunk := list(islice(rows, CHUNK)):
                    for data in serializers.serialize(
                        "python",
                        chunk,
                        use_natural_foreign_keys=True,
                        use_natural_primary_keys=label in NATURAL_PRIMARY,
                    ):
                        out.write(("" if first else ",\n") + json.dumps(data, cls=Encoder))
                        first = False
                    counts[label] += len(chunk)
            out.write("\n], " + json.dumps({"counts": counts})[1:] + "\n")
        partial.replace(path)
        total = sum(counts.values())
        self.stdout.write(
            self.style.SUCCESS(
                f"Backup written: {path} ({total} objects of {len(counts)} models, "
                f"{len(media)} media files listed, {path.stat().st_size / 1e6:.1f} MB)."
            )
        )
        if missing:
            self.stderr.write(
                f"{len(missing)} file(s) the data refers to are not in media storage, "
                f"e.g. {missing[0]}"
            )
