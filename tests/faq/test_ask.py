from types import SimpleNamespace

import pytest
from django.core import mail
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from exosite.models import RateLimitHit
from faq.models import Submission

from .conftest import started

pytestmark = pytest.mark.django_db

ASK = "/faq/ask/"


def test_the_form_is_linked_from_faq_pages(client, make_question):
    question = make_question()
    assert reverse("faq:ask") == ASK
    assertContains(client.get(reverse("faq:index")), f'href="{ASK}"')
    assertContains(client.get(question.get_absolute_url()), f'href="{ASK}"')


def test_the_form_has_the_fields_and_privacy_note(client):
    response = client.get(ASK)
    assert response.status_code == 200
    for name in ("question", "name", "email", "consent", "csrfmiddlewaretoken", "started"):
        assertContains(response, f'name="{name}"')
    assertContains(response, "We delete your name and email 90 days after")


def test_a_question_is_received_and_staff_are_emailed(
    client, ask_data, settings, django_capture_on_commit_callbacks
):
    settings.MANAGERS = ["staff@example.org"]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(ASK, ask_data())
    assertRedirects(response, reverse("faq:ask-thanks"))
    submission = Submission.objects.get()
    assert submission.question.startswith("Can exosomes from fat tissue")
    assert submission.email == "sam@example.org"
    assert submission.consent is True
    assert submission.status == Submission.Status.NEW
    assert len(submission.client) == 32  # a hash, not an address
    assert "127.0.0.1" not in submission.client
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["staff@example.org"]
    assert "fat tissue" in mail.outbox[0].body
    thanks = client.get(reverse("faq:ask-thanks"))
    assertContains(thanks, "What happens next")


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"question": ""}, "question", "Please type your question."),
        ({"question": "short"}, "question", "Please write a little more"),
        ({"question": "x" * 2001}, "question", "Please keep it under 2000 characters"),
        (
            {"email": "not-an-email"},
            "email",
            "Enter an email address like name@example.org, or leave it empty.",
        ),
        ({"consent": None}, "consent", "Tick this box so we may email you"),
        ({"email": ""}, "email", "Give an email address so we can tell you"),
    ],
)
def test_errors_are_shown_next_to_the_field_and_nothing_typed_is_lost(
    client, ask_data, fields, field, message
):
    data = ask_data(**fields)
    response = client.post(ASK, data)
    assert response.status_code == 400
    assert not Submission.objects.exists()
    assert message in str(response.context["form"].errors[field])
    assertContains(response, 'aria-invalid="true"', status_code=400)
    assertContains(response, "Your question was not sent yet", status_code=400)
    if data.get("question"):
        assertContains(response, data["question"][:50], status_code=400)
    if data.get("name"):
        assertContains(response, 'value="Sam"', status_code=400)


def test_a_form_sent_too_fast_is_refused_with_the_text_kept(client, ask_data):
    response = client.post(ASK, ask_data(started=started(seconds_ago=0)))
    assert response.status_code == 400
    assertContains(response, "faster than anyone can type", status_code=400)
    assertContains(response, "fat tissue", status_code=400)
    assert not Submission.objects.exists()


def later(monkeypatch, seconds):
    """The form checks see the clock `seconds` ahead (the visitor took that long)."""
    import time

    from exosite.kernel import forms

    monkeypatch.setattr(forms, "time", SimpleNamespace(time=lambda: time.time() + seconds))


def test_a_forged_token_gets_a_fresh_one_that_must_age_too(client, ask_data, monkeypatch, settings):
    response = client.post(ASK, ask_data(started="forged"))
    assertContains(response, "the form has expired", status_code=400)
    assertContains(response, "fat tissue", status_code=400)
    fresh = response.context["form"].data["started"]
    # Sent straight back (what a bot would do), the new token is as young as a new form.
    at_once = client.post(ASK, ask_data(started=fresh))
    assertContains(at_once, "faster than anyone can type", status_code=400)
    assert not Submission.objects.exists()
    # A person reading their text again and sending it is past the minimum.
    later(monkeypatch, settings.EXOSITE_ASK_MIN_SECONDS + 1)
    assert client.post(ASK, ask_data(started=fresh)).status_code == 302
    assert Submission.objects.count() == 1


