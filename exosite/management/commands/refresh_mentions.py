from django.core.management.base import BaseCommand

from exosite import linking


class Command(BaseCommand):
    help = (
        "Re-link every article, glossary term and FAQ entry and store what each one "
        "mentions (for backlinks and related content). Safe to run at any time."
    )

    def handle(self, *args, **options):
        def progress(done):
            if self.stdout.isatty():
                self.stdout.write(f"\r  re-linked {done} items", ending="")
                self.stdout.flush()

        done = linking.refresh_all_mentions(progress)
        if self.stdout.isatty():
            self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"Mentions refreshed for {done} items."))
