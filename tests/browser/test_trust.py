import pytest

from articles.models import Article
from trust.models import Feedback

pytestmark = pytest.mark.usefixtures("demo")


def expect(locator):
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(locator)


def test_reader_sees_who_wrote_and_reviewed_and_can_report_a_problem(
    browser, live_server, axe_check, settings
):
    settings.EXOSITE_ASK_MIN_SECONDS = 0
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    tab = context.new_page()
    article = Article.objects.get(slug="exosome-therapies-evidence")
    tab.goto(article.get_absolute_url())
    byline = tab.locator(".byline")
    expect(byline).to_contain_text("PhD, cell biology")
    # Who reviewed this version, and when: the review recorded in the admin.
    reviewer = article.reviewer
    assert article.review_current and reviewer.name == "Daniel Reyes"
    expect(byline.locator("dt:text-is('Reviewed') + dd")).to_have_text(
        f"{article.reviewed_at:%-d %B %Y} by {reviewer.name}, {reviewer.credentials}"
    )
    expect(byline).to_contain_text("Next review due")
    tab.get_by_role("link", name="Daniel Reyes").click()
    expect(tab.locator("h1")).to_have_text("Daniel Reyes")
    expect(tab.get_by_role("link", name=article.title)).to_be_visible()
    tab.goto(article.get_absolute_url())
    tab.get_by_role("link", name="Funding and advertising").click()
    expect(tab.locator("h1")).to_have_text("Funding and advertising")
    tab.goto(article.get_absolute_url())
    tab.get_by_role("link", name="Report a problem with this page").first.click()
    tab.get_by_label("What is wrong?").fill("Reference 2 seems to be out of date.")
    tab.get_by_role("button", name="Send the report").click()
    expect(tab.locator("h1")).to_have_text("Thank you")
    assert Feedback.objects.get().page == article.get_absolute_url()
    context.close()


def test_was_this_page_helpful_then_a_comment(page, axe_check):
    page.goto("/glossary/")
    page.get_by_role("button", name="No").click()
    expect(page.locator("h1")).to_have_text("Thank you for your feedback")
    assert axe_check(page) == []
    page.get_by_label("Anything you would like to add? (optional)").fill("More pictures, please.")
    page.get_by_role("button", name="Send").click()
    feedback = Feedback.objects.get()
    assert (feedback.kind, feedback.page, feedback.comment) == (
        "not-helpful",
        "/glossary/",
        "More pictures, please.",
    )
