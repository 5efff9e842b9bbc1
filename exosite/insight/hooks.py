"""The few calls the search code makes into insight (exosite/search/views.py): one line
each there, everything else here."""

from exosite.kernel import languages

from . import promotions
from .counting import normalise
from .middleware import HEADER, search_mark


def pin_results(query, kind, tag_slug, found):
    """`find()`'s results with the promoted ones first (promotions.for_results)."""
    return promotions.for_results(query, kind, tag_slug, found)


def pin_suggestions(query, items):
    """Type-ahead's suggestions with the promoted ones first (promotions.for_suggestions)."""
    return promotions.for_suggestions(query, items)


def mark_search(request, response, context):
    """Name the search a results page shows, for counting (middleware.CountingMiddleware):
    only its first page without filters, so paging and narrowing are not new searches."""
    params = request.GET
    if params.get("page", "1") != "1" or params.get("kind") or params.get("tag"):
        return
    query = normalise(context.get("q", ""))
    if query:
        response[HEADER] = search_mark(query, languages.current(), context.get("total") or 0)
