from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, User
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains

from exosite.models import Status
from faq.models import Question, Submission, Topic
from trust.models import Feedback

pytestmark = pytest.mark.django_db


@pytest.fixture
def submission(db):
    return Submission.objects.create(
        question="Can exosomes <b>cross</b> the blood-brain barrier?",
        name="Sam",
        email="sam@example.org",
        consent=True,
        client="c" * 32,
    )


def change(admin_client, submission, **fields):
    data = {
        "status": submission.status,
        "assignee": "",
        "staff_answer": submission.staff_answer,
        "public_question": submission.public_question,
        "topic": submission.topic_id or "",
        "tags": "",
        "faq_question": submission.faq_question_id or "",
    }
    data.update(fields)
    return admin_client.post(
        reverse("admin:faq_submission_change", args=[submission.pk]), data, follow=True
    )


def test_queue_lists_submissions_with_status_age_and_filters(admin_client, admin_user, submission):
    old = Submission.objects.create(question="An old question nobody answered?")
    Submission.objects.filter(pk=old.pk).update(received_at=timezone.now() - timedelta(days=9))
    mine = Submission.objects.create(question="Mine?", assignee=admin_user)
    url = reverse("admin:faq_submission_changelist")
    response = admin_client.get(url)
    assertContains(response, "Can exosomes &lt;b&gt;cross&lt;/b&gt;")
    assertContains(response, "waiting for the answer")
    stale = admin_client.get(url, {"queue": "stale"}).context["cl"].result_list
    assert list(stale) == [old]
    assert list(admin_client.get(url, {"queue": "mine"}).context["cl"].result_list) == [mine]
    assert len(admin_client.get(url, {"queue": "new"}).context["cl"].result_list) == 3


def test_admin_index_shows_the_number_of_new_questions(admin_client, submission):
    Submission.objects.create(question="Rejected?", status=Submission.Status.REJECTED)
    response = admin_client.get(reverse("admin:index"))
    assertContains(response, "<strong>1</strong> new question waiting", html=False)


def test_assign_to_me(admin_client, admin_user, submission):
    admin_client.post(
        reverse("admin:faq_submission_changelist"),
        {"action": "assign_to_me", "_selected_action": [submission.pk]},
    )
    submission.refresh_from_db()
    assert submission.assignee == admin_user


@pytest.mark.django_db(transaction=True)  # emails go out on commit
def test_answering_emails_the_consenting_visitor_once(admin_client, admin_user, submission):
    response = change(
        admin_client, submission, staff_answer="Mostly in **mice** so far.", status="answered"
    )
    assertContains(response, "The answer was emailed to sam@example.org")
    submission.refresh_from_db()
    assert submission.answered_by == admin_user
    assert submission.answered_at is not None
    assert submission.notified_at is not None
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["sam@example.org"]
    assert "Mostly in mice so far." in email.body  # the Markdown rendered, as plain text
    assert "<strong>mice</strong>" in email.alternatives[0][0]
    assert "&lt;b&gt;cross&lt;/b&gt;" in email.alternatives[0][0]
    change(admin_client, submission, staff_answer="Edited answer.")
    assert len(mail.outbox) == 1  # told once only
    page = admin_client.get(reverse("admin:faq_submission_change", args=[submission.pk]))
    assertContains(page, "sent ")


@pytest.mark.django_db(transaction=True)  # emails go out on commit
def test_no_email_without_consent(admin_client, submission):
    submission.consent = False
    submission.save()
    change(admin_client, submission, staff_answer="An answer.", status="answered")
    assert mail.outbox == []


@pytest.mark.django_db(transaction=True)  # emails go out on commit
def test_publish_as_faq_entry_creates_the_entry_in_review_with_tags(
    admin_client, admin_user, submission, client
):
    topic = Topic.objects.create(name="Safety", slug="safety")
    response = change(
        admin_client,
        submission,
        staff_answer="Only in animal studies so far.",
        public_question="Can exosomes cross the blood-brain barrier?",
        topic=topic.pk,
        tags="neurology, Safety",
        status="published",
    )
    assertContains(response, "Sent to the FAQ: the entry")
    submission.refresh_from_db()
    question = submission.faq_question
    assert question.status == Status.REVIEW
    assert not question.is_published
    assert question.question == "Can exosomes cross the blood-brain barrier?"
    assert question.topic == topic
    assert set(question.tags.names()) == {"neurology", "Safety"}
    assert submission.status == Submission.Status.PUBLISHED
    assert submission.answered_by == admin_user
    # Not on the site until a reviewer publishes it, and the visitor is told so.
    assert client.get(question.get_absolute_url()).status_code == 404
    assert question.get_absolute_url() not in mail.outbox[0].body
    assert "not online yet" in mail.outbox[0].body


