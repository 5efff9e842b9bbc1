"""An article's reading aids in a real browser, on a phone and a desktop: the contents,
"Cite this page", and what a printer gets."""

import pytest

pytestmark = pytest.mark.usefixtures("demo")
ARTICLE = "/articles/what-are-exosomes/"


def expect(locator):
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(locator)


def test_on_a_phone_the_contents_wait_collapsed_at_the_top(page, axe_check):
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto(ARTICLE)
    contents = page.locator("details.toc")
    expect(contents).not_to_have_attribute("open", "")
    # Above the text, below the article's header.
    assert contents.bounding_box()["y"] < page.locator(".prose").bounding_box()["y"]
    page.get_by_text("Contents", exact=True).click()
    nav = page.get_by_role("navigation", name="Contents")
    expect(nav).to_be_visible()
    assert axe_check(page) == []
    links = nav.get_by_role("link")
    assert links.count() >= 4
    expect(links.last).to_have_text("References")
    second = links.nth(1)
    target = second.get_attribute("href")
    second.click()
    expect(page).to_have_url(f"{page.url.split('#')[0]}{target}")
    # The section comes to the top of the screen (smooth scrolling: wait for it).
    page.wait_for_function(
        "id => Math.abs(document.querySelector(id).getBoundingClientRect().top) < 200", arg=target
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= 375


def test_on_a_desktop_the_contents_stay_beside_the_text_and_mark_the_section(page, axe_check):
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(ARTICLE)
    contents = page.locator("details.toc")
    expect(contents).to_have_attribute("open", "")
    nav = page.get_by_role("navigation", name="Contents")
    prose = page.locator(".prose").bounding_box()
    assert nav.bounding_box()["x"] > prose["x"] + prose["width"]  # a side column
    links = nav.get_by_role("link")
    expect(links.first).to_have_attribute("aria-current", "true")
    third = links.nth(2)
    # Read on until the third section's heading is near the top of the window.
    page.locator(third.get_attribute("href")).evaluate(
        "heading => window.scrollTo({top: heading.getBoundingClientRect().top + scrollY - 60,"
        " behavior: 'instant'})"
    )
    expect(third).to_have_attribute("aria-current", "true")
    expect(page.locator("nav[aria-label=Contents] a[aria-current]")).to_have_count(1)
    box = nav.bounding_box()
    assert 0 <= box["y"] < 800  # sticky: still on screen far down the article
    # Keyboard: the contents links are reachable and lead to their sections.
    links.nth(3).focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{page.url.split('#')[0]}{links.nth(3).get_attribute('href')}")
    assert axe_check(page) == []


@pytest.mark.parametrize("width", [375, 1280])
def test_cite_this_page(page, axe_check, width):
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(ARTICLE)
    page.get_by_text("Cite this page").click()
    box = page.locator("details.cite-page")
    for style in ("Vancouver", "APA", "AMA"):
        expect(box.get_by_text(style, exact=True)).to_be_visible()
    expect(box).to_contain_text(f"{page.url.split('#')[0]}")
    with page.expect_download() as download:
        box.get_by_role("link", name="RIS").first.click()
    assert download.value.suggested_filename == "what-are-exosomes.ris"
    assert "TY  - ELEC" in download.value.path().read_text(encoding="utf-8")
    with page.expect_download() as download:
        box.get_by_role("link", name="BibTeX").last.click()
    assert download.value.suggested_filename == "what-are-exosomes-references.bib"
    assert "@article{" in download.value.path().read_text(encoding="utf-8")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert axe_check(page) == []


def test_print_gives_the_article_its_dates_and_references_and_nothing_else(page):
    page.goto(ARTICLE)
    page.emulate_media(media="print")
    for hidden in (
        ".site-header",
        ".site-footer",
        ".page-feedback",
        "details.toc",
        "details.cite-page",
        ".see-also",
        ".article-footer",
        ".kicker",
        ".skip-link",
    ):
        for element in page.locator(hidden).all():
            expect(element).to_be_hidden()
    for shown in ("h1", ".lead", ".byline", ".prose", ".references"):
        expect(page.locator(shown).first).to_be_visible()
    byline = page.locator(".byline")
    expect(byline).to_contain_text("Reviewed")
    expect(byline).to_contain_text("Published")
    # A reference's DOI printed in full after its link.
    doi = page.locator(".references a[href^='https://doi.org/']").first
    after = doi.evaluate("link => getComputedStyle(link, '::after').content")
    assert after.startswith('" (https://doi.org/10.')
    pdf = page.pdf()  # Chromium prints it
    assert pdf.startswith(b"%PDF")
