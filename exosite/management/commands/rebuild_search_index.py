"""Make the search index match the published content exactly."""

from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import Count

from exosite.kernel import languages
from exosite.kernel.progress import Progress
from exosite.models import SearchDocument
from exosite.search import documents


class Command(BaseCommand):
    help = (
        "Rebuild the site search index, every language, from every searchable content kind "
        "(articles, glossary terms, FAQ entries) "
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
        by_language = dict(
            SearchDocument.objects.values_list("language")
            .annotate(n=Count("pk"))
            .order_by("language")
        )
        total = sum(by_language.values())
        each = ", ".join(f"{languages.english_name(code)} {n}" for code, n in by_language.items())
        progress.done(
            self.style.SUCCESS(
                f"Search index ready: {total} documents ({each or 'none'}): {created} added, "
                f"{updated} updated, {removed} removed."
            )
        )
