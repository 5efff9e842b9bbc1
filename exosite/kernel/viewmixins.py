from django.http import Http404, HttpResponsePermanentRedirect

from . import mentions
from .parts import for_content


class RedirectOldSlugMixin:
    """A detail view whose item moved to a new slug answers the old one with a 301."""

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            current = mentions.redirect_for(self.get_queryset().model, kwargs.get("slug", ""))
            if current is None:
                raise
            return HttpResponsePermanentRedirect(current.get_absolute_url())


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
                lambda: self.parts(obj),
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
        # Named by the view, not its queryset: building that is what this saves.
        return for_content(
            f"object:{self.view_name()}:{self.kwargs['slug']}",
            lambda: super(KeptObjectMixin, self).get_object(),
        )
