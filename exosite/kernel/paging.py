"""Page numbers from addresses, and pages that can be kept.

Every paged public view reads its page number the same way: digits only (at most six, so
that nothing else reaches a cache key), "1" when absent, anything else a 404; a page past
the end is a 404 too, never another page under an address that names this one.
"""

from django.core.paginator import InvalidPage, Page, Paginator
from django.http import Http404


def number(value):
    """The page number `value` (a query parameter, or None) asks for; 404 if it is not
    one."""
    value = "1" if value is None else value
    if not (value.isdigit() and len(value) <= 6):
        raise Http404("No such page.")
    return int(value)


def page(items, per_page, wanted):
    """Page `wanted` (a number) of `items`; 404 for a page that does not exist (page 1 of
    an empty list does)."""
    try:
        return Paginator(items, per_page).page(wanted)
    except InvalidPage:
        raise Http404("No such page.") from None


def held(rows, wanted, count, per_page):
    """A Page of `rows` that knows the list's size without the list (a kept page: the
    rows and the count, not the query; a search's ranked results)."""
    return Page(list(rows), wanted, Paginator(Counted(count), per_page))


class Counted:
    """What Paginator needs of a result set it never slices: its size."""

    def __init__(self, count):
        self._count = count

    def count(self):
        return self._count
