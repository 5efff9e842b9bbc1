"""The dashboard's tables, each a `Table` of plain values (shown, charted and exported as
CSV alike). Staff see the items of the kinds they may view (FAQ staff: FAQ entries) and
the searches if they hold the searches permission (exosite.kernel.roles)."""

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from urllib.parse import urlsplit

from django.db.models import Count, Max, Q, Sum
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from exosite.kernel import kinds
from exosite.models import Status

from . import items as pages
from .models import ItemDay, Period, Promotion, SearchDay

WINDOWS = (7, 30, 90)
ROWS = 25
CSV_ROWS = 5000
FEEDBACK_WEEKS = 12
# Votes an item needs before its helpful ratio is shown or called low.
MIN_VOTES = 3


@dataclass
class Table:
    slug: str
    title: str
    columns: list
    rows: list = field(default_factory=list)
    # Per row: {"url": admin change page, "actions": [(label, url)], ...}
    extra: list = field(default_factory=list)
    note: str = ""

    @property
    def entries(self):
        return list(zip(self.rows, self.extra, strict=True))


@dataclass
class Item:
    kind: str
    object_id: int
    language: str
    title: str = ""
    published: bool = False
    admin_url: str = ""
    views: dict = field(default_factory=dict)

    @property
    def label(self):
        return self.title or f"{self.kind} #{self.object_id}"


def allowed_kinds(user):
    """The content kinds whose items `user` may view in the admin."""
    allowed = []
    for kind in kinds.all():
        meta = kind.model._meta
        if user.has_perm(f"{meta.app_label}.view_{meta.model_name}") or user.has_perm(
            f"{meta.app_label}.change_{meta.model_name}"
        ):
            allowed.append(kind.name)
    return allowed


def can_see_reading(user):
    return user.has_perm("insight.reading_dashboard")


def can_see_searches(user):
    return user.has_perm("insight.searches_dashboard")


def describe(keys):
    """{(kind, id): Item} with titles, status and admin addresses, one query per kind."""
    by_kind = {}
    for kind_name, object_id, *_rest in keys:
        by_kind.setdefault(kind_name, set()).add(object_id)
    found = {}
    now = timezone.now()
    for kind_name, ids in by_kind.items():
        try:
            kind = kinds.get(kind_name)
        except LookupError:
            continue
        meta = kind.model._meta
        for obj in kind.model.objects.filter(pk__in=ids):
            try:
                admin_url = reverse(
                    f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk]
                )
            except NoReverseMatch:
                admin_url = ""
            published_at = getattr(obj, "published_at", None)
            found[kind_name, obj.pk] = Item(
                kind=kind_name,
                object_id=obj.pk,
                language=getattr(obj, "language", "") or "en",
                title=kind.title(obj),
                published=getattr(obj, "status", None) == Status.PUBLISHED
                and (published_at is None or published_at <= now),
                admin_url=admin_url,
            )
    return found


def kind_label(name):
    try:
        return str(kinds.get(name).singular_label)
    except LookupError:
        return name


# -- reading ------------------------------------------------------------------------------


def views_by_item(today, allowed, windows=WINDOWS):
    """{(kind, id, language): {days: views}} over the last `windows` days (daily rows)."""
    longest = max(windows)
    sums = {
        f"d{days}": Sum("views", filter=Q(day__gt=today - timedelta(days=days))) for days in windows
    }
    rows = (
        ItemDay.objects.filter(
            period=Period.DAY, day__gt=today - timedelta(days=longest), kind__in=allowed
        )
        .values("kind", "object_id", "language")
        .annotate(**sums, picks=Sum("picks"))
    )
    return {
        (row["kind"], row["object_id"], row["language"]): {
            **{days: row[f"d{days}"] or 0 for days in windows},
            "picks": row["picks"] or 0,
        }
        for row in rows
    }


def most_read(today, allowed, days, limit=ROWS):
    counted = views_by_item(today, allowed)
    ranked = sorted(counted.items(), key=lambda pair: (-pair[1][days], pair[0]))
    ranked = [pair for pair in ranked if pair[1][days]][:limit]
    described = describe([key for key, _ in ranked])
    table = Table(
        "most-read",
        _("Most read"),
        [
            _("Item"),
            _("Kind"),
            _("Language"),
            _("Views, 7 days"),
            _("Views, 30 days"),
            _("Views, 90 days"),
            _("Chosen from type-ahead, 90 days"),
        ],
        note=_("Ordered by views in the last %(days)s days.") % {"days": days},
    )
    for (kind_name, object_id, language), numbers in ranked:
        item = described.get((kind_name, object_id)) or Item(kind_name, object_id, language)
        table.rows.append(
            [
                item.label,
                kind_label(kind_name),
                language,
                numbers[7],
                numbers[30],
                numbers[90],
                numbers["picks"],
            ]
        )
        table.extra.append({"url": item.admin_url, "published": item.published})
    return table


