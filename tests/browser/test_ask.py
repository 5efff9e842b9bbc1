"""The visitor-question journeys, in a real browser."""

import pytest
from django.contrib.auth import get_user_model
from django.core import mail

from faq.models import Question, Submission, Topic

pytestmark = pytest.mark.usefixtures("demo")


def expect(locator):
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(locator)


@pytest.fixture
def quick_form(settings):
    # People take longer than 3 s to type; the browser does not.
    settings.EXOSITE_ASK_MIN_SECONDS = 0


def fill_and_send(tab, question):
    tab.get_by_label("Your question").fill(question)
    tab.get_by_label("Your name (optional)").fill("Robin")
    tab.get_by_label("Your email (optional)").fill("robin@example.org")
    tab.get_by_label("Email me once when my question is answered").check()
    tab.get_by_role("button", name="Send my question").click()


def test_ask_without_javascript(browser, live_server, quick_form):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    tab = context.new_page()
    tab.goto("/faq/")
    tab.get_by_role("link", name="Ask the editors").click()
    expect(tab.locator("h1")).to_have_text("Ask a question")
    fill_and_send(tab, "Do exosomes from cord tissue keep their activity after freezing?")
    expect(tab.locator("h1")).to_have_text("Thank you, we have your question")
    submission = Submission.objects.get()
    assert submission.email == "robin@example.org" and submission.consent
    context.close()


def test_errors_keep_what_was_typed_and_focus_the_summary(page, quick_form):
    page.goto("/faq/ask/")
    page.get_by_label("Your question").fill("Does freezing damage exosomes at all?")
    page.get_by_label("Your email (optional)").fill("robin@example.org")
    page.get_by_role("button", name="Send my question").click()
    expect(page.locator(".form-errors")).to_contain_text("Your question was not sent yet")
    consent = page.get_by_label("Email me once when my question is answered")
    expect(consent).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_text("Tick this box so we may email you")).to_be_visible()
    expect(page.get_by_label("Your question")).to_have_value(
        "Does freezing damage exosomes at all?"
    )
    assert not Submission.objects.exists()


def test_suggestions_appear_while_typing(page, quick_form):
    page.goto("/faq/ask/")
    page.get_by_label("Your question").press_sequentially("Are exosome injections safe", delay=20)
    panel = page.locator("#ask-suggestions")
    expect(panel).to_be_visible()
    expect(panel.locator("li").first).to_be_visible()
    assert panel.locator("li").count() <= 5
    expect(panel).to_contain_text("safe")
    fill_and_send(page, "Are exosome injections safe for knee pain, and who regulates them?")
    expect(page.locator("h1")).to_have_text("Thank you, we have your question")


def test_ask_pages_pass_axe(page, axe_check, quick_form):
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        page.goto("/faq/ask/")
        page.get_by_label("Your question").press_sequentially(
            "Are exosome injections safe", delay=10
        )
        expect(page.locator("#ask-suggestions li").first).to_be_visible()
        assert axe_check(page) == []
        page.get_by_label("Your email (optional)").fill("robin@example.org")
        page.get_by_role("button", name="Send my question").click()
        expect(page.locator(".form-errors")).to_be_visible()
        assert axe_check(page) == []


def test_staff_answer_and_publish_and_the_visitor_is_emailed(
    page, browser, live_server, quick_form
):
    # A visitor asks.
    page.goto("/faq/ask/")
    fill_and_send(page, "Can exosomes help after a stroke in people?")
    expect(page.locator("h1")).to_have_text("Thank you, we have your question")
    submission = Submission.objects.get()
    # A member of FAQ staff logs in, answers and publishes.
    from django.contrib.auth.models import Group

    staff = get_user_model().objects.create_user(
        "faqstaff", password="a-long-passphrase", is_staff=True
    )
    staff.groups.add(Group.objects.get(name="FAQ staff"))
    context = browser.new_context(base_url=live_server.url)
    admin = context.new_page()
    admin.goto("/admin/login/")
    admin.get_by_label("Username").fill("faqstaff")
    admin.get_by_label("Password").fill("a-long-passphrase")
    admin.get_by_role("button", name="Log in").click()
    expect(admin.get_by_text("1 new question waiting")).to_be_visible()
    admin.get_by_text("1 new question waiting").click()
    admin.get_by_role("link", name="Can exosomes help after a stroke in people?").click()
    admin.locator("#id_staff_answer").fill(
        "Not yet. Exosomes from mesenchymal stem cells helped recovery in rats, but no human "
        "trial has shown a benefit."
    )
    admin.locator("#id_topic").select_option(
        label=Topic.objects.get(slug="treatments-and-evidence").name
    )
    admin.locator("#id_tags").fill("neurology, therapy")
    admin.locator("#id_status").select_option("published")
    admin.get_by_role("button", name="Save", exact=True).click()
    expect(admin.get_by_text("Published as")).to_be_visible()
    expect(admin.get_by_text("The answer was emailed to robin@example.org")).to_be_visible()
    context.close()
    submission.refresh_from_db()
    question = submission.faq_question
    assert submission.answered_by == staff
    assert set(question.tags.names()) == {"neurology", "therapy"}
    # The entry is live, with its terms auto-linked.
    page.goto(question.get_absolute_url())
    expect(page.locator("h1")).to_have_text("Can exosomes help after a stroke in people?")
    expect(page.locator(".prose a.term-link").first).to_be_visible()
    # And the visitor's email holds the answer and the link.
    assert len(mail.outbox) == 1
    assert "no human trial has shown a benefit" in " ".join(mail.outbox[0].body.split())
    assert question.get_absolute_url() in mail.outbox[0].body
    assert Question.objects.filter(pk=question.pk).count() == 1


def test_was_this_helpful_without_javascript(browser, live_server, axe_check):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    tab = context.new_page()
    question = Question.objects.published().first()
    tab.goto(question.get_absolute_url())
    tab.locator("#helpful").get_by_role("button", name="Yes").click()
    expect(tab.get_by_text("Thank you for your feedback")).to_be_visible()
    assert question.votes.get().helpful is True
    context.close()
