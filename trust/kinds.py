"""Policy pages as a content kind (exosite.kernel.kinds). People are not a kind: they are
not published items, but profiles shown while `is_public`."""

from django.urls import reverse
from django.utils.translation import ngettext

from exosite.kernel.kinds import ContentKind

from .models import Feedback, Page


class PageKind(ContentKind):
    name = "page"
    model = Page
    html_field = "body_html"
    detail_view = "trust.views.PageView"
    # Policy pages are reached from the footer, not from tag pages or search.
    tagged = False
    searchable = False
    sitemap_priority = 0.3

    def other_health_rows(self, user):
        if not user.has_perm("trust.view_feedback"):
            return []
        new = Feedback.objects.filter(status=Feedback.Status.NEW).count()
        return [
            (
                new,
                # Page votes and problem reports alike.
                ngettext("new feedback entry", "new feedback entries", new),
                f"{reverse('admin:trust_feedback_changelist')}?status__exact=new",
            )
        ]
