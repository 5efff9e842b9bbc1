"""The content-health panel on the admin index."""

from datetime import timedelta

from django import template
from django.urls import reverse
from django.utils import timezone

from exosite import linking

register = template.Library()


def changelist(model, query):
    meta = model._meta
    return f"{reverse(f'admin:{meta.app_label}_{meta.model_name}_changelist')}?{query}"


@register.inclusion_tag("admin/content_health.html", takes_context=True)
def content_health(context):
    user = context["request"].user
    rows = []
    today = timezone.localdate()
    for kind in ("article", "glossary", "faq"):
        model = linking.source_model(kind)
        meta = model._meta
        if not user.has_perm(f"{meta.app_label}.view_{meta.model_name}"):
            continue
        plural = meta.verbose_name_plural
        objects = model.objects
        counts = [
            (
                objects.filter(status="review").count(),
                f"{plural} awaiting review",
                "status__exact=review",
            ),
            (
                objects.filter(broken_links__gt=0).count(),
                f"{plural} with broken cross-links",
                "problems=links",
            ),
        ]
        if kind == "article":
            counts += [
                (
                    objects.filter(next_review_at__lt=today).count(),
                    "articles overdue for medical review",
                    "review=overdue",
                ),
                (
                    objects.filter(
                        next_review_at__gte=today, next_review_at__lte=today + timedelta(days=30)
                    ).count(),
                    "articles due for medical review within 30 days",
                    "review=soon",
                ),
                (
                    objects.filter(citation_problems__gt=0).count(),
                    "articles with citation problems",
                    "problems=citations",
                ),
            ]
        rows += [(count, label, changelist(model, query)) for count, label, query in counts]
    feedback = linking.source_model("page")._meta.apps.get_model("trust", "Feedback")
    if user.has_perm("trust.view_feedback"):
        rows.append(
            (
                feedback.objects.filter(status="new").count(),
                "new page feedback and problem reports",
                f"{reverse('admin:trust_feedback_changelist')}?status__exact=new",
            )
        )
    return {"rows": rows}