def test_publish_action_needs_an_answer_and_topic(admin_client, submission):
    response = admin_client.post(
        reverse("admin:faq_submission_changelist"),
        {"action": "publish_as_faq", "_selected_action": [submission.pk]},
        follow=True,
    )
    assertContains(response, "Write an answer before sending it to the FAQ.")
    submission.refresh_from_db()
    assert submission.status == Submission.Status.NEW
    assert not Question.objects.exists()


def test_publish_action_links_to_an_existing_entry(admin_client, submission, make_question):
    existing = make_question(question="Old wording?")
    submission.staff_answer = "Updated answer."
    submission.faq_question = existing
    submission.save()
    admin_client.post(
        reverse("admin:faq_submission_changelist"),
        {"action": "publish_as_faq", "_selected_action": [submission.pk]},
    )
    existing.refresh_from_db()
    assert Question.objects.count() == 1
    assert existing.answer == "Updated answer."


@pytest.mark.parametrize(("action", "status"), [("reject", "rejected"), ("mark_spam", "spam")])
def test_reject_and_spam_close_the_question(admin_client, submission, action, status):
    admin_client.post(
        reverse("admin:faq_submission_changelist"),
        {"action": action, "_selected_action": [submission.pk]},
    )
    submission.refresh_from_db()
    assert submission.status == status
    assert submission.closed_at is not None
    assert mail.outbox == []


@pytest.mark.django_db(transaction=True)  # emails go out on commit
def test_a_failed_email_is_shown_and_retried(admin_client, submission, settings):
    settings.MAILERS = {"default": {"BACKEND": "tests.faq.broken_mail.EmailBackend"}}
    response = change(admin_client, submission, staff_answer="An answer.", status="answered")
    assertContains(response, "could not be emailed")
    submission.refresh_from_db()
    assert submission.notified_at is None
    assert "SMTP is down" in submission.notify_error
    assert submission.notify_attempts == 1
    changelist = admin_client.get(
        reverse("admin:faq_submission_changelist"), {"queue": "email-failed"}
    )
    assertContains(changelist, "FAILED, will retry")
    with pytest.raises(SystemExit):
        call_command("send_notifications")
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    call_command("send_notifications")
    submission.refresh_from_db()
    assert submission.notified_at is not None
    assert submission.notify_error == ""
    assert len(mail.outbox) == 1


def test_an_entry_has_the_one_feedback_widget_and_its_votes_reach_the_queue(client, make_question):
    question = make_question()
    page = client.get(question.get_absolute_url()).content.decode()
    assert page.count("helpful?") == 1  # one widget, not the entry's own beside the page's
    assert f'action="{reverse("trust:helpful")}"' in page
    assert f'name="page" value="{question.get_absolute_url()}"' in page
    vote = {"page": question.get_absolute_url(), "helpful": "yes"}
    thanks = client.post(reverse("trust:helpful"), vote, follow=True)
    assertContains(thanks, "Thank you for your feedback")
    client.post(reverse("trust:helpful"), {**vote, "helpful": "no"})  # replaces the first
    client.post(reverse("trust:helpful"), vote, REMOTE_ADDR="10.0.0.2")
    kinds = Feedback.objects.filter(page=question.get_absolute_url()).values_list("kind")
    assert sorted(kind for (kind,) in kinds) == ["helpful", "not-helpful"]
    staff = member("FAQ staff")
    client.force_login(staff)
    queue = client.get(reverse("admin:trust_feedback_changelist") + "?q=/faq/")
    assert queue.status_code == 200
    assert queue.context["cl"].result_count == 2
    assert not staff.has_perm("trust.change_feedback")  # Editors work the queue


