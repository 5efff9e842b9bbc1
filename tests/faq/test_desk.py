"""The FAQ desk: a visitor's question worked from its own admin page (faq/admin.py), its
live answer preview, the answer email and erasing the visitor's contact details."""

import re

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.core import mail
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from exosite.models import Status
from faq.models import Question, Submission, Topic
from faq.notifications import html_to_text
from library.models import Reference

pytestmark = pytest.mark.django_db

BASE = "https://exosite.example"


@pytest.fixture(autouse=True)
def site_address(settings):
    settings.EXOSITE_BASE_URL = BASE


@pytest.fixture
def submission(db):
    return Submission.objects.create(
        question="Are exosomes used against melanoma?",
        name="Sam",
        email="sam@example.org",
        consent=True,
        client="c" * 32,
    )


@pytest.fixture
def melanoma(make_term):
    return make_term(name="Melanoma", slug="melanoma")


@pytest.fixture
def welsh(db):
    return Reference.objects.create(
        key="welsh2024",
        authors="Welsh JA, Goberdhan DCI, O'Driscoll L, et al.",
        title="Minimal information for studies of extracellular vesicles (MISEV2023)",
        journal="J Extracell Vesicles",
        year=2024,
        volume="13",
        issue="2",
        pages="e12404",
        doi="10.1002/jev2.12404",
    )


def change_url(submission):
    return reverse("admin:faq_submission_change", args=[submission.pk])


def press(client, submission, button, **fields):
    """Press a desk button on the change form, with the form as shown plus `fields`."""
    data = {
        "status": submission.status,
        "assignee": submission.assignee_id or "",
        "staff_answer": submission.staff_answer,
        "public_question": submission.public_question,
        "topic": submission.topic_id or "",
        "position_in_topic": "",
        "tags": "",
        "faq_question": submission.faq_question_id or "",
    }
    data.update(fields)
    if button:
        data["_desk"] = button
    return client.post(change_url(submission), data, follow=True)


def form_of(response):
    return response.context["adminform"].form


def desk_button(value, label):
    return f'<button type="submit" name="_desk" value="{value}" class="button">{label}</button>'


# The page -------------------------------------------------------------------------------


def test_a_new_question_offers_every_step_but_erasing(
    admin_client, submission, django_assert_max_num_queries
):
    with django_assert_max_num_queries(30):
        page = admin_client.get(change_url(submission))
    for value, label in (
        ("assign", "Assign to me"),
        ("answer", "Mark answered (emails the visitor)"),
        ("publish", "Publish as FAQ entry (goes to review)"),
        ("reject", "Reject"),
        ("spam", "Mark as spam"),
    ):
        assertContains(page, desk_button(value, label), html=True)
    assertNotContains(page, 'name="_desk" value="erase"')
    # The desk comes after Save: Enter in a field saves and takes no step.
    html = page.content.decode()
    assert html.index('name="_save"') < html.index('name="_desk"')


def test_a_closed_question_offers_erasing_and_no_closing(admin_client, submission):
    submission.status = Submission.Status.REJECTED
    submission.save()
    page = admin_client.get(change_url(submission))
    assertContains(page, desk_button("erase", "Erase contact details now"), html=True)
    assertNotContains(page, 'name="_desk" value="reject"')
    assertNotContains(page, 'name="_desk" value="spam"')


def test_assign_to_me_saves_what_was_typed_and_stays_on_the_page(
    admin_client, admin_user, submission
):
    response = press(admin_client, submission, "assign", staff_answer="A first draft.")
    assert response.redirect_chain[-1][0] == change_url(submission)
    assertContains(response, "Assigned to you.")
    submission.refresh_from_db()
    assert submission.assignee == admin_user
    assert submission.staff_answer == "A first draft."
    assert submission.status == Submission.Status.NEW
    assertNotContains(response, desk_button("assign", "Assign to me"), html=True)


