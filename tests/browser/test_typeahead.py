"""The header search box: type-ahead by keyboard, accessible, and a plain form without JS."""

import contextlib
import re

import pytest

pytestmark = pytest.mark.usefixtures("demo")


def expect(locator):
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(locator)


def header_box(page):
    return page.get_by_role("combobox", name="Search the site")


def test_pick_a_term_from_the_suggestions_with_the_keyboard(page):
    page.goto("/articles/")
    box = header_box(page)
    expect(box).to_have_attribute("aria-expanded", "false")
    box.focus()
    page.keyboard.type("dendritic", delay=20)
    listbox = page.get_by_role("listbox", name="Search suggestions")
    expect(listbox).to_be_visible()
    expect(box).to_have_attribute("aria-expanded", "true")
    options = listbox.get_by_role("option")
    expect(options.first).to_contain_text("Dendritic cell")
    expect(options.first).to_contain_text("Glossary term")
    expect(page.get_by_role("status").filter(has_text="suggestion")).to_have_count(1)

    page.keyboard.press("ArrowDown")
    first_id = options.first.get_attribute("id")
    expect(box).to_have_attribute("aria-activedescendant", first_id)
    expect(options.first).to_have_attribute("aria-selected", "true")
    expect(box).to_be_focused()
    # Up from the first wraps to the last, Down comes back.
    page.keyboard.press("ArrowUp")
    expect(options.last).to_have_attribute("aria-selected", "true")
    page.keyboard.press("ArrowDown")
    expect(options.first).to_have_attribute("aria-selected", "true")

    page.keyboard.press("Enter")
    page.wait_for_url("**/glossary/dendritic-cell/")
    expect(page.locator("h1")).to_contain_text("Dendritic cell")


def test_escape_closes_then_enter_searches_as_typed(page):
    page.goto("/articles/")  # the header's search box: the home page has its own
    box = header_box(page)
    box.focus()
    page.keyboard.type("vesicles", delay=20)
    listbox = page.get_by_role("listbox", name="Search suggestions").first
    expect(listbox).to_be_visible()
    page.keyboard.press("Escape")
    expect(listbox).to_be_hidden()
    expect(box).to_have_attribute("aria-expanded", "false")
    expect(box).to_have_value("vesicles")
    # Enter with no suggestion chosen submits what was typed, list open or not.
    page.keyboard.type(" -cancer")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/search/\?q=vesicles\+-cancer$"))
    expect(page.locator(".result-count")).to_contain_text("for “vesicles -cancer”")
    expect(page.locator(".search-result mark").first).to_be_visible()


def test_suggestions_arriving_after_escape_stay_closed(page):
    """A slow answer (a busy server) must not reopen the list the visitor closed: the list
    is open for "vesicle", the answer for "vesicles" is held, Escape closes the list, and
    then the answer arrives."""
    held = []
    page.route(re.compile(r".*/search/suggest/\?q=vesicles$"), lambda route: held.append(route))
    page.goto("/articles/")
    box = header_box(page)
    box.focus()
    page.keyboard.type("vesicle", delay=20)
    listbox = page.get_by_role("listbox", name="Search suggestions").first
    expect(listbox).to_be_visible()
    page.keyboard.type("s")
    for _ in range(50):
        if held:
            break
        page.wait_for_timeout(50)
    assert held, "the suggestion request was not made"
    page.keyboard.press("Escape")
    expect(listbox).to_be_hidden()
    for route in held:  # the answer arrives now, after Escape
        with contextlib.suppress(Exception):  # aborted by the page: nothing to answer
            route.continue_()
    page.wait_for_timeout(500)
    expect(listbox).to_be_hidden()
    expect(box).to_have_attribute("aria-expanded", "false")


def test_suggestions_open_pass_axe(page, axe_check):
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        page.goto("/articles/")
        header_box(page).focus()
        page.keyboard.type("exo", delay=20)
        expect(page.get_by_role("listbox", name="Search suggestions").first).to_be_visible()
        page.keyboard.press("ArrowDown")
        assert axe_check(page) == [], scheme


def test_search_results_page_passes_axe(page, axe_check):
    for url in ("/search/?q=vesicles+-cancer", "/search/?q=zzzzqqq", "/search/"):
        page.goto(url)
        assert axe_check(page) == [], url


def test_the_search_form_works_without_javascript(browser, live_server):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    tab = context.new_page()
    tab.goto("/glossary/")
    box = tab.get_by_role("searchbox", name="Search the site")
    expect(box).not_to_have_attribute("role", "combobox")
    box.fill("dendritic cells")
    box.press("Enter")
    tab.wait_for_url(re.compile(r"/search/\?q=dendritic\+cells$"))
    first = tab.locator(".search-result").first
    expect(first.locator(".result-title")).to_have_text("Dendritic cell")
    expect(first.locator("mark").first).to_be_visible()
    context.close()
