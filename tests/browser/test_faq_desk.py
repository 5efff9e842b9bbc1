"""A visitor's question answered and sent to the FAQ from its page, in a real browser."""

import pytest
from django.contrib.auth import get_user_model

from exosite.models import Status
from faq.models import Question, Submission, Topic
from glossary.models import Term

from .conftest import log_in

pytestmark = pytest.mark.browser


def expect(locator):
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(locator)


@pytest.fixture
def staff_page(page):
    get_user_model().objects.create_superuser("desk", "desk@example.org", "a-long-passphrase")
    return log_in(page, "desk")


def test_answer_with_a_live_preview_and_send_it_to_the_faq(staff_page, axe_check):
    topic = Topic.objects.create(name="Treatment", slug="treatment")
    Term.objects.create(
        name="Melanoma",
        slug="melanoma",
        short_definition="A skin cancer.",
        definition="A cancer of the pigment cells of the skin.",
        status=Status.PUBLISHED,
    )
    submission = Submission.objects.create(
        question="Are exosomes used against melanoma?",
        name="Sam",
        email="sam@example.org",
        consent=True,
    )
    page = staff_page
    page.goto(f"/admin/faq/submission/{submission.pk}/change/")
    assert axe_check(page) == []

    answer = page.get_by_label("Answer:", exact=True)
    answer.fill("Only in early trials so far: see [[melanoma]] and [[no-such-page]].")
    preview = page.locator("#answer-preview")
    # The preview sits beside the answer and renders the cross-link as a link.
    expect(preview.locator(".markdown-preview-body a.xref")).to_have_attribute(
        "href", "/glossary/melanoma/"
    )
    expect(preview.locator(".markdown-preview-warnings")).to_contain_text(
        "[[no-such-page]] goes nowhere"
    )
    answer.fill("Only in early trials so far: see [[melanoma]].")
    expect(preview.locator(".markdown-preview-warnings li")).to_have_count(0)
    page.get_by_label("Topic:", exact=True).select_option(label="Treatment")
    assert axe_check(page) == []

    button = page.get_by_role("button", name="Publish as FAQ entry")
    button.focus()  # reachable from the keyboard, like every desk button
    page.keyboard.press("Enter")
    expect(page.locator(".messagelist")).to_contain_text("Sent to the FAQ: the entry")
    expect(page.locator(".messagelist")).to_contain_text("is in review")
    assert page.url.endswith(f"/admin/faq/submission/{submission.pk}/change/")

    entry = Question.objects.get()
    assert entry.status == Status.REVIEW
    assert entry.topic == topic
    assert "[[melanoma]]" in entry.answer
    submission.refresh_from_db()
    assert submission.faq_question == entry
    # The link in the message opens the entry, in review, where a reviewer publishes it.
    page.locator(".messagelist a").click()
    expect(page.locator("#id_status")).to_have_value(Status.REVIEW)