# Who can take the work ---------------------------------------------------------------------


def test_the_assignee_list_offers_only_those_who_can_take_the_work(admin_client, admin_user):
    change_perm = Permission.objects.get(
        content_type__app_label="faq", codename="change_submission"
    )

    def user(name, *, staff=True, active=True, group=None, direct=False, superuser=False):
        made = User.objects.create_user(
            name, password="pw-long-enough", is_staff=staff, is_active=active,
            is_superuser=superuser,
        )  # fmt: skip
        if group:
            made.groups.add(Group.objects.get(name=group))
        if direct:
            made.user_permissions.add(change_perm)
        return made

    faq_staff = user("faqstaff", group="FAQ staff")
    direct = user("direct", direct=True)
    boss = user("boss", superuser=True)
    user("editor", group="Editors")  # staff, but not for visitor questions
    user("gone", active=False, group="FAQ staff")
    user("visitor", staff=False, direct=True)  # cannot reach the admin
    submission = Submission.objects.create(question="Who takes this one?")

    choices = form_of(admin_client.get(change_url(submission))).fields["assignee"].queryset
    assert set(choices) == {admin_user, faq_staff, direct, boss}

    # Someone assigned before they moved on stays on their question's form, so that it
    # still saves; they are offered nowhere else.
    faq_staff.groups.clear()
    submission.assignee = faq_staff
    submission.save()
    choices = form_of(admin_client.get(change_url(submission))).fields["assignee"].queryset
    assert faq_staff in choices
    other = Submission.objects.create(question="And this one?")
    choices = form_of(admin_client.get(change_url(other))).fields["assignee"].queryset
    assert faq_staff not in choices
    press(admin_client, submission, "", staff_answer="Kept.")
    submission.refresh_from_db()
    assert submission.staff_answer == "Kept."


# Mark answered, and the email --------------------------------------------------------------


