from datetime import timedelta

from django.core.management.base import BaseCommand

from exosite.kernel.tasks import recover_stalled


class Command(BaseCommand):
    help = (
        "Tasks left 'running' by a task worker that died (killed, out of memory, machine "
        "lost): put them back in the queue if they have attempts left, else mark them "
        "failed. Safe to run at any time, and from cron."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--minutes",
            type=int,
            default=60,
            help="Only tasks running for longer than this (default: 60; no task takes that long).",
        )

    def handle(self, *args, minutes, **options):
        requeued, failed = recover_stalled(older_than=timedelta(minutes=minutes))
        if requeued or failed or options["verbosity"] > 1:
            self.stdout.write(f"Stalled tasks: {requeued} queued again, {failed} marked failed.")