def feedback_rows(since, allowed):
    """Feedback since `since` on the pages of items of the `allowed` kinds:
    [(item key, kind of feedback, received on)]."""
    from trust.models import Feedback

    rows = list(
        Feedback.objects.filter(received_at__gte=since).values_list("page", "kind", "received_at")
    )
    located = locate_pages({page for page, _, _ in rows})
    return [
        (located[page], kind, received_at)
        for page, kind, received_at in rows
        if located.get(page) and located[page][0] in allowed
    ]


def locate_pages(pages_seen):
    """{page address: (kind, id, language)} for the addresses that are items' pages, one
    query per kind and language."""
    wanted = {}
    for page in pages_seen:
        found = pages.kind_and_slug(urlsplit(page).path or "/")
        if found is not None:
            kind, slug, language = found
            wanted.setdefault((kind, language), {}).setdefault(slug, []).append(page)
    located = {}
    for (kind, language), slugs in wanted.items():
        objects = pages.objects(kind, language, published=False).filter(slug__in=list(slugs))
        for pk, slug in objects.values_list("pk", "slug"):
            for page in slugs.get(slug, ()):
                located[page] = (kind.name, pk, language)
    return located


def helpfulness(today, allowed, days):
    """{item key: [helpful, not helpful, problem reports]} over the last `days` days."""
    since = timezone.now() - timedelta(days=days)
    votes = {}
    for key, kind, _received in feedback_rows(since, allowed):
        counts = votes.setdefault(key, [0, 0, 0])
        counts[("helpful", "not-helpful", "problem").index(kind)] += 1
    return votes


def ratio(helpful, unhelpful):
    total = helpful + unhelpful
    return round(100 * helpful / total) if total else None


def helpful_ratio(today, allowed, days, limit=ROWS):
    votes = helpfulness(today, allowed, days)
    counted = views_by_item(today, allowed)
    ranked = sorted(votes.items(), key=lambda pair: (-(pair[1][0] + pair[1][1]), pair[0]))
    ranked = ranked[:limit]
    described = describe([key for key, _ in ranked])
    table = Table(
        "helpful",
        _("Helpful ratio per item"),
        [
            _("Item"),
            _("Kind"),
            _("Helpful"),
            _("Not helpful"),
            _("Helpful, per cent"),
            _("Problem reports"),
            _("Views"),
        ],
        note=_("Votes and reports of the last %(days)s days, most votes first.") % {"days": days},
    )
    for key, (helpful, unhelpful, problems) in ranked:
        item = described.get(key[:2]) or Item(*key)
        share = ratio(helpful, unhelpful)
        table.rows.append(
            [
                item.label,
                kind_label(key[0]),
                helpful,
                unhelpful,
                "" if share is None else share,
                problems,
                counted.get(key, {}).get(days, 0),
            ]
        )
        table.extra.append({"url": item.admin_url})
    return table


