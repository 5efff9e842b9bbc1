"""The content-health panel on the admin index: each content kind says what needs doing."""

from django import template
from django.contrib import admin
from django.urls import reverse
from django.utils import timezone

from exosite.kernel import kinds

register = template.Library()


def changelist(model, query):
    meta = model._meta
    return f"{reverse(f'admin:{meta.app_label}_{meta.model_name}_changelist')}?{query}"


@register.inclusion_tag("admin/content_health.html", takes_context=True)
def content_health(context):
    user = context["request"].user
    rows = []
    today = timezone.localdate()
    for kind in kinds.all():
        meta = kind.model._meta
        listed = admin.site.is_registered(kind.model)
        if listed and user.has_perm(f"{meta.app_label}.view_{meta.model_name}"):
            rows += [
                (count, label, changelist(kind.model, query))
                for count, label, query in kind.health_rows(kind.model.objects, today)
            ]
        rows += kind.other_health_rows(user)
    return {"rows": rows}
