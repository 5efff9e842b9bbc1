"""The spreadsheet import of glossary terms (exosite.kernel.importing) at 500 rows (the
admin's limit) and 10,000 (`manage.py import_content`): the admin's preview (a dry run, for
sizes the admin takes), the import itself, the same file again (every row unchanged) and
the linking done once afterwards (the task `relink_imported`).

Run with `.venv/bin/python bench/import_terms.py` (about ten minutes; `--rows 500 10000`).
Works on a fresh SQLite database of its own under var/ (DATABASE_URL to use another),
with the demo content loaded first so that the linking has articles to re-link. Prints,
for each size, seconds and database queries of each step.
"""

import argparse
import csv
import io
import os
import sys
import time

from harness import VAR, project_on_path

project_on_path()
DB = VAR / "bench-import.sqlite3"
os.environ.setdefault("DATABASE_URL", f"sqlite:///{DB}")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "exosite.settings")
os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-secret-key-not-for-production-use")
os.environ.setdefault("EXOSITE_TASK_BACKEND", "immediate")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from exosite.kernel import importing  # noqa: E402
from glossary.models import Term  # noqa: E402
from glossary.resources import TermResource  # noqa: E402

HEADINGS = [
    "Name",
    "Abbreviation",
    "Synonyms and other spellings",
    "Short definition",
    "Full definition (Markdown)",
    "Related terms",
    "Tags",
]


def make_csv(rows):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADINGS)
    for n in range(rows):
        writer.writerow(
            [
                f"Bench term {n}",
                f"BT{n}",
                f"bench synonym {n}\nbench spelling {n}",
                f"The short definition of bench term {n}.",
                f"The **full** definition of bench term {n}, related to [[Exosome]].",
                f"Bench term {n - 1}" if n else "",
                f"bench; group {n % 20}",
            ]
        )
    return out.getvalue().encode()


def timed(label, func):
    queries = []

    def count(execute, sql, params, many, context):
        queries.append(1)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        started = time.perf_counter()
        value = func()
        seconds = time.perf_counter() - started
    print(f"  {label:<34} {seconds:7.1f} s  {len(queries):>8,} queries", flush=True)
    return value


def run(rows):
    Term.objects.filter(name__startswith="Bench term").delete()
    data = make_csv(rows)
    enqueued = []
    importing.enqueue_after_commit = lambda task, *args: enqueued.append(args)
    print(f"{rows:,} rows ({len(data) / 1e6:.1f} MB CSV)")

    def load(dry_run):
        dataset = importing.read_file(data, "csv", "bench.csv")
        result = TermResource(file_name="bench.csv").import_data(
            dataset, dry_run=dry_run, rollback_on_validation_errors=True
        )
        assert not result.has_errors() and not result.has_validation_errors(), (
            importing.row_messages(result, limit=5)
        )
        return importing.summary(result)

    if rows <= importing.ADMIN_MAX_ROWS:  # larger files go through the command: no preview
        print("   preview:", timed("preview (dry run, rolled back)", lambda: load(True)))
    print("   import: ", timed("import", lambda: load(False)))
    keys, phrases = enqueued[-1]
    timed(
        f"linking afterwards ({len(keys):,} items)",
        lambda: importing.relink_imported.call(keys, phrases),
    )
    print("   again:  ", timed("same file again", lambda: load(False)))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[500, 10_000])
    args = parser.parse_args()
    if os.environ["DATABASE_URL"].endswith(str(DB)):
        DB.unlink(missing_ok=True)
    call_command("migrate", verbosity=0)
    call_command("load_demo", verbosity=0)
    for rows in args.rows:
        run(rows)


if __name__ == "__main__":
    sys.exit(main())