def test_a_token_is_good_for_one_send(client, ask_data, monkeypatch, settings):
    token = started()
    assert client.post(ASK, ask_data(started=token)).status_code == 302
    replayed = client.post(
        ASK, ask_data(question="Another question about exosomes?", started=token)
    )
    assertContains(replayed, "This form was already sent", status_code=400)
    assertContains(replayed, "Another question about exosomes?", status_code=400)
    elsewhere = client.post(
        ASK,
        ask_data(question="A third question about exosomes?", started=token),
        REMOTE_ADDR="10.9.9.9",
    )
    assert elsewhere.status_code == 400
    assert Submission.objects.count() == 1
    # The page comes back with a new token, which needs the minimum time like any other.
    fresh = replayed.context["form"].data["started"]
    assert fresh != token
    again = ask_data(question="Another question about exosomes?", started=fresh)
    assert client.post(ASK, again).status_code == 400
    later(monkeypatch, settings.EXOSITE_ASK_MIN_SECONDS + 1)
    assert client.post(ASK, again).status_code == 302
    assert Submission.objects.count() == 2


def test_a_form_with_a_mistake_keeps_its_token_good(client, ask_data):
    token = started()
    assert client.post(ASK, ask_data(started=token, email="not-an-email")).status_code == 400
    assert client.post(ASK, ask_data(started=token)).status_code == 302
    assert Submission.objects.count() == 1


def test_the_honeypot_stores_nothing(client, ask_data):
    response = client.post(ASK, ask_data(website="http://spam.example"))
    assertRedirects(response, reverse("faq:ask-thanks"))
    assert not Submission.objects.exists()


def test_csrf_is_required(ask_data):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(ASK, ask_data())
    assert response.status_code == 403
    assert not Submission.objects.exists()


def test_the_same_question_twice_in_a_day_is_kept_once(client, ask_data):
    client.post(ASK, ask_data())
    response = client.post(
        ASK, ask_data(question="  CAN exosomes from fat tissue be used to treat knee   arthritis? ")
    )
    assertRedirects(
        response, reverse("faq:ask-thanks") + "?already=1", fetch_redirect_response=False
    )
    assertContains(client.get(response.url), "same question earlier today")
    assert Submission.objects.count() == 1
    other_client = client.post(ASK, ask_data(), REMOTE_ADDR="10.0.0.9")
    assert other_client.status_code == 302
    assert Submission.objects.count() == 2


def test_rate_limit_answers_429_and_shows_the_question_back(client, ask_data, settings):
    settings.EXOSITE_ASK_RATE = "2/h"
    for n in range(2):
        assert (
            client.post(ASK, ask_data(question=f"Question number {n} about vesicles?")).status_code
            == 302
        )
    response = client.post(ASK, ask_data(question="A third question about vesicles?"))
    assert response.status_code == 429
    assertContains(response, "Please wait a while", status_code=429)
    assertContains(response, "A third question about vesicles?", status_code=429)
    assert Submission.objects.count() == 2
    # Another client is not affected; the limit is stored in the database, not a process.
    assert (
        client.post(ASK, ask_data(question="From elsewhere?!"), REMOTE_ADDR="10.1.1.1").status_code
        == 302
    )
    assert RateLimitHit.objects.filter(scope="ask").count() == 3


def test_a_question_that_fails_to_save_does_not_use_up_the_limit(client, ask_data, monkeypatch):
    from django.db import DatabaseError

    def broken(**fields):
        raise DatabaseError("disk full")

    monkeypatch.setattr(Submission.objects, "create", broken)
    with pytest.raises(DatabaseError):
        client.post(ASK, ask_data())
    assert not RateLimitHit.objects.filter(scope="ask").exists()
    monkeypatch.undo()
    assert client.post(ASK, ask_data()).status_code == 302
    assert RateLimitHit.objects.filter(scope="ask").count() == 1