def test_a_vote_sent_to_the_old_address_lands_on_the_entry(client, make_question):
    question = make_question()
    old = reverse("faq:vote", args=[question.slug])
    response = client.post(old, {"helpful": "yes"})
    assert response.status_code == 302
    assert response.url == question.get_absolute_url()
    assert client.get(old).status_code == 405
    draft = make_question(status=Status.DRAFT)
    assert client.post(reverse("faq:vote", args=[draft.slug])).status_code == 404
    assert not Feedback.objects.exists()


# Roles ---------------------------------------------------------------------------------


def member(group_name):
    user = User.objects.create_user(
        group_name.replace(" ", "").lower(), password="pw-long-enough", is_staff=True
    )
    user.groups.add(Group.objects.get(name=group_name))
    return user


def test_faq_staff_cannot_touch_articles_or_terms(client, make_article, submission):
    client.force_login(member("FAQ staff"))
    article = make_article()
    assert client.get(reverse("admin:articles_article_changelist")).status_code == 403
    assert (
        client.get(reverse("admin:articles_article_change", args=[article.pk])).status_code == 403
    )
    assert client.get(reverse("admin:glossary_term_add")).status_code == 403
    assert (
        client.get(reverse("admin:faq_submission_change", args=[submission.pk])).status_code == 200
    )
    assert client.get(reverse("admin:faq_question_add")).status_code == 200


def test_editors_cannot_see_visitor_questions(client, submission):
    client.force_login(member("Editors"))
    assert client.get(reverse("admin:faq_submission_changelist")).status_code == 403
    assert (
        client.get(reverse("admin:faq_submission_change", args=[submission.pk])).status_code == 403
    )
    assert client.get(reverse("admin:articles_article_add")).status_code == 200
    assert client.get(reverse("admin:glossary_term_add")).status_code == 200
    index = client.get(reverse("admin:index"))
    assert "new question" not in index.content.decode()


# Privacy -------------------------------------------------------------------------------


def test_erasing_contact_details_of_old_closed_questions(submission):
    from io import StringIO

    old_closed = Submission.objects.create(
        question="Old?", name="Ann", email="ann@example.org", consent=True, status="answered"
    )
    Submission.objects.filter(pk=old_closed.pk).update(
        closed_at=timezone.now() - timedelta(days=91)
    )
    recent_closed = Submission.objects.create(
        question="Recent?", email="r@example.org", status="spam"
    )
    out = StringIO()
    call_command("erase_contact_details", "--dry-run", stdout=out)
    assert "1 question(s)" in out.getvalue()
    assert Submission.objects.get(pk=old_closed.pk).email == "ann@example.org"
    call_command("erase_contact_details", stdout=out)
    old_closed.refresh_from_db()
    assert (old_closed.name, old_closed.email, old_closed.consent) == ("", "", False)
    assert old_closed.contact_erased_at is not None
    assert Submission.objects.get(pk=recent_closed.pk).email == "r@example.org"
    assert Submission.objects.get(pk=submission.pk).email == "sam@example.org"  # still open
    out = StringIO()
    call_command("erase_contact_details", stdout=out)  # idempotent
    assert "0 question(s)" in out.getvalue()
    call_command("erase_contact_details", "--days", "0", stdout=out)
    assert Submission.objects.get(pk=recent_closed.pk).email == ""


def test_a_staff_answer_over_the_markdown_limits_is_refused_next_to_the_field(
    admin_client, submission
):
    from exosite.kernel.markdown import MAX_MARKDOWN_CHARS

    too_long = "word " * (MAX_MARKDOWN_CHARS // 5 + 10)
    response = change(admin_client, submission, staff_answer=too_long, status="answered")
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "at most" in errors["staff_answer"][0]
    submission.refresh_from_db()
    assert submission.staff_answer == "" and submission.status == "new"
    # What was typed is still in the form.
    assert response.context["adminform"].form["staff_answer"].value() == too_long
    # A stored answer that breaks the limits (written by code, not the admin) still
    # shows its page, with the reason where the preview would be.
    Submission.objects.filter(pk=submission.pk).update(staff_answer=too_long)
    page = admin_client.get(reverse("admin:faq_submission_change", args=[submission.pk]))
    assert page.status_code == 200
    assertContains(page, "at most")
