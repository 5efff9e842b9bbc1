"""Make the search index match the published content exactly."""

from django.core.management.base import BaseCommand
from django.db import transaction

from exosite.kernel.progress import Progress
from exosite.models import SearchDocument
from exosite.search import documents


class Command(BaseCommand):
    help = (
        "Rebuild the site search index from every searchable content kind (articles, "
        "glossary terms, FAQ entries) "
        "(after imports or bulk updates that bypass the signals). Only what differs is "
        "written; safe to run at any time."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--batch-size", type=int, default=500, help="Items read and written at a time."
        )

    def handle(self, *args, batch_size, **options):
        progress = Progress(self.stdout)
        with transaction.atomic():
            created, updated, removed = documents.rebuild(
                progress.callback("indexing"), batch_size=batch_size
            )
        total = SearchDocument.objects.count()
        progress.done(
            self.style.SUCCESS(
                f"Search index ready: {total} documents: {created} added, {updated} updated, "
                f"{removed} removed."
            )
        )
