import pytest

from articles.models import Article
from faq.models import Question

pytestmark = pytest.mark.usefixtures("demo")


def expect(locator):
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(locator)


def test_open_an_article_from_the_home_page(page):
    page.goto("/")
    first = page.locator(".cards .card-title a").first
    title = first.inner_text()
    first.click()
    expect(page.locator("h1")).to_have_text(title)
    article = Article.objects.get(title=title)
    assert page.url.endswith(article.get_absolute_url())
    expect(page.locator(".references li").first).to_be_visible()


def test_jump_to_a_letter_in_the_glossary(page):
    page.goto("/glossary/")
    page.get_by_role("navigation", name="Glossary letters").get_by_role("link", name="W").click()
    assert page.url.endswith("#letter-W")
    heading = page.locator("#heading-W")
    expect(heading).to_be_in_viewport()
    expect(page.locator("#letter-W dt a").first).to_be_in_viewport()


def test_open_an_faq_answer(page):
    question = Question.objects.published().first()
    page.goto("/faq/")
    details = page.locator("details.faq-item", has=page.get_by_text(question.question, exact=True))
    answer = details.locator(".prose")
    expect(answer).to_be_hidden()
    details.locator("summary").click()
    expect(details).to_have_attribute("open", "")
    expect(answer).to_be_visible()


def test_open_an_faq_answer_with_the_keyboard(page):
    page.goto("/faq/")
    summary = page.locator("details.faq-item summary").first
    summary.focus()
    page.keyboard.press("Enter")
    expect(page.locator("details.faq-item").first).to_have_attribute("open", "")


def test_skip_link_is_the_first_stop_and_moves_to_main(page):
    page.goto("/articles/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    assert page.url.endswith("#main")


def test_pages_fit_a_phone_screen(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 360, "height": 740})
    tab = context.new_page()
    article = Article.objects.published().first()
    for path in ("/", "/articles/", article.get_absolute_url(), "/glossary/", "/faq/"):
        tab.goto(path)
        overflow = tab.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px on a phone"
    context.close()
