from django import template
from django.urls import reverse

from faq.models import Submission

register = template.Library()


@register.inclusion_tag("admin/faq_queue_notice.html", takes_context=True)
def visitor_question_notice(context):
    request = context["request"]
    if not request.user.has_perm("faq.view_submission"):
        return {"count": None}
    return {
        "count": Submission.objects.open().count(),
        "url": f"{reverse('admin:faq_submission_changelist')}?queue=new",
    }
