"""Pages of a list whose total comes with the rows: one query for a page and its count.

Django's Paginator counts with a query of its own before it slices; `page_of` reads the
page's rows with the total on each (`COUNT(*) OVER ()`), so a page of a queryset costs one
query. `Counted` is what Paginator needs of a result set it never slices: its size.
"""

from django.core.paginator import InvalidPage, Page, Paginator
from django.db.models import Count, Window
from django.http import Http404

TOTAL = "listed_total"


class Counted:
    def __init__(self, count):
        self._count = count

    def count(self):
        return self._count


def page_of(items, wanted, per_page):
    """Page `wanted` (a string from the address) of the queryset `items`, in one query;
    404 for anything but a page that exists (page 1 of an empty list exists)."""
    if not (wanted.isdigit() and len(wanted) <= 6):
        raise Http404("No such page.")
    number = int(wanted)
    start = (max(number, 1) - 1) * per_page
    rows = list(items.annotate(**{TOTAL: Window(Count("pk"))})[start : start + per_page])
    paginator = Paginator(Counted(getattr(rows[0], TOTAL) if rows else 0), per_page)
    try:
        number = paginator.validate_number(number)
    except InvalidPage:
        raise Http404("No such page.") from None
    if not rows and number > 1:
        raise Http404("No such page.")
    return Page(rows, number, paginator)
