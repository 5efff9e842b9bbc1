from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import render

from . import languages, mentions
from .parts import for_content


class RedirectOldSlugMixin:
    """A detail view whose item moved to a new slug answers the old one with a 301.

    An address in one language naming an item of another (/es/articles/<English slug>/,
    where the language switcher sends a visitor from a page with no translation) goes to
    the translation when there is one (301), and otherwise says so in the visitor's
    language, with a link to the page in the language it exists in (404): the page never
    silently shows another language."""

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            model = self.get_queryset().model
            slug = kwargs.get("slug", "")
            current = mentions.redirect_for(model, slug)
            if current is not None:
                return HttpResponsePermanentRedirect(current.get_absolute_url())
            elsewhere = elsewhere_for(model, slug)
            if elsewhere is None:
                raise
            translation = elsewhere.published_translations().get(languages.current())
            if translation is not None:
                return HttpResponsePermanentRedirect(translation.get_absolute_url())
            return not_in_language(request, elsewhere)


def elsewhere_for(model, slug):
    """A published item of `model` at `slug` in another language than the active one."""
    if not hasattr(model, "language"):
        return None
    return (
        model.objects.published()
        .filter(slug=slug)
        .exclude(language=languages.current())
        .order_by("language")
        .first()
    )


def not_in_language(request, item):
    """The page saying `item` is not available in the visitor's language yet, with a link
    to it in its own (404, not indexed)."""
    return render(
        request,
        "site/not_in_language.html",
        {
            "item": item,
            "visitor_language": languages.in_text(languages.current()),
            "item_language": languages.in_text(item.language),
            "item_language_code": item.language,
            "translations": {item.language: item.get_absolute_url()},
        },
        status=404,
    )


class KeptObjectMixin:
    """A public detail view whose item, once found by its slug, is kept until what visitors
    can see changes (exosite.kernel.parts.for_content): a view then costs no query for it
    (building the query was a third of an uncached article's time). An address that finds
    nothing is not kept (nothing to fill the cache with), and previews look up afresh.

    What the view renders of the item alone (its `parts(obj)`: text, references, related
    content, JSON-LD) is kept the same way, and in the process unpickled, as the page's
    context `parts`; a preview (saved or not) renders them afresh."""

    def get_context_data(self, **kwargs):
        obj = self.object
        if "preview" in kwargs or obj.pk is None:
            parts = self.parts(obj)
        else:
            # Absolute addresses (JSON-LD, og:image) depend on the host asked.
            origin = f"{self.request.scheme}://{self.request.get_host()}"
            parts = for_content(
                f"page:{self.view_name()}:{obj.pk}:{origin}",
                lambda: {**self.parts(obj), "translations": translation_urls(obj)},
                local=True,
            )
        return super().get_context_data(parts=parts, **kwargs)

    def parts(self, obj):
        raise NotImplementedError

    def view_name(self):
        return f"{type(self).__module__}.{type(self).__qualname__}"

    def get_object(self, queryset=None):
        if queryset is not None or "slug" not in self.kwargs:
            return super().get_object(queryset)

        def find():
            items = self.get_queryset()
            # Slugs are unique within a language: the address's language finds the item.
            if hasattr(items, "in_language"):
                items = items.in_language()
            return super(KeptObjectMixin, self).get_object(items)

        # Named by the view, not its queryset: building that is what this saves (kept per
        # language, like every part: exosite.kernel.parts).
        return for_content(f"object:{self.view_name()}:{self.kwargs['slug']}", find)


def translation_urls(obj):
    """{language: address} of `obj`'s published versions in every language (the
    language switcher and the page's hreflang links)."""
    if not hasattr(obj, "published_translations"):
        return {}
    return {code: item.get_absolute_url() for code, item in obj.published_translations().items()}
