from django.http import Http404, HttpResponsePermanentRedirect

from . import mentions


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
