"""Promoted results: items editors pin to a query (and its variants), shown first and
marked "Recommended" in search results and type-ahead, only while they are published.

A query and its variants match what a visitor typed after the same normalisation as the
counted searches (`counting.normalise` without the withholding: case, accents kept,
punctuation and spacing dropped): "Stem-cell clinics?" is "stem cell clinics". Search
shows the pins whose query is the whole search; type-ahead also those whose query starts
with what was typed (3 characters at least: "stem c" offers the pin of "stem cell
clinics").

Which promotions exist is read once per live content version and language (`table`):
the promotions table is content (a change to it raises the content version, like an edit),
so search pages and suggestions kept in any cache follow it at once. That read is the one
query promotions add to a search or a type-ahead answer, and only to the first one after
a change of content (tests/site/test_query_counts.py counts it).
"""

import unicodedata
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.utils.translation import gettext

from exosite.kernel import kinds, languages, memo
from exosite.models import SearchDocument
from exosite.ops import versions
from exosite.search.query import CONTROL, WORD

MIN_PREFIX = 3
MAX_PINS = 3


def normalise(raw):
    text = CONTROL.sub(" ", unicodedata.normalize("NFKC", raw or ""))
    return " ".join(WORD.findall(text.casefold()))[:200].strip()


def item(kind_name, object_id, published=False):
    """The item `kind_name`:`object_id` (published now, if asked), or None."""
    try:
        kind = kinds.get(kind_name)
    except LookupError:
        return None
    objects = kind.model.objects.published() if published else kind.model.objects.all()
    return objects.filter(pk=object_id).first()


# (language, live content version) -> that language's table: only the latest is useful.
_tables = memo.Memo("promoted results", size=8)


def table(language):
    """{normalised query: [(position, kind, object_id), ...]} of the active promotions,
    read once per live content version and language (the promotions table is content: a
    change to it raises the version). Read afresh inside a transaction, whose version
    may yet be rolled back (as exosite.kernel.parts.for_content does)."""
    key = None
    if not connection.in_atomic_block and versions.supported():
        key = (language, versions.live())
        found = _tables.get(key)
        if found is not None:
            return found
    from .models import Promotion

    found = {}
    rows = Promotion.objects.filter(active=True, language=language).order_by("position", "pk")
    for promotion in rows:
        for query in promotion.all_queries():
            pins = found.setdefault(query, [])
            pin = (promotion.position, promotion.kind, promotion.object_id)
            if all(p[1:] != pin[1:] for p in pins):
                pins.append(pin)
    return found if key is None else _tables.set(key, found)


@dataclass
class Pinned:
    """A pinned item as search results and type-ahead show it (the fields of a search
    `Result`, with `recommended`)."""

    kind: str
    kind_label: str
    url: str
    title: str
    snippet: str
    also: str = ""
    recommended: bool = True
    object_id: int = 0


def pinned(key, kind=None, prefix=False, language=None):
    """The published items pinned to `key` (a normalised query), best first: those pinned
    to the query itself, then (if `prefix`) to queries starting with it."""
    language = language or languages.current()
    if not key:
        return []
    promotions = table(language)
    wanted = list(promotions.get(key, ()))
    if prefix and len(key) >= MIN_PREFIX:
        for other, pins in sorted(promotions.items()):
            if other != key and other.startswith(key):
                wanted.extend(pins)
    wanted.sort(key=lambda pin: pin[0])
    order = []
    for _, pin_kind, object_id in wanted:
        if (kind is None or pin_kind == kind) and (pin_kind, object_id) not in order:
            order.append((pin_kind, object_id))
    if not order:
        return []
    return _shown(order[:MAX_PINS])


def _shown(order):
    """`order` [(kind, id)] as Pinned, leaving out what is not published now."""
    by_kind = {}
    for kind_name, object_id in order:
        by_kind.setdefault(kind_name, []).append(object_id)
    found = {}
    for kind_name, ids in by_kind.items():
        try:
            kind = kinds.get(kind_name)
        except LookupError:
            continue
        objects = kind.model.objects.published().filter(pk__in=ids)
        content_type = ContentType.objects.get_for_model(kind.model)
        summaries = dict(
            SearchDocument.objects.filter(content_type=content_type, object_id__in=ids).values_list(
                "object_id", "summary"
            )
        )
        for obj in objects:
            found[kind_name, obj.pk] = Pinned(
                kind=kind_name,
                kind_label=kind.singular_label,
                url=obj.get_absolute_url(),
                # Plain text: templates escape it (a search Result's are safe HTML).
                title=kind.title(obj),
                snippet=summaries.get(obj.pk, ""),
                object_id=obj.pk,
            )
    return [found[pin] for pin in order if pin in found]


def for_results(query, kind, tag_slug, found):
    """Search's `found` with the pins of `query` first on its first page (not when
    narrowed by tag; only the pins of the kind asked for), and never twice."""
    key = normalise(query.raw)
    pins = pinned(key, kind=kind) if key and not tag_slug else []
    if not pins:
        return found
    urls = {pin.url for pin in pins}
    results = [result for result in found["results"] if result.url not in urls]
    if found.get("number", 1) == 1:
        results = [*pins, *results]
    found = {**found, "results": results}
    if not found.get("total"):
        found["total"] = len(pins)
        found.setdefault("count", len(pins))
        found["count"] = max(found["count"], len(pins))
        found.setdefault("number", 1)
    return found


def for_suggestions(query, items):
    """Type-ahead's `items` with what is pinned to the typed text (or a query it starts)
    first, marked as recommended."""
    key = normalise(" ".join(" ".join(term.words) for term in query.terms))
    pins = pinned(key, prefix=True)
    if not pins:
        return items
    urls = {pin.url for pin in pins}
    label = gettext("Recommended")
    first = [
        {
            "title": pin.title,
            "url": pin.url,
            "kind": pin.kind,
            # Type-ahead shows the label beside the title: read out with it, and seen.
            "kind_label": f"{label} · {pin.kind_label}",
            "recommended": True,
        }
        for pin in pins
    ]
    return [*first, *(item for item in items if item["url"] not in urls)][: max(len(items), 8)]
