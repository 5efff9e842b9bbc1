"""Daily counts older than EXOSITE_INSIGHT_RETENTION_DAYS added up into one row per month.

    manage.py insight_rollup [--days N] [--dry-run]

Cron-safe: run it daily. Everything happens in one transaction (the month rows added to,
the daily rows deleted), so a run that fails or is killed changes nothing, and a second
run finds nothing left to roll up; two runs at once queue on the database (the month rows
are added to with the same UPSERT as the counting, so nothing is counted twice).
Counts being written meanwhile are for today, never older than the cut-off.
"""

from collections import defaultdict
from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from exosite.insight.counting import upsert
from exosite.insight.models import ItemDay, Period, SearchDay
from exosite.kernel.progress import Progress

BATCH = 2000


class Command(BaseCommand):
    help = (
        "Add up daily insight counts older than EXOSITE_INSIGHT_RETENTION_DAYS (or --days) "
        "into monthly rows, and delete the daily rows."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="Keep this many days of daily rows (default: EXOSITE_INSIGHT_RETENTION_DAYS).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Say what would be rolled up; change nothing."
        )

    def handle(self, *args, days=None, dry_run=False, **options):
        days = settings.EXOSITE_INSIGHT_RETENTION_DAYS if days is None else days
        if days < 1:
            raise CommandError(
                f"--days must be 1 or more (got {days}): the daily rows of the last days are "
                "what the dashboard shows."
            )
        cutoff = timezone.localdate() - timedelta(days=days)
        progress = Progress(self.stdout)
        with transaction.atomic():
            items = self.items(cutoff, progress)
            searches = self.searches(cutoff, progress)
            rows = sum(count for _, count in (items, searches))
            months = len(items[0]) + len(searches[0])
            if not dry_run:
                upsert(items[0], searches[0], period=Period.MONTH)
                ItemDay.objects.filter(period=Period.DAY, day__lt=cutoff).delete()
                SearchDay.objects.filter(period=Period.DAY, day__lt=cutoff).delete()
        verb = "Would roll up" if dry_run else "Rolled up"
        progress.done(
            f"{verb} {rows:,} daily rows from before {cutoff.isoformat()} into {months:,} "
            f"monthly rows (keeping {days} days)."
        )

    @staticmethod
    def month(day):
        return day.replace(day=1)

    def items(self, cutoff, progress):
        """({(month, kind, id, language): [views, picks]}, daily rows read)."""
        old = ItemDay.objects.filter(period=Period.DAY, day__lt=cutoff)
        total = old.count()
        sums = defaultdict(lambda: [0, 0])
        rows = old.values_list("day", "kind", "object_id", "language", "views", "picks")
        for day, kind, object_id, language, views, picks in progress.track(
            "page views", rows.iterator(chunk_size=BATCH), total=total
        ):
            counts = sums[self.month(day), kind, object_id, language]
            counts[0] += views
            counts[1] += picks
        return dict(sums), total

    def searches(self, cutoff, progress):
        """({(month, query, language): [searches, empty, results, opened]}, rows read);
        `results` is what the month's latest search found."""
        old = SearchDay.objects.filter(period=Period.DAY, day__lt=cutoff).order_by("day")
        total = old.count()
        sums = defaultdict(lambda: [0, 0, 0, 0])
        rows = old.values_list("day", "query", "language", "searches", "empty", "results", "opened")
        for day, query, language, searches, empty, results, opened in progress.track(
            "searches", rows.iterator(chunk_size=BATCH), total=total
        ):
            counts = sums[self.month(day), query, language]
            counts[0] += searches
            counts[1] += empty
            counts[2] = results if searches else counts[2]
            counts[3] += opened
        return dict(sums), total
