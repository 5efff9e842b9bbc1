"""The FAQ desk's emails as tasks (faq/tasks.py) with the database backend, as production
runs them: sent by the worker, retried with backoff when the mail server fails, and sent
once whatever runs twice."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.tasks import TaskResultStatus
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from pytest_django.asserts import assertContains

from faq.models import Submission
from faq.notifications import Outcome
from faq.tasks import email_answer, email_staff_new_question

from .test_workflow import change

pytestmark = pytest.mark.django_db

BROKEN = {"default": {"BACKEND": "tests.faq.broken_mail.EmailBackend"}}
WORKING = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}


@pytest.fixture
def submission(db):
    return Submission.objects.create(
        question="Do exosomes keep in the freezer?",
        name="Sam",
        email="sam@example.org",
        consent=True,
        client="c" * 32,
    )


def time_passes():
    DBTaskResult.objects.filter(status=TaskResultStatus.READY).update(
        run_after=timezone.now() - timedelta(seconds=1)
    )


def test_staff_are_emailed_by_the_worker_once(client, ask_data, settings, task_worker):
    settings.MANAGERS = ["staff@example.org"]
    response = client.post("/faq/ask/", ask_data())
    assert response.status_code == 302
    submission = Submission.objects.get()
    assert mail.outbox == []  # the visitor did not wait for the mail server
    [row] = task_worker()
    assert row.task_path == "faq.tasks.email_staff_new_question"
    assert row.status == TaskResultStatus.SUCCESSFUL
    assert [message.to for message in mail.outbox] == [["staff@example.org"]]
    submission.refresh_from_db()
    assert submission.staff_notified_at is not None
    # The task again (a retry after success, a second enqueue): nothing more is sent.
    assert email_staff_new_question.call(submission.pk) is False
    assert len(mail.outbox) == 1


def test_a_failed_staff_email_is_retried_with_backoff(client, ask_data, settings, task_worker):
    settings.MANAGERS = ["staff@example.org"]
    settings.MAILERS = BROKEN
    client.post("/faq/ask/", ask_data())
    [row] = task_worker()
    assert row.status == TaskResultStatus.READY
    assert row.run_after > timezone.now() + timedelta(seconds=50)  # a minute later
    assert "SMTP is down" in row.traceback
    assert Submission.objects.get().staff_notified_at is None
    settings.MAILERS = WORKING
    time_passes()
    [row] = task_worker()
    assert row.status == TaskResultStatus.SUCCESSFUL
    assert len(mail.outbox) == 1


def test_the_answer_is_emailed_by_the_worker_once(admin_client, submission, task_worker):
    response = change(admin_client, submission, staff_answer="Yes, at -80 °C.", status="answered")
    assertContains(response, "The answer will be emailed to sam@example.org in a moment")
    assert mail.outbox == []
    submission.refresh_from_db()
    assert submission.notified_at is None
    changelist = admin_client.get(reverse("admin:faq_submission_changelist"))
    assertContains(changelist, "pending")

    [row] = task_worker()
    assert (row.task_path, row.status) == ("faq.tasks.email_answer", TaskResultStatus.SUCCESSFUL)
    assert row.return_value == Outcome.SENT
    assert [message.to for message in mail.outbox] == [["sam@example.org"]]
    assert "at -80 °C" in mail.outbox[0].body
    submission.refresh_from_db()
    assert submission.notified_at is not None
    assert submission.notify_attempts == 1

    # Run again, by the task, a second task, the admin's action or cron: sent once.
    assert email_answer.call(submission.pk) == Outcome.NOTHING
    email_answer.enqueue(submission.pk)
    task_worker()
    admin_client.post(
        reverse("admin:faq_submission_changelist"),
        {"action": "email_again", "_selected_action": [submission.pk]},
    )
    call_command("send_notifications")
    assert len(mail.outbox) == 1


def test_a_failed_answer_email_is_retried_by_the_worker_and_shown_meanwhile(
    admin_client, submission, settings, task_worker
):
    settings.MAILERS = BROKEN
    change(admin_client, submission, staff_answer="Yes.", status="answered")
    [row] = task_worker()
    assert row.status == TaskResultStatus.READY  # to be tried again
    assert "EmailNotSent" in row.traceback and "SMTP is down" in row.traceback
    submission.refresh_from_db()
    assert "SMTP is down" in submission.notify_error
    assert submission.notify_sending_since is None  # the claim is let go for the retry
    changelist = admin_client.get(
        reverse("admin:faq_submission_changelist"), {"queue": "email-failed"}
    )
    assertContains(changelist, "FAILED, will retry")

    settings.MAILERS = WORKING
    time_passes()
    [row] = task_worker()
    assert row.status == TaskResultStatus.SUCCESSFUL
    assert len(row.worker_ids) == 2
    submission.refresh_from_db()
    assert submission.notified_at is not None
    assert submission.notify_error == ""
    assert submission.notify_attempts == 2
    assert len(mail.outbox) == 1


def test_an_answer_email_being_sent_elsewhere_is_not_sent_again(submission, task_worker):
    submission.staff_answer = "Yes."
    submission.status = Submission.Status.ANSWERED
    submission.save()
    # Another worker claimed it a moment ago and is talking to the mail server.
    Submission.objects.filter(pk=submission.pk).update(notify_sending_since=timezone.now())
    assert email_answer.call(submission.pk) == Outcome.NOTHING
    assert mail.outbox == []
    # A claim older than the lease is a sender that died: the next attempt sends.
    Submission.objects.filter(pk=submission.pk).update(
        notify_sending_since=timezone.now() - timedelta(hours=1)
    )
    assert email_answer.call(submission.pk) == Outcome.SENT
    assert len(mail.outbox) == 1


def test_nothing_is_queued_for_a_change_that_is_rolled_back(submission, task_worker):
    from django.db import transaction

    from faq import workflow

    submission.staff_answer = "Yes."
    submission.status = Submission.Status.ANSWERED
    submission.save()
    with pytest.raises(RuntimeError), transaction.atomic():
        workflow.tell_visitor_after_commit(submission)
        assert DBTaskResult.objects.count() == 1  # written with the change...
        raise RuntimeError("the save fails")
    assert DBTaskResult.objects.count() == 0  # ...and gone with it
    task_worker()
    assert mail.outbox == []
