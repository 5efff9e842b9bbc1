"""An item of any content kind as the read API shows it, worked out from what the kind
registry says of it (exosite.kernel.kinds): a new kind appears in the API with no code here.

What each kind has is read from its model: a `tags` manager (tagged kinds), authors
(`author_profiles`), a medical `reviewer` and review dates (`Reviewed`), an FAQ `topic`, the
Markdown source that its `html_field` is rendered from (`markdown_fields`).
"""

import base64
import binascii
import copy
import re
from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import OuterRef, Q, Subquery

from exosite.kernel import citations, kinds, languages, linking

# Site-relative links in rendered HTML, made absolute for readers on other sites.
RELATIVE_HREF = re.compile(r'(\s(?:href|src))="/(?!/)')


def api_kinds():
    """The kinds the API serves, by name: every registered content kind."""
    return {kind.name: kind for kind in kinds.all()}


def has_field(model, name):
    return any(field.name == name for field in model._meta.get_fields())


def listing(kind, language=languages.SOURCE):
    """Published items of `kind` in `language`, oldest change first (the order a client
    syncing by `updated_since` wants), with the rows a list shows joined (their tags:
    `with_tags`) and the slugs of their translations (`with_translations`)."""
    model = kind.model
    items = kind.queryset("live", language).order_by("updated_at", "pk")
    related = [name for name in ("reviewer", "topic") if has_field(model, name)]
    items = items.select_related(*related) if related else items
    return with_translations(kind, items, language)


def with_translations(kind, items, language):
    """`items`, each with the slug of its published translation in every other language
    (`translation_<code>`, None where there is none), read by the same query: a list stays
    two queries (items, tags) however long it is.

    An item's translations are its source and the source's other translations, or, for a
    source, the items translating it (exosite.models.Translatable: one level, never a
    chain)."""
    if not has_field(kind.model, "translation_of"):
        return items
    same_item = (
        Q(pk=OuterRef("translation_of_id"))
        | Q(translation_of_id=OuterRef("translation_of_id"))
        | Q(translation_of_id=OuterRef("pk"))
    )
    return items.annotate(
        **{
            f"translation_{code}": Subquery(
                kind.queryset("live", code).filter(same_item).order_by("pk").values("slug")[:1]
            )
            for code in languages.others(language)
        }
    )


def with_tags(kind, objects):
    """`objects`, each with `api_tags` [(name, slug)] read in one query. (taggit's own
    prefetch builds a query per item: a third of a list's time.)"""
    objects = list(objects)
    for obj in objects:
        obj.api_tags = []
    if not (objects and kind.tagged and has_field(kind.model, "tags")):
        return objects
    through = kind.model._meta.get_field("tags").remote_field.through
    by_pk = {obj.pk: obj for obj in objects}
    rows = (
        through.objects.filter(
            content_type=ContentType.objects.get_for_model(kind.model), object_id__in=by_pk
        )
        .order_by("tag__name")
        .values_list("object_id", "tag__name", "tag__slug")
    )
    for pk, name, slug in rows:
        by_pk[pk].api_tags.append((name, slug))
    return objects


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


def origin(request):
    """ "https://host" of the request, worked out once per request."""
    if not hasattr(request, "_api_origin"):
        request._api_origin = request.build_absolute_uri("/").rstrip("/")
    return request._api_origin


def absolute(request, path):
    return f"{origin(request)}{path}" if path else None


def person(request, profile):
    if profile is None:
        return None
    url = profile.get_absolute_url() if getattr(profile, "is_public", True) else None
    return {"name": profile.name, "url": absolute(request, url)}


def translations(request, obj):
    """{language: absolute address} of `obj`'s published versions, itself included, in
    the site's order of languages (from `with_translations`: no query)."""
    language = getattr(obj, "language", languages.SOURCE)
    found = {}
    for code in languages.codes():
        if code == language:
            found[code] = absolute(request, obj.get_absolute_url())
            continue
        slug = getattr(obj, f"translation_{code}", None)
        if slug:
            # The translation's address as its model makes it, from its language and slug.
            other = copy.copy(obj)
            other.language, other.slug = code, slug
            found[code] = absolute(request, other.get_absolute_url())
    return found


def api_url(request, kind_name, obj):
    """The item's address in the API: the language is a parameter (slugs are unique only
    within a language), left out for the source language as before."""
    path = f"/api/v1/{kind_name}/{obj.slug}/"
    language = getattr(obj, "language", languages.SOURCE)
    return absolute(request, path if language == languages.SOURCE else f"{path}?lang={language}")


def summary(request, kind, obj):
    item = {
        "kind": kind.name,
        "slug": obj.slug,
        "language": getattr(obj, "language", languages.SOURCE),
        "translations": translations(request, obj),
        "title": kind.title(obj),
        "url": absolute(request, obj.get_absolute_url()),
        "api_url": api_url(request, kind.name, obj),
        "description": str(getattr(obj, "description", "") or ""),
        "published_at": obj.published_at,
        "updated_at": obj.updated_at,
        "tags": [],
    }
    item["tags"] = [{"name": name, "slug": slug} for name, slug in obj.api_tags]
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
    item = summary(request, kind, obj)
    item |= {
        "html": RELATIVE_HREF.sub(rf'\1="{origin(request)}/', rendered.html),
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
        "authors": [person(request, p) for p in obj.author_profiles.all()]
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