def read_but_unhelpful(today, allowed, days, limit=ROWS):
    """Items read a lot (at least the median of items with views) whose votes are mostly
    "not helpful" (at least MIN_VOTES votes): the first to improve."""
    votes = helpfulness(today, allowed, days)
    counted = views_by_item(today, allowed)
    read = sorted(numbers[days] for numbers in counted.values() if numbers[days])
    median = read[len(read) // 2] if read else 0
    chosen = []
    for key, (helpful, unhelpful, _problems) in votes.items():
        views = counted.get(key, {}).get(days, 0)
        if helpful + unhelpful >= MIN_VOTES and unhelpful > helpful and views and views >= median:
            chosen.append((views, key, helpful, unhelpful))
    chosen.sort(key=lambda row: (-row[0], row[1]))
    chosen = chosen[:limit]
    described = describe([row[1] for row in chosen])
    table = Table(
        "unhelpful",
        _("Read a lot, found unhelpful"),
        [_("Item"), _("Kind"), _("Views"), _("Helpful"), _("Not helpful"), _("Helpful, per cent")],
        note=_(
            "Items with at least %(median)s views in the last %(days)s days (the median) and "
            "more “not helpful” than “helpful” votes (at least %(votes)s)."
        )
        % {"median": median, "days": days, "votes": MIN_VOTES},
    )
    for views, key, helpful, unhelpful in chosen:
        item = described.get(key[:2]) or Item(*key)
        table.rows.append(
            [item.label, kind_label(key[0]), views, helpful, unhelpful, ratio(helpful, unhelpful)]
        )
        table.extra.append({"url": item.admin_url})
    return table


def review_overdue(today, allowed, days, limit=ROWS):
    """Published items whose next medical review date has passed, most read first."""
    counted = views_by_item(today, allowed)
    overdue = []
    for kind in kinds.all():
        if kind.name not in allowed:
            continue
        names = {f.name for f in kind.model._meta.fields}
        if "next_review_at" not in names:
            continue
        found = kind.model.objects.published().filter(next_review_at__lt=today)
        for obj in found.only(
            "pk", "next_review_at", *(["language"] if "language" in names else [])
        ):
            language = getattr(obj, "language", "") or "en"
            views = counted.get((kind.name, obj.pk, language), {}).get(days, 0)
            overdue.append((views, kind.name, obj.pk, language, obj.next_review_at))
    overdue.sort(key=lambda row: (-row[0], row[4], row[1], row[2]))
    overdue = overdue[:limit]
    described = describe([(row[1], row[2]) for row in overdue])
    table = Table(
        "review-overdue",
        _("Review overdue, most read first"),
        [_("Item"), _("Kind"), _("Review was due"), _("Days overdue"), _("Views")],
        note=_("Published items past their next review date; views of the last %(days)s days.")
        % {"days": days},
    )
    for views, kind_name, object_id, language, due in overdue:
        item = described.get((kind_name, object_id)) or Item(kind_name, object_id, language)
        table.rows.append(
            [item.label, kind_label(kind_name), due.isoformat(), (today - due).days, views]
        )
        table.extra.append({"url": item.admin_url})
    return table


def feedback_over_time(today, allowed, weeks=FEEDBACK_WEEKS):
    """Votes and problem reports per week (weeks starting on Monday), oldest first."""
    monday = today - timedelta(days=today.weekday())
    first = monday - timedelta(weeks=weeks - 1)
    since = timezone.make_aware(datetime.combine(first, time.min))
    per_week = {first + timedelta(weeks=n): [0, 0, 0] for n in range(weeks)}
    for _key, kind, received_at in feedback_rows(since, allowed):
        day = timezone.localdate(received_at)
        week = day - timedelta(days=day.weekday())
        if week in per_week:
            per_week[week][("helpful", "not-helpful", "problem").index(kind)] += 1
    table = Table(
        "feedback",
        _("Feedback over time"),
        [_("Week starting"), _("Helpful"), _("Not helpful"), _("Problem reports")],
        note=_("The last %(weeks)s weeks, from the feedback queue.") % {"weeks": weeks},
    )
    for week, counts in per_week.items():
        table.rows.append([week.isoformat(), *counts])
        table.extra.append({})
    return table


# -- searches ----------------------------------------------------------------------------


def promoted_queries():
    found = set()
    for promotion in Promotion.objects.filter(active=True):
        for key in promotion.all_queries():
            found.add((key, promotion.language))
    return found


def searches_without_results(today, days, limit=ROWS):
    since = today - timedelta(days=days)
    rows = (
        SearchDay.objects.filter(period=Period.DAY, day__gt=since)
        .values("query", "language")
        .annotate(searches=Sum("searches"), empty=Sum("empty"), last=Max("day"))
        .filter(empty__gt=0)
        .order_by("-empty", "-searches", "query")
    )[:limit]
    pinned = promoted_queries()
    table = Table(
        "no-results",
        _("Searches with no results"),
        [
            _("Query"),
            _("Language"),
            _("Searches"),
            _("Found nothing"),
            _("Last searched"),
            _("Pinned"),
        ],
        note=_("Each search that found nothing in the last %(days)s days, most often first.")
        % {"days": days},
    )
    for row in rows:
        is_pinned = (row["query"], row["language"]) in pinned
        table.rows.append(
            [
                row["query"],
                row["language"],
                row["searches"],
                row["empty"],
                row["last"].isoformat(),
                _("yes") if is_pinned else "",
            ]
        )
        table.extra.append({"query": row["query"], "language": row["language"]})
    return table


def searches_not_opened(today, days, limit=ROWS):
    since = today - timedelta(days=days)
    rows = (
        SearchDay.objects.filter(period=Period.DAY, day__gt=since)
        .values("query", "language")
        .annotate(
            searches=Sum("searches"),
            empty=Sum("empty"),
            opened=Sum("opened"),
            results=Max("results"),
            days_searched=Count("id"),
        )
        .filter(opened=0, results__gt=0)
        .order_by("-searches", "query")
    )[:limit]
    table = Table(
        "not-opened",
        _("Searches whose results nobody opened"),
        [_("Query"), _("Language"), _("Searches"), _("Results"), _("Days searched")],
        note=_(
            "Searches with results in the last %(days)s days after which no result was "
            "opened (counted when the browser tells the page it came from the search)."
        )
        % {"days": days},
    )
    for row in rows:
        table.rows.append(
            [row["query"], row["language"], row["searches"], row["results"], row["days_searched"]]
        )
        table.extra.append({"query": row["query"], "language": row["language"]})
    return table


def search_totals(today, days):
    since = today - timedelta(days=days)
    totals = SearchDay.objects.filter(period=Period.DAY, day__gt=since).aggregate(
        searches=Sum("searches"), empty=Sum("empty"), opened=Sum("opened")
    )
    return {name: value or 0 for name, value in totals.items()}


def views_total(today, allowed, days):
    since = today - timedelta(days=days)
    total = ItemDay.objects.filter(period=Period.DAY, day__gt=since, kind__in=allowed).aggregate(
        views=Sum("views")
    )
    return total["views"] or 0


def retention():
    from django.conf import settings

    oldest_day = (
        ItemDay.objects.filter(period=Period.DAY).order_by("day").values_list("day", flat=True)
    ).first()
    months = (
        ItemDay.objects.filter(period=Period.MONTH).count()
        + SearchDay.objects.filter(period=Period.MONTH).count()
    )
    return {
        "days": settings.EXOSITE_INSIGHT_RETENTION_DAYS,
        "oldest_day": oldest_day,
        "month_rows": months,
    }
