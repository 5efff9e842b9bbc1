"""Search in each language in a browser, on the demo content: type-ahead on Spanish pages
offers Spanish titles only (accents or not), and a search whose only matches are in the
other language offers them apart, with links, axe-clean at 1280 and 375 px."""

import pytest

pytestmark = pytest.mark.usefixtures("demo")


def expect(locator):
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(locator)


def test_type_ahead_on_spanish_pages_offers_spanish_titles(page):
    page.goto("/es/articles/")
    box = page.get_by_role("combobox", name="Buscar en el sitio")
    box.focus()
    page.keyboard.type("vesicula", delay=20)  # without its accent
    options = page.get_by_role("listbox").first.get_by_role("option")
    expect(options.first).to_contain_text("Vesícula")
    titles = options.all_inner_texts()
    assert titles and all("esicle" not in title for title in titles)
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_url("**/es/**")
    expect(page.locator("html")).to_have_attribute("lang", "es")


@pytest.mark.parametrize("width", [1280, 375])
def test_english_matches_are_offered_apart_on_a_spanish_search(page, axe_check, width):
    page.set_viewport_size({"width": width, "height": 800})
    page.goto("/es/search/?q=nanoparticle+tracking")
    expect(page.locator("ol.search-results")).to_have_count(0)
    offer = page.locator("section.search-elsewhere")
    expect(offer.get_by_role("heading")).to_contain_text("No hay resultados en español")
    first = offer.locator("a[hreflang='en'][lang='en']").first
    expect(first).to_be_visible()
    assert axe_check(page) == []
    offer.get_by_role("link", name="Ver los").click()
    page.wait_for_url("**/search/?q=nanoparticle+tracking")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("ol.search-results li").first).to_be_visible()
