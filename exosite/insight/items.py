"""Which item a page address shows: for type-ahead picks, feedback (kept by page address)
and the promoted results' "item" field."""

from urllib.parse import urlsplit

from django.urls import Resolver404, resolve

from exosite.kernel import kinds, languages


def language_of(path):
    for code in languages.others(languages.SOURCE):
        if path.startswith(f"/{code}/"):
            return code
    return languages.SOURCE


def kind_and_slug(path):
    """(kind, slug, language) of the detail page at `path`, or None."""
    language = language_of(path)
    try:
        with languages.active(language):
            match = resolve(path)
    except Resolver404:
        return None
    view = getattr(match.func, "view_class", None)
    slug = match.kwargs.get("slug")
    if view is None or not slug:
        return None
    name = f"{view.__module__}.{view.__qualname__}"
    for kind in kinds.all():
        if kind.detail_view == name:
            return kind, slug, language
    return None


def objects(kind, language, published):
    found = kind.model.objects.published() if published else kind.model.objects.all()
    if language and any(field.name == "language" for field in kind.model._meta.fields):
        found = found.filter(language=language)
    return found


def at_path(path, published=True):
    """(kind name, id, language) of the item whose page is at `path`, or None."""
    found = kind_and_slug(path)
    if found is None:
        return None
    kind, slug, language = found
    pk = objects(kind, language, published).filter(slug=slug).values_list("pk", flat=True)
    pk = pk.first()
    return None if pk is None else (kind.name, pk, language)


def named(text, language=None):
    """(kind name, id, language) of the item `text` names: its address (a path or a full
    URL of this site) or "kind:slug" as in cross-links (glossary:exosome); any status."""
    text = (text or "").strip()
    if not text:
        return None
    if "/" in text:
        return at_path(urlsplit(text).path or "/", published=False)
    kind_name, _, slug = text.partition(":")
    try:
        kind = kinds.get(kind_name.strip())
    except LookupError:
        return None
    obj = objects(kind, language, False).filter(slug=slug.strip()).first()
    if obj is None:
        return None
    return kind.name, obj.pk, getattr(obj, "language", "") or languages.SOURCE