def test_mark_answered_emails_the_answer_through_the_pipeline(
    admin_client,
    admin_user,
    submission,
    melanoma,
    make_question,
    welsh,
    django_capture_on_commit_callbacks,
):
    entry = make_question(question="What is an exosome?", slug="what-is-an-exosome")
    answer = (
        "Trials in [[melanoma]] are early [@welsh2024]. See also [[faq:what-is-an-exosome]] "
        "and the [guidelines](/about/).\n\n- first point\n- second point"
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = press(admin_client, submission, "answer", staff_answer=answer)
    assertContains(response, "Marked as answered.")
    submission.refresh_from_db()
    assert submission.status == Submission.Status.ANSWERED
    assert submission.answered_by == admin_user
    assert submission.notified_at is not None

    [email] = mail.outbox
    assert email.to == ["sam@example.org"]
    text = email.body
    html, mimetype = email.alternatives[0]
    assert mimetype == "text/html"
    for part in (text, html):
        assert "[[" not in part and "]]" not in part
        assert "[@" not in part
        assert "127.0.0.1" not in part
    # Plain text: the link text, then its address.
    assert f"in melanoma ({BASE}{melanoma.get_absolute_url()})" in text
    assert f"What is an exosome? ({BASE}{entry.get_absolute_url()})" in text
    assert f"guidelines ({BASE}/about/)" in text
    assert "- first point\n- second point" in text
    assert "are early [1]." in text
    assert (
        "1. Welsh JA, Goberdhan DCI, O'Driscoll L, et al. Minimal information for studies of "
        "extracellular vesicles (MISEV2023). J Extracell Vesicles. 2024;13(2):e12404. "
        "(https://doi.org/10.1002/jev2.12404)"
    ) in text
    # HTML: every link absolute, to the site or to the reference.
    assert f'href="{BASE}{melanoma.get_absolute_url()}"' in html
    assert f'href="{BASE}{entry.get_absolute_url()}"' in html
    hrefs = re.findall(r'href="([^"]*)"', html)
    assert hrefs and all(h.startswith((BASE, "https://doi.org/")) for h in hrefs), hrefs
    assert '<a href="https://doi.org/10.1002/jev2.12404">doi:10.1002/jev2.12404</a>' in html
    assert "[1]" in html and "visually-hidden" not in html
    # No FAQ entry: no promise of one.
    assert "FAQ" not in text


def test_mark_answered_without_an_answer_is_refused_next_to_the_field(admin_client, submission):
    response = press(admin_client, submission, "answer", public_question="Typed, kept?")
    assert response.status_code == 200
    assert form_of(response).errors["staff_answer"] == ["Write an answer first."]
    assert form_of(response)["public_question"].value() == "Typed, kept?"
    submission.refresh_from_db()
    assert submission.status == Submission.Status.NEW
    assert submission.public_question == ""
    assert mail.outbox == []


def test_an_answer_citing_what_the_library_lacks_is_not_sent(admin_client, submission):
    answer = "Shown in mice [@nobody2020] and in [[no-such-term]]."
    response = press(admin_client, submission, "answer", staff_answer=answer)
    assert response.status_code == 200
    errors = " ".join(form_of(response).errors["staff_answer"])
    assert "@nobody2020, which is not in the reference library" in errors
    assert "[[no-such-term]] goes nowhere" in errors
    assert form_of(response)["staff_answer"].value() == answer
    submission.refresh_from_db()
    assert submission.status == Submission.Status.NEW
    assert mail.outbox == []


def test_the_email_says_the_faq_entry_is_live_only_once_it_is(
    admin_client, submission, topic, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        press(admin_client, submission, "publish", staff_answer="Not yet.", topic=topic.pk)
    [email] = mail.outbox
    entry = Question.objects.get()
    for part in (email.body, email.alternatives[0][0]):
        assert entry.get_absolute_url() not in part
        assert "not online yet" in part

    from faq.notifications import answer_email

    entry.status = Status.PUBLISHED
    entry.save()
    submission.refresh_from_db()
    later = answer_email(submission)  # as a retry after publication would say it
    assert f"published this answer in our FAQ: {BASE}{entry.get_absolute_url()}" in later.text
    assert "not online yet" not in later.text


# Publish as FAQ entry ---------------------------------------------------------------------


def test_publish_sends_a_new_entry_to_review_at_the_end_of_its_topic(
    admin_client, admin_user, submission, topic, make_question, client
):
    make_question(position=0)
    make_question(position=4)
    elsewhere = Topic.objects.create(name="Other", slug="other", position=2)
    make_question(topic=elsewhere, position=9)
    response = press(
        admin_client,
        submission,
        "publish",
        staff_answer="Early trials only.",
        public_question="Are exosomes used to treat melanoma?",
        topic=topic.pk,
        tags="oncology",
    )
    assert response.redirect_chain[-1][0] == change_url(submission)
    assertContains(response, "Sent to the FAQ: the entry")
    assertContains(response, "is in review")
    entry = Question.objects.get(question="Are exosomes used to treat melanoma?")
    assertContains(response, reverse("admin:faq_question_change", args=[entry.pk]))
    assert entry.status == Status.REVIEW
    assert entry not in Question.objects.published()
    assert client.get(entry.get_absolute_url()).status_code == 404
    assert entry.position == 5
    assert entry.topic == topic
    assert entry.answer == "Early trials only."
    assert list(entry.tags.names()) == ["oncology"]
    submission.refresh_from_db()
    assert submission.faq_question == entry
    assert submission.status == Submission.Status.PUBLISHED
    assert submission.answered_by == admin_user
    # The queue says what became of it.
    changelist = admin_client.get(reverse("admin:faq_submission_changelist"))
    assertContains(changelist, "Sent to the FAQ (in review)")
    in_review = admin_client.get(reverse("admin:faq_submission_changelist"), {"queue": "in-review"})
    assert list(in_review.context["cl"].result_list) == [submission]


def test_a_new_entry_in_an_empty_topic_comes_first(admin_client, submission):
    empty = Topic.objects.create(name="Empty", slug="empty")
    press(admin_client, submission, "publish", staff_answer="Yes.", topic=empty.pk)
    assert Question.objects.get().position == 0


def test_publish_puts_the_entry_where_it_is_asked_to(
    admin_client, submission, topic, make_question
):
    make_question(position=7)
    press(
        admin_client,
        submission,
        "publish",
        staff_answer="Yes.",
        topic=topic.pk,
        position_in_topic="2",
    )
    assert Question.objects.get(answer="Yes.").position == 2


def test_publish_without_an_answer_or_topic_is_refused_next_to_the_fields(admin_client, submission):
    response = press(admin_client, submission, "publish", public_question="Kept as typed?")
    assert response.status_code == 200
    errors = form_of(response).errors
    assert errors["staff_answer"] == ["Write an answer before sending it to the FAQ."]
    assert errors["topic"] == ["Choose the FAQ topic to put it under."]
    assert form_of(response)["public_question"].value() == "Kept as typed?"
    assert not Question.objects.exists()
    submission.refresh_from_db()
    assert submission.status == Submission.Status.NEW


def test_a_question_too_long_for_a_title_needs_a_shorter_wording(admin_client, submission, topic):
    submission.question = "Why " * 100
    submission.save()
    response = press(admin_client, submission, "publish", staff_answer="Yes.", topic=topic.pk)
    assert "shorter" in form_of(response).errors["public_question"][0]
    assert not Question.objects.exists()


def test_publishing_new_text_to_a_live_entry_sends_it_back_to_review(
    admin_client, submission, make_question
):
    entry = make_question(question="Old wording?", answer="Old answer.", position=3)
    assert entry.is_published
    submission.faq_question = entry
    submission.save()
    press(
        admin_client,
        submission,
        "publish",
        staff_answer="Old answer.",
        public_question="Old wording?",
    )
    entry.refresh_from_db()
    assert entry.status == Status.PUBLISHED  # nothing new to review: stays live
    assert entry.position == 3

    press(
        admin_client,
        submission,
        "publish",
        staff_answer="New answer.",
        public_question="Old wording?",
        faq_question=entry.pk,
    )
    entry.refresh_from_db()
    assert entry.answer == "New answer."
    assert entry.status == Status.REVIEW
    assert Question.objects.count() == 1


def test_staff_who_may_not_write_faq_entries_cannot_send_one(client, submission, topic):
    worker = User.objects.create_user("worker", password="pw-long-enough", is_staff=True)
    worker.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="faq", codename__in=("change_submission", "view_submission")
        )
    )
    client.force_login(worker)
    response = press(client, submission, "publish", staff_answer="Yes.", topic=topic.pk)
    assertContains(response, "You may not write FAQ entries")
    assert not Question.objects.exists()


