"""manage.py insight_rollup: old daily rows become monthly rows, once, in one transaction."""

from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from exosite.insight.models import ItemDay, Period, SearchDay

pytestmark = pytest.mark.django_db


def rollup(*args):
    out = StringIO()
    call_command("insight_rollup", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def history():
    today = timezone.localdate()
    old = [date(2024, 3, 5), date(2024, 3, 20), date(2024, 4, 2)]
    for n, day in enumerate(old, 1):
        ItemDay.objects.create(
            day=day, kind="article", object_id=1, language="en", views=n * 10, picks=n
        )
        SearchDay.objects.create(
            day=day, query="vesicle", language="en", searches=n, empty=1, results=n * 2, opened=n
        )
    ItemDay.objects.create(day=today, kind="article", object_id=1, language="en", views=5)
    SearchDay.objects.create(day=today, query="vesicle", language="en", searches=1, results=4)
    return today


def test_old_days_become_months(history, settings):
    settings.EXOSITE_INSIGHT_RETENTION_DAYS = 400
    out = rollup()
    months = ItemDay.objects.filter(period=Period.MONTH).order_by("day")
    assert [(m.day, m.views, m.picks) for m in months] == [
        (date(2024, 3, 1), 30, 3),
        (date(2024, 4, 1), 30, 3),
    ]
    searches = SearchDay.objects.filter(period=Period.MONTH).order_by("day")
    assert [(s.day, s.searches, s.empty, s.results, s.opened) for s in searches] == [
        (date(2024, 3, 1), 3, 2, 4, 3),  # results: the month's latest search
        (date(2024, 4, 1), 3, 1, 6, 3),
    ]
    # Today's daily rows stay; the old ones are gone.
    assert list(ItemDay.objects.filter(period=Period.DAY).values_list("day", flat=True)) == [
        history
    ]
    assert SearchDay.objects.filter(period=Period.DAY).count() == 1
    last = out.strip().splitlines()[-1]
    assert last.startswith("Rolled up 6 daily rows from before")
    assert "into 4 monthly rows (keeping 400 days)" in last


def test_running_again_changes_nothing(history):
    rollup()
    before = sorted(ItemDay.objects.values_list("day", "period", "views"))
    out = rollup()
    assert sorted(ItemDay.objects.values_list("day", "period", "views")) == before
    assert "Rolled up 0 daily rows" in out


def test_later_days_of_a_month_add_to_its_row(history):
    rollup()
    ItemDay.objects.create(
        day=date(2024, 3, 28), kind="article", object_id=1, language="en", views=7
    )
    rollup()
    march = ItemDay.objects.get(period=Period.MONTH, day=date(2024, 3, 1))
    assert march.views == 37


def test_dry_run_changes_nothing(history):
    out = rollup("--dry-run")
    assert ItemDay.objects.filter(period=Period.MONTH).count() == 0
    assert ItemDay.objects.count() == 4
    assert "Would roll up 6 daily rows" in out


def test_days_from_the_command_line(history):
    recent = history - timedelta(days=10)
    ItemDay.objects.create(day=recent, kind="article", object_id=1, language="en", views=1)
    rollup("--days", "5")
    assert ItemDay.objects.filter(period=Period.DAY).count() == 1


@pytest.mark.parametrize("days", ["0", "-3"])
def test_bad_arguments_are_refused(history, days):
    with pytest.raises(CommandError, match="--days must be 1 or more"):
        rollup("--days", days)
    assert ItemDay.objects.filter(period=Period.MONTH).count() == 0


def test_bad_arguments_exit_non_zero_from_the_shell():
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "manage.py", "insight_rollup", "--days", "zero"],
        capture_output=True,
        text=True,
        env={"DJANGO_SETTINGS_MODULE": "tests.settings", "PATH": "/usr/bin:/bin"},
        check=False,
    )
    assert result.returncode != 0
    assert "--days" in result.stderr
