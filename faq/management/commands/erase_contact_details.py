from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from faq.models import Submission


class Command(BaseCommand):
    help = (
        "Erase the name and email of visitor questions closed more than N days ago "
        "(default EXOSITE_CONTACT_RETENTION_DAYS). Idempotent; safe to run from cron."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=settings.EXOSITE_CONTACT_RETENTION_DAYS,
            help="Keep contact details this many days after a question is closed.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Only say how many would be erased."
        )

    def handle(self, *args, days, dry_run, **options):
        if days < 0:
            raise CommandError("--days must be zero or more.")
        erasable = Submission.objects.erasable(days)
        count = erasable.count()
        if dry_run:
            self.stdout.write(
                f"Dry run: {count} question(s) closed more than {days} days ago still hold "
                "contact details; nothing was changed."
            )
            return
        erasable.update(name="", email="", consent=False, contact_erased_at=timezone.now())
        self.stdout.write(
            self.style.SUCCESS(
                f"Erased the contact details of {count} question(s) closed more than "
                f"{days} days ago."
            )
        )
