from django.core.management.base import BaseCommand

from faq.notifications import send_pending


class Command(BaseCommand):
    help = (
        "Email every visitor whose question was answered and who has not been told yet "
        "(retries earlier failures). Safe to run from cron."
    )

    def handle(self, *args, **options):
        sent, failed = send_pending()
        summary = f"Answer emails: {sent} sent, {failed} failed (will be retried)."
        self.stdout.write(
            self.style.SUCCESS(summary) if not failed else self.style.WARNING(summary)
        )
        if failed:
            raise SystemExit(1)
