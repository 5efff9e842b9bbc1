"""An item of any content kind as the read API shows it, worked out from what the kind
registry says of it (exosite.kernel.kinds): a new kind appears in the API with no code here.

What each kind has is read from its model: a `tags` manager (tagged kinds), authors
(`author_profiles`), a medical `reviewer` and review dates (`Reviewed`), an FAQ `topic`, the
Markdown source that its `html_field` is rendered from (`markdown_fields`).
"""

import base64
import binascii
import re
from datetime import datetime

from django.db.models import Prefetch, Q

from exosite.kernel import citations, kinds, linking

# Site-relative links in rendered HTML, made absolute for readers on other sites.
RELATIVE_HREF = re.compile(r'(\s(?:href|src))="/(?!/)')


def api_kinds():
    """The kinds the API serves, by name: every registered content kind."""
    return {kind.name: kind for kind in kinds.all()}


def has_field(model, name):
    return any(field.name == name for field in model._meta.get_fields())


def listing(kind):
    """Published items of `kind` with what a list shows joined in a fixed number of
    queries, oldest change first (the order a client syncing by `updated_since` wants)."""
    model = kind.model
    items = kind.queryset("live").order_by("updated_at", "pk")
    related = [name for name in ("reviewer", "topic") if has_field(model, name)]
    if related:
        items = items.select_related(*related)
    if kind.tagged and has_field(model, "tags"):
        items = items.prefetch_related("tags")
    if has_field(model, "author_profiles"):
        items = items.prefetch_related(
            Prefetch("author_profiles", queryset=author_model(model).objects.order_by())
        )
    return items


def author_model(model):
    return model._meta.get_field("author_profiles").related_model


# -- cursors ---------------------------------------------------------------------------


class BadCursor(ValueError):
    pass


def cursor_for(obj):
    raw = f"{obj.updated_at.isoformat()}|{obj.pk}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def after_cursor(items, cursor):
    """`items` after the one `cursor` names (its change time and primary key)."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        when, _, pk = raw.partition("|")
        when, pk = datetime.fromisoformat(when), int(pk)
    except (ValueError, binascii.Error, UnicodeDecodeError) as error:
        raise BadCursor("Not a cursor this API gave: use the `next` link of a list.") from error
    if when.tzinfo is None:
        raise BadCursor("Not a cursor this API gave: use the `next` link of a list.")
    return items.filter(Q(updated_at__gt=when) | Q(updated_at=when, pk__gt=pk))


# -- what an item says -------------------------------------------------------------------


def absolute(request, path):
    return request.build_absolute_uri(path) if path else None


def person(request, profile):
    if profile is None:
        return None
    url = profile.get_absolute_url() if getattr(profile, "is_public", True) else None
    return {"name": profile.name, "url": absolute(request, url)}


def summary(request, kind, obj):
    item = {
        "kind": kind.name,
        "slug": obj.slug,
        "title": kind.title(obj),
        "url": absolute(request, obj.get_absolute_url()),
        "api_url": absolute(request, f"/api/v1/{kind.name}/{obj.slug}/"),
        "description": str(getattr(obj, "description", "") or ""),
        "published_at": obj.published_at,
        "updated_at": obj.updated_at,
        "tags": [],
    }
    if kind.tagged and hasattr(obj, "tags"):
        item["tags"] = [{"name": tag.name, "slug": tag.slug} for tag in obj.tags.all()]
    if hasattr(obj, "topic"):
        topic = obj.topic
        item["topic"] = {"name": topic.name, "slug": topic.slug} if topic else None
    return item


def markdown_source(kind, obj):
    for source, target in getattr(obj, "markdown_fields", {}).items():
        if target == kind.html_field:
            return getattr(obj, source)
    return ""


def detail(request, kind, obj):
    rendered = linking.rendered(obj)
    origin = request.build_absolute_uri("/").rstrip("/")
    item = summary(request, kind, obj)
    item |= {
        "html": RELATIVE_HREF.sub(rf'\1="{origin}/', rendered.html),
        "markdown": markdown_source(kind, obj),
        "references": [
            {
                "number": entry.number,
                "citation": entry.reference.citation,
                "doi": entry.reference.doi or None,
                "pmid": entry.reference.pmid or None,
                "url": entry.reference.link or None,
            }
            for entry in citations.listed(rendered)
        ],
        "authors": [person(request, p) for p in getattr(obj, "author_profiles", None).all()]
        if hasattr(obj, "author_profiles")
        else [],
    }
    # A review is shown for the very version it checked (as on the page), else none.
    current = bool(getattr(obj, "review_current", False))
    item |= {
        "review_current": current,
        "reviewer": person(request, obj.reviewer) if current else None,
        "reviewed_at": obj.reviewed_at if current else None,
        "next_review_at": obj.next_review_at if current else None,
    }
    return item
