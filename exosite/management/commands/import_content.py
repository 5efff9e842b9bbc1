"""`manage.py import_content glossary terms.csv [--dry-run]`: the admin's spreadsheet import
(exosite.kernel.importing) for files of any size, with progress and a one-line summary.

Rows may be in any of the site's languages (a "Language" column, English when absent) and
a translation names its original in "Translation of" (exosite.kernel.importing).

Exits 0 when the file imported (or, with --dry-run, would import) cleanly; otherwise 1,
with each problem by row and column, and nothing written."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.module_loading import import_string

from exosite.kernel import kinds
from exosite.kernel.importing import FileProblem, read_file, row_messages, summary
from exosite.kernel.progress import Progress

MAX_PROBLEMS = 50


def importable():
    return {kind.name: kind for kind in kinds.all() if kind.import_resource}


class Command(BaseCommand):
    help = (
        "Import a CSV (UTF-8) or Excel (.xlsx) file of one content kind, as the admin's "
        "Import does: new and changed items become drafts, a change to a published item "
        "is refused, and a file with any error writes nothing. Each row's language is its "
        "Language column (en or es, English when absent); a translation names its original's "
        "English slug in Translation of."
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", help="The content kind: " + ", ".join(sorted(importable())))
        parser.add_argument("file", help="A .csv or .xlsx file whose first row names the columns.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check the file and say what it would do."
        )
        parser.add_argument(
            "--format",
            choices=("csv", "xlsx"),
            help="The file's format (from its name if left out).",
        )
        parser.add_argument(
            "--user", help="The username the revisions name as the importer (optional)."
        )

    def handle(self, *args, **options):
        kind = importable().get(options["kind"])
        if kind is None:
            raise CommandError(
                f"“{options['kind']}” cannot be imported: choose one of "
                f"{', '.join(sorted(importable()))}."
            )
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"There is no file {path}.")
        file_format = options["format"] or ("xlsx" if path.suffix.lower() == ".xlsx" else "csv")
        user = None
        if options["user"]:
            user = get_user_model().objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"There is no user “{options['user']}”.")

        progress = Progress(self.stdout)
        resource = import_string(kind.import_resource)(
            user=user,
            file_name=path.name,
            progress=lambda done, total: progress.update("rows", done, total),
        )
        try:
            dataset = read_file(path.read_bytes(), file_format, path.name)
            resource.match_headers(dataset.headers)
        except FileProblem as problem:
            raise CommandError(f"{path.name} was not imported: {problem}") from None
        result = resource.import_data(
            dataset,
            dry_run=options["dry_run"],
            rollback_on_validation_errors=True,
            retain_instance_in_row_result=False,
        )
        problems = row_messages(result)
        if problems:
            for problem in problems[:MAX_PROBLEMS]:
                self.stderr.write(problem)
            if len(problems) > MAX_PROBLEMS:
                self.stderr.write(f"… and {len(problems) - MAX_PROBLEMS} more.")
            progress.done(f"{path.name} was not imported, nothing was written: {summary(result)}.")
            more = f" (and {len(problems) - 1} more above)" if len(problems) > 1 else ""
            raise CommandError(f"{problems[0]}{more}", returncode=1)
        verb = "would import" if options["dry_run"] else "imported"
        progress.done(self.style.SUCCESS(f"{path.name} {verb}: {summary(result)}."))
