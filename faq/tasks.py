"""The FAQ desk's emails, sent by the worker in production (faq/notifications.py): to
staff when a visitor's question arrives, to the visitor when it is answered.

A failed send raises, so the worker tries again with a growing delay (`retry`), and the
admin's Tasks list shows the error once the attempts are used up; the question's own page
shows the last error of the answer email all along. Each task is keyed by the question's
id and reads it afresh: an email that was sent is not sent again, by a retry, a second
task or `send_notifications`.
"""

from datetime import timedelta

from django.tasks import task

from exosite.kernel.tasks import retry

from . import notifications
from .models import Submission


class EmailNotSent(Exception):
    pass


@task
@retry(attempts=5, delay=timedelta(minutes=1))
def email_staff_new_question(submission_id: int) -> bool:
    """Tell the managers a question arrived. True if this run sent the email."""
    submission = Submission.objects.filter(pk=submission_id).first()
    return submission is not None and notifications.notify_staff(submission)


@task
@retry(attempts=5, delay=timedelta(minutes=1))
def email_answer(submission_id: int) -> str:
    """Email the visitor the answer, if they asked for it and have not had it."""
    submission = Submission.objects.select_related("faq_question").filter(pk=submission_id).first()
    if submission is None:
        return notifications.Outcome.NOTHING
    outcome = notifications.notify_visitor(submission)
    if outcome == notifications.Outcome.FAILED:
        raise EmailNotSent(submission.notify_error)
    return outcome