def test_forwarded_for_is_used_only_when_trusted(client, ask_data, settings):
    settings.EXOSITE_ASK_RATE = "1/h"
    client.post(ASK, ask_data(question="First question here?"), HTTP_X_FORWARDED_FOR="1.2.3.4")
    # No proxy trusted: a forged header does not escape the limit.
    forged = client.post(
        ASK, ask_data(question="Second question here?"), HTTP_X_FORWARDED_FOR="5.6.7.8"
    )
    assert forged.status_code == 429
    # Behind one proxy, the address it appended is the client (more in tests/site/test_proxies.py).
    settings.EXOSITE_TRUSTED_PROXIES = 1
    trusted = client.post(
        ASK, ask_data(question="Third question here?"), HTTP_X_FORWARDED_FOR="1.2.3.4, 10.0.0.1"
    )
    assert trusted.status_code == 302
    forged_again = client.post(
        ASK, ask_data(question="Fourth question here?"), HTTP_X_FORWARDED_FOR="9.9.9.9, 10.0.0.1"
    )
    assert forged_again.status_code == 429


HOSTILE = [
    '<script>alert("x")</script> is this safe?',
    '<a href="javascript:alert(1)">click</a> [link](javascript:alert(2)) **bold**',
    "Right-to-left \u202eevil\u202c text and Arabic: هل الإكسوسومات آمنة؟",
    "Control\x00characters\x07 and \x1b[31mANSI\x1b[0m here, please?",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_is_stored_as_text_and_never_rendered(
    client, admin_client, ask_data, text, settings, django_capture_on_commit_callbacks
):
    settings.MANAGERS = ["staff@example.org"]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(ASK, ask_data(question=text, name="<b>Eve</b>"))
    assert response.status_code == 302
    submission = Submission.objects.get()
    assert "\x00" not in submission.question and "\x07" not in submission.question
    change = admin_client.get(reverse("admin:faq_submission_change", args=[submission.pk]))
    changelist = admin_client.get(reverse("admin:faq_submission_changelist"))
    for page in (change, changelist):
        assertNotContains(page, "<script>alert")
        assertNotContains(page, '<a href="javascript:')
        assertNotContains(page, "<b>Eve</b>")
    html_email = mail.outbox[0].alternatives[0][0]
    assert "<script>alert" not in html_email
    assert '<a href="javascript:' not in html_email


def test_a_very_long_question_is_refused_whole_and_kept(client, ask_data):
    text = "Why? " * 20000  # 100,000 characters
    response = client.post(ASK, ask_data(question=text))
    assert response.status_code == 400
    assert not Submission.objects.exists()
    assertContains(response, "it has 99999", status_code=400)
    assert response.context["form"].data["question"] == text


def test_suggestions_list_published_entries_and_terms(client, make_question, make_term, future):
    from exosite.models import Status

    make_question(question="Are exosome injections safe?", slug="safe")
    make_question(question="Are exosome creams safe?", slug="draft", status=Status.DRAFT)
    make_term(name="Immunogenicity", short_definition="The ability to provoke an immune response.")
    make_term(name="Safety margin", published_at=future)
    response = client.get(
        reverse("faq:ask-suggest"), {"q": "is an injection safe or immunogenicity risk"}
    )
    results = response.json()["results"]
    titles = [r["title"] for r in results]
    assert "Are exosome injections safe?" in titles
    assert "Immunogenicity" in titles
    assert "Are exosome creams safe?" not in titles
    assert "Safety margin" not in titles
    assert len(results) <= 5
    assert client.get(reverse("faq:ask-suggest"), {"q": "the and of"}).json() == {"results": []}
    # As long as an address can be (longer ones get the site's 400 before any view).
    assert client.get(reverse("faq:ask-suggest"), {"q": "x" * 8000}).status_code == 200
