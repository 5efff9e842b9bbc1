"""The visitor-question journeys, in a real browser."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail

from exosite.models import Status
from faq.models import Question, Submission, Topic
from trust.models import Feedback

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
    # Said twice: in the error summary (a link to the box) and beside the box itself.
    expect(page.get_by_text("Tick this box so we may email you")).to_have_count(2)
    expect(page.locator(".field-check .errorlist")).to_contain_text("Tick this box")
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


def log_in(browser, live_server, username):
    context = browser.new_context(base_url=live_server.url)
    tab = context.new_page()
    tab.goto("/admin/login/")
    tab.get_by_label("Username").fill(username)
    tab.get_by_label("Password").fill("a-long-passphrase")
    tab.get_by_role("button", name="Log in").click()
    tab.wait_for_url("**/admin/")
    return tab


def staff_in(username, group):
    user = get_user_model().objects.create_user(
        username, password="a-long-passphrase", is_staff=True
    )
    user.groups.add(Group.objects.get(name=group))
    return user


def test_staff_answer_it_goes_to_review_then_live_and_the_visitor_is_emailed(
    page, browser, live_server, quick_form, axe_check, choose
):
    # A visitor asks.
    page.goto("/faq/ask/")
    fill_and_send(page, "Can exosomes help after a stroke in people?")
    expect(page.locator("h1")).to_have_text("Thank you, we have your question")
    submission = Submission.objects.get()
    topic = Topic.objects.get(slug="treatments-and-evidence")
    already_in_topic = list(topic.questions.published())
    assert already_in_topic
    # A member of FAQ staff answers and sends the answer to the FAQ.
    staff = staff_in("faqstaff", "FAQ staff")
    admin = log_in(browser, live_server, "faqstaff")
    expect(admin.get_by_text("1 new question waiting")).to_be_visible()
    admin.get_by_text("1 new question waiting").click()
    admin.get_by_role("link", name="Can exosomes help after a stroke in people?").click()
    admin.locator("#id_staff_answer").fill(
        "Not yet. Exosomes from mesenchymal stem cells helped recovery in rats, but no human "
        "trial has shown a benefit."
    )
    admin.locator("#id_topic").select_option(label=topic.name)
    admin.locator("#id_tags").fill("neurology, therapy")
    admin.locator("#id_status").select_option("published")
    admin.get_by_role("button", name="Save", exact=True).click()
    # It is not live: it waits for a review, last in its topic.
    expect(admin.locator(".messagelist")).to_contain_text("Sent to the FAQ: the entry")
    expect(admin.locator(".messagelist")).to_contain_text("is in review")
    expect(admin.get_by_text("The answer was emailed to robin@example.org")).to_be_visible()
    submission.refresh_from_db()
    question = submission.faq_question
    assert submission.answered_by == staff
    assert question.status == Status.REVIEW and question.topic == topic
    assert question.position > max(entry.position for entry in already_in_topic)
    assert set(question.tags.names()) == {"neurology", "therapy"}
    response = page.goto(question.get_absolute_url())
    assert response.status == 404
    # The visitor's email holds the answer, and says the FAQ entry is not online yet.
    assert len(mail.outbox) == 1
    body = " ".join(mail.outbox[0].body.split())
    assert "no human trial has shown a benefit" in body
    assert "it is not online yet" in body
    assert question.get_absolute_url() not in body
    # A medical reviewer records the review of this version.
    staff_in("rhea", "Medical reviewers")
    reviewer = log_in(browser, live_server, "rhea")
    reviewer.goto(f"/admin/faq/question/{question.pk}/change/")
    choose(reviewer, "Medical reviewer", "Lena Hartmann")
    reviewer.get_by_label("Record a review of this version").check()
    assert axe_check(reviewer) == []
    reviewer.get_by_role("button", name="Save and continue editing").click()
    expect(reviewer.locator(".field-review_state")).to_contain_text("Reviewed in this version")
    reviewer.context.close()
    # FAQ staff publish it with the list's action; it goes live at the end of its topic.
    admin.goto("/admin/faq/question/?status__exact=review")
    admin.get_by_role("checkbox", name=f"Select this object for an action - {question}").check()
    admin.get_by_label("Action:").select_option(label="Publish (now, or at their publication date)")
    admin.get_by_role("button", name="Run").click()
    expect(admin.locator(".messagelist")).to_contain_text("1 published")
    admin.context.close()
    question.refresh_from_db()
    assert question.is_published and question.review_current
    page.goto(question.get_absolute_url())
    expect(page.locator("h1")).to_have_text("Can exosomes help after a stroke in people?")
    expect(page.locator(".prose a.term-link").first).to_be_visible()
    page.goto("/faq/")
    expect(page.locator(f"#{topic.slug} details summary").last).to_have_text(question.question)
    assert Question.objects.filter(question=question.question).count() == 1


@pytest.mark.parametrize("width", [375, 1280])
def test_was_this_helpful_without_javascript(browser, live_server, width):
    context = browser.new_context(
        base_url=live_server.url,
        java_script_enabled=False,
        viewport={"width": width, "height": 800},
    )
    tab = context.new_page()
    question = Question.objects.published().first()
    tab.goto(question.get_absolute_url())
    widget = tab.get_by_role("complementary", name="Was this page helpful?")
    expect(tab.get_by_text("helpful?")).to_have_count(1)
    widget.get_by_role("button", name="Yes").click()
    expect(tab.get_by_role("heading", name="Thank you for your feedback")).to_be_visible()
    tab.get_by_label("Anything you would like to add?").fill("Clear, thank you.")
    tab.get_by_role("button", name="Send").click()
    expect(tab.get_by_role("heading", name="Thank you")).to_be_visible()
    feedback = Feedback.objects.get(page=question.get_absolute_url())
    assert (feedback.kind, feedback.comment) == ("helpful", "Clear, thank you.")
    context.close()


@pytest.mark.parametrize("width", [375, 1280])
def test_the_error_summary_takes_focus_and_leads_to_each_field(page, axe_check, width):
    page.set_viewport_size({"width": width, "height": 800})
    page.goto("/faq/ask/")
    page.get_by_role("textbox", name="Your question").fill("Why?")
    page.get_by_label("Your email (optional)").fill("robin at example")
    page.get_by_role("button", name="Send my question").click()
    summary = page.get_by_role("alert")
    expect(summary).to_be_focused()  # autofocus: works without JavaScript too
    expect(page).to_have_title("Error: Ask a question · Exosite")
    summary.get_by_role("link", name="Enter an email address like name@example.org").click()
    expect(page.get_by_label("Your email (optional)")).to_be_focused()
    expect(page.get_by_label("Your email (optional)")).to_have_value("robin at example")
    summary.get_by_role("link", name="Please write a little more").click()
    expect(page.get_by_role("textbox", name="Your question")).to_be_focused()
    assert axe_check(page) == []


def test_a_too_fast_send_is_explained_and_kept(page, settings):
    settings.EXOSITE_ASK_MIN_SECONDS = 3600  # nobody is slower than this in a test
    page.goto("/faq/ask/")
    question = page.get_by_role("textbox", name="Your question")
    question.fill("Do exosomes survive being frozen and thawed?")
    page.get_by_role("button", name="Send my question").click()
    expect(page.get_by_role("alert")).to_contain_text("faster than anyone can type")
    expect(question).to_have_value("Do exosomes survive being frozen and thawed?")
    assert not Submission.objects.exists()


@pytest.mark.parametrize("width", [375, 1280])
def test_a_csrf_failure_keeps_the_question_and_sends_it_again(page, axe_check, quick_form, width):
    page.set_viewport_size({"width": width, "height": 800})
    page.goto("/faq/ask/")
    text = "Can exosomes from cord tissue be stored at -80 °C for a year?"
    page.get_by_role("textbox", name="Your question").fill(text)
    page.get_by_label("Your email (optional)").fill("robin@example.org")
    page.get_by_label("Email me once when my question is answered").check()
    page.context.clear_cookies()  # the visitor cleared cookies while the page was open
    page.get_by_role("button", name="Send my question").click()
    expect(page.locator("h1")).to_have_text("Not sent yet: please send it again")
    expect(page.get_by_role("textbox", name="Your question")).to_have_value(text)
    expect(page.get_by_label("Your email (optional)")).to_have_value("robin@example.org")
    expect(page.get_by_label("Email me once when my question is answered")).to_be_checked()
    assert axe_check(page) == []
    assert not Submission.objects.exists()
    page.get_by_role("button", name="Send it again").click()
    expect(page.locator("h1")).to_have_text("Thank you, we have your question")
    assert Submission.objects.get().question == text