# Closing ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("button", "status", "said"),
    [("reject", "rejected", "was rejected"), ("spam", "spam", "was marked as spam")],
)
def test_reject_and_spam_close_the_question_and_return_to_the_queue(
    admin_client, submission, button, status, said
):
    response = press(admin_client, submission, button, staff_answer="A note to self.")
    assert response.redirect_chain[-1][0] == reverse("admin:faq_submission_changelist")
    assertContains(response, said)
    submission.refresh_from_db()
    assert submission.status == status
    assert submission.closed_at is not None
    assert submission.staff_answer == "A note to self."
    assert mail.outbox == []


# Erasing contact details ---------------------------------------------------------------------


def test_erase_contact_details_now_on_a_closed_question(admin_client, submission):
    submission.status = Submission.Status.SPAM
    submission.save()
    response = press(admin_client, submission, "erase")
    assert response.redirect_chain[-1][0] == change_url(submission)
    assertContains(response, "The visitor&#x27;s name and email address were erased.")
    submission.refresh_from_db()
    assert (submission.name, submission.email, submission.consent) == ("", "", False)
    assert submission.contact_erased_at is not None
    assertNotContains(response, 'name="_desk" value="erase"')
    assertContains(response, "contact erased")


def test_erasing_is_refused_on_an_open_question(admin_client, submission):
    response = press(admin_client, submission, "erase", staff_answer="Typed.")
    assert response.status_code == 200
    assert "still open" in form_of(response).errors["status"][0]
    assertContains(response, "still open")
    submission.refresh_from_db()
    assert submission.email == "sam@example.org"
    assert submission.staff_answer == ""
    assert submission.contact_erased_at is None


