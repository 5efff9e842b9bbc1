from django.core.management.base import BaseCommand

from exosite.kernel import mentions
from exosite.kernel.progress import Progress


class Command(BaseCommand):
    help = (
        "Re-link every item of every content kind and store what each one mentions (for "
        "backlinks and related content) and what is wrong with its links. Safe to run at "
        "any time."
    )

    def handle(self, *args, **options):
        progress = Progress(self.stdout)
        done = mentions.refresh_all_mentions(progress.callback("re-linked"))
        progress.done(self.style.SUCCESS(f"Mentions refreshed for {done} items."))
