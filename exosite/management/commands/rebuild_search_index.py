"""Make the search index match the published content exactly."""

import time

from django.core.management.base import BaseCommand
from django.db import transaction

from exosite.models import SearchDocument
from exosite.search import documents


class Command(BaseCommand):
    help = (
        "Rebuild the site search index from the articles, glossary terms and FAQ entries "
        "(after imports or bulk updates that bypass the signals). Only what differs is "
        "written; safe to run at any time."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--batch-size", type=int, default=500, help="Items read and written at a time."
        )

    def handle(self, *args, batch_size, **options):
        started = time.monotonic()
        tty = self.stdout.isatty()

        def progress(done, total):
            if tty:
                width = 30
                filled = int(width * done / total) if total else width
                bar = "#" * filled + "-" * (width - filled)
                self.stdout.write(f"\r  indexing [{bar}] {done}/{total}", ending="")
                self.stdout.flush()

        with transaction.atomic():
            created, updated, removed = documents.rebuild(progress, batch_size=batch_size)
        if tty:
            self.stdout.write("")
        total = SearchDocument.objects.count()
        self.stdout.write(
            self.style.SUCCESS(
                f"Search index ready: {total} documents: {created} added, {updated} updated, "
                f"{removed} removed ({time.monotonic() - started:.1f} s)."
            )
        )