def test_the_erase_action_erases_closed_questions_and_refuses_open_ones(admin_client, submission):
    closed = Submission.objects.create(
        question="Closed?", name="Ann", email="ann@example.org", status="rejected"
    )
    response = admin_client.post(
        reverse("admin:faq_submission_changelist"),
        {"action": "erase_contact_details_now", "_selected_action": [submission.pk, closed.pk]},
        follow=True,
    )
    assertContains(response, "1 question(s) are still open")
    assertContains(response, "Contact details erased from 1 question(s).")
    closed.refresh_from_db()
    assert (closed.name, closed.email) == ("", "")
    assert Submission.objects.get(pk=submission.pk).email == "sam@example.org"


# The live preview ---------------------------------------------------------------------------


def test_the_live_preview_renders_links_citations_and_warnings(admin_client, melanoma, welsh):
    url = reverse("admin:faq_submission_answer_preview")
    text = "In [[melanoma]] [@welsh2024], not [[nowhere]] nor [@nobody2020]."
    result = admin_client.post(url, {"text": text}).json()
    assert f'<a class="xref" href="{melanoma.get_absolute_url()}">melanoma</a>' in result["html"]
    assert 'class="citation"' in result["html"]
    assert 'id="ref-1"' in result["html"]
    assert "Minimal information for studies of extracellular vesicles" in result["html"]
    warnings = " ".join(result["warnings"])
    assert "[[nowhere]] goes nowhere" in warnings
    assert "@nobody2020" in warnings
    assert admin_client.get(url).status_code == 403


def test_the_live_preview_is_for_staff_who_work_the_queue(client):
    editor = User.objects.create_user("ed", password="pw-long-enough", is_staff=True)
    editor.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor)
    url = reverse("admin:faq_submission_answer_preview")
    assert client.post(url, {"text": "Hi"}).status_code == 403


def test_the_page_shows_the_saved_answer_through_the_pipeline(admin_client, submission, melanoma):
    submission.staff_answer = "About [[melanoma]] and [[nowhere]]."
    submission.save()
    page = admin_client.get(change_url(submission))
    assertContains(page, f'<a class="xref" href="{melanoma.get_absolute_url()}">melanoma</a>')
    assertContains(page, "[[nowhere]] goes nowhere")
    assertContains(page, f'data-url="{reverse("admin:faq_submission_answer_preview")}"')


# Plain text of the answer -------------------------------------------------------------------


def test_plain_text_of_an_answer():
    html = (
        '<h2>Short answer</h2><p>Not <strong>yet</strong>, see <a href="/glossary/x/">x</a>'
        ' or <a href="https://example.org/">https://example.org/</a>.</p>'
        "<ol><li>one</li><li>two<ul><li>inner</li></ul></li></ol>"
        "<blockquote><p>Quoted\ntext.</p></blockquote>"
        '<p>Mail <a href="mailto:editors@example.org">us</a>.</p>'
    )
    assert html_to_text(html) == (
        "Short answer\n\n"
        f"Not yet, see x ({BASE}/glossary/x/) or https://example.org/.\n\n"
        "1. one\n2. two\n  - inner\n\n"
        "> Quoted text.\n\n"
        "Mail us (editors@example.org).\n"
    )
