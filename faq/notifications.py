"""Emails about visitor questions: to staff when one arrives, to the visitor when it is
answered. Plain text with an HTML alternative, through Django's configured mailer.

A failure to send is recorded on the submission (shown in the admin) and retried by the
`send_notifications` command or the admin's "Email the visitor again" action.
"""

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, mail_managers
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from exosite.kernel.markdown import render_markdown

from .models import Submission

logger = logging.getLogger(__name__)


def absolute(path):
    return f"{settings.EXOSITE_BASE_URL}{path}"


def notify_staff(submission):
    """Tell the managers (DJANGO_MANAGERS) that a question arrived. Never raises."""
    if not settings.MANAGERS:
        return
    context = {
        "submission": submission,
        "admin_url": absolute(reverse("admin:faq_submission_change", args=[submission.pk])),
    }
    try:
        mail_managers(
            "New visitor question",
            render_to_string("faq/email/staff_new.txt", context),
            html_message=render_to_string("faq/email/staff_new.html", context),
        )
    except Exception:  # the question is saved; the queue shows it even if mail is down
        logger.exception("Could not email managers about submission %s", submission.pk)


def notify_visitor(submission):
    """Email the visitor the answer once. Returns True if sent; records any failure."""
    if not submission.needs_notification:
        return False
    question = submission.faq_question
    context = {
        "submission": submission,
        "answer_html": render_markdown(submission.staff_answer),
        "entry_url": absolute(question.get_absolute_url())
        if question and question.is_published
        else "",
        "site_url": absolute("/"),
        "retention_days": settings.EXOSITE_CONTACT_RETENTION_DAYS,
    }
    message = EmailMultiAlternatives(
        subject="Your question to Exosite has been answered",
        body=render_to_string("faq/email/visitor_answer.txt", context),
        to=[submission.email],
    )
    message.attach_alternative(
        render_to_string("faq/email/visitor_answer.html", context), "text/html"
    )
    Submission.objects.filter(pk=submission.pk).update(notify_attempts=F("notify_attempts") + 1)
    try:
        message.send()
    except Exception as error:
        logger.warning("Could not email the answer to submission %s: %s", submission.pk, error)
        submission.notify_error = f"{timezone.now():%Y-%m-%d %H:%M} {type(error).__name__}: {error}"
        Submission.objects.filter(pk=submission.pk).update(notify_error=submission.notify_error)
        return False
    submission.notified_at = timezone.now()
    submission.notify_error = ""
    Submission.objects.filter(pk=submission.pk).update(
        notified_at=submission.notified_at, notify_error=""
    )
    return True


def send_pending():
    """Retry every answered question whose visitor has not been told yet: (sent, failed)."""
    sent = failed = 0
    pending = Submission.objects.filter(
        consent=True,
        notified_at__isnull=True,
        status__in=(Submission.Status.ANSWERED, Submission.Status.PUBLISHED),
    ).exclude(email="")
    for submission in pending.select_related("faq_question"):
        if notify_visitor(submission):
            sent += 1
        else:
            failed += 1
    return sent, failed
