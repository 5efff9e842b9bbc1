"""Suggestions that find the answer, in a real browser: the header's type-ahead and the ask
form's 'look before you ask', on the demo content (issue 13, item 6)."""

import pytest

pytestmark = pytest.mark.usefixtures("demo")


def expect(locator):
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(locator)


@pytest.mark.parametrize("width", [375, 1280])
def test_typeahead_offers_dendritic_cells_never_dental_pulp(page, axe_check, width):
    page.set_viewport_size({"width": width, "height": 800})
    page.goto("/articles/")
    box = page.get_by_role("combobox", name="Search the site")
    if not box.is_visible():  # a phone may fold the header's search away
        page.get_by_role("button", name="Search").first.click()
    box.focus()
    page.keyboard.type("dendr", delay=20)
    listbox = page.get_by_role("listbox", name="Search suggestions")
    expect(listbox).to_be_visible()
    options = listbox.get_by_role("option")
    expect(options.first).to_contain_text("Dendritic cell")
    expect(listbox).not_to_contain_text("Dental pulp")
    assert axe_check(page) == []


@pytest.mark.parametrize("width", [375, 1280])
def test_ask_form_shows_the_dementia_entry_for_alzheimers(page, axe_check, width):
    page.set_viewport_size({"width": width, "height": 800})
    page.goto("/faq/ask/")
    page.get_by_label("Your question").press_sequentially(
        "Can exosomes cure Alzheimer's?", delay=10
    )
    panel = page.locator("#ask-suggestions")
    expect(panel).to_be_visible()
    first = panel.locator("li").first
    expect(first.get_by_role("link")).to_have_text(
        "Can exosomes treat stroke, dementia or Parkinson's disease?"
    )
    expect(first).to_contain_text("(FAQ)")
    assert axe_check(page) == []
    first.get_by_role("link").click()
    page.wait_for_url("**/faq/exosomes-for-brain-conditions/")
