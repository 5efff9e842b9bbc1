"""The glossary tooltip on auto-linked terms: mouse, keyboard, touch, no JavaScript, axe.

Each test makes its own term and article, so the wording of the demo content does not
matter; the content pipeline links the term where the article first mentions it.
"""

import pytest

TERM_NAME = "Multivesicular body"
DEFINITION = (
    "A late endosome filled with small vesicles; when it fuses with the cell membrane, "
    'those vesicles are released as exosomes. <b>Not bold</b> & "quoted".'
)
# As long as a short definition may be (300 characters): the widest tooltip there is.
LONG_DEFINITION = (
    "A late endosome whose limiting membrane buds inwards to form many intraluminal "
    "vesicles; when it fuses with the plasma membrane instead of a lysosome, those vesicles "
    "leave the cell as exosomes, carrying proteins, lipids and RNA from their parent cell "
    "to cells nearby or far through blood."
)
assert len(LONG_DEFINITION) <= 300  # the field's limit (PostgreSQL enforces it)
FILLER = "\n\n".join(
    f"Paragraph {n} says something about cells and the small particles they release."
    for n in range(1, 25)
)
PHONE = {"width": 360, "height": 740}


def expect(locator_or_page):
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(locator_or_page)


@pytest.fixture
def term(transactional_db, make_term):
    return make_term(
        name=TERM_NAME, slug="multivesicular-body", short_definition=DEFINITION, aliases=""
    )


@pytest.fixture
def article(term, make_article):
    return make_article(
        title="How exosomes are made",
        slug="how-exosomes-are-made",
        body=(
            "Cells sort cargo into a multivesicular body before release.\n\n"
            "A second multivesicular body mention is not linked again."
        ),
    )


def term_link(tab, term):
    """The auto-linked mention of `term` in the article body."""
    return tab.locator(f'main a.term-link[href="{term.get_absolute_url()}"]')


def open_article(tab, article, term):
    tab.goto(article.get_absolute_url())
    expect(term_link(tab, term)).to_have_count(1)
    return term_link(tab, term)


def tooltip_of(tab, link):
    """The element the link's aria-describedby points at."""
    ids = link.get_attribute("aria-describedby")
    assert ids, "the term link has no aria-describedby"
    return tab.locator(f"#{ids.split()[-1]}")


def box(locator):
    return locator.bounding_box()


@pytest.fixture
def new_tab(browser, live_server):
    """Open tabs in contexts of one's own (touch, no JavaScript); fail on console errors."""
    contexts = []
    errors = []

    def open_tab(**options):
        options.setdefault("viewport", {"width": 1280, "height": 800})
        context = browser.new_context(base_url=live_server.url, **options)
        contexts.append(context)
        tab = context.new_page()
        tab.on(
            "console",
            lambda msg: errors.append(msg.text) if msg.type == "error" else None,
        )
        tab.on("pageerror", lambda exc: errors.append(str(exc)))
        return tab

    yield open_tab
    for context in contexts:
        context.close()
    assert errors == [], f"Browser console errors: {errors}"


@pytest.fixture
def phone(new_tab):
    return new_tab(has_touch=True, is_mobile=True, viewport=PHONE)


# Mouse


def test_hovering_a_term_shows_its_definition_and_leaving_hides_it(page, article, term):
    link = open_article(page, article, term)
    tooltip = tooltip_of(page, link)
    expect(tooltip).to_be_hidden()

    link.hover()
    expect(tooltip).to_be_visible()
    # Text, not markup: the definition's "<b>" and quotes are shown as written.
    expect(tooltip).to_have_text(DEFINITION)
    assert tooltip.locator("b").count() == 0
    link_box, tip_box = box(link), box(tooltip)
    assert tip_box["y"] >= link_box["y"] + link_box["height"], "below the term"

    page.mouse.move(5, 5)
    expect(tooltip).to_be_hidden()


def test_the_pointer_can_move_onto_the_tooltip_without_it_closing(page, article, term):
    link = open_article(page, article, term)
    tooltip = tooltip_of(page, link)
    link.hover()
    expect(tooltip).to_be_visible()

    # Travel in small steps, crossing the gap between the term and the tooltip.
    tip = box(tooltip)
    page.mouse.move(tip["x"] + 20, tip["y"] + tip["height"] / 2, steps=15)
    page.wait_for_timeout(600)  # longer than the grace period for leaving the term
    expect(tooltip).to_be_visible()

    page.mouse.move(5, 5)
    expect(tooltip).to_be_hidden()


def test_a_pointer_passing_over_a_term_does_not_open_it(page, article, term):
    link = open_article(page, article, term)
    tooltip = tooltip_of(page, link)
    link.hover()
    page.mouse.move(5, 5)
    page.wait_for_timeout(600)
    expect(tooltip).to_be_hidden()


def test_a_mouse_click_follows_the_link(page, article, term):
    link = open_article(page, article, term)
    link.click()
    page.wait_for_url(f"**{term.get_absolute_url()}")
    expect(page.locator("h1")).to_have_text(TERM_NAME)


# Keyboard and screen readers


def test_the_term_is_described_by_a_tooltip_holding_its_definition(page, article, term):
    link = open_article(page, article, term)
    described_by = link.get_attribute("aria-describedby")
    tooltip = page.locator(f"#{described_by}")
    expect(tooltip).to_have_count(1)
    expect(tooltip).to_have_attribute("role", "tooltip")
    expect(tooltip).to_have_text(DEFINITION)
    # What assistive technology gets: the link's accessible description.
    expect(link).to_have_accessible_description(DEFINITION)
    expect(link).to_have_accessible_name("multivesicular body")
    assert link.get_attribute("title") is None


def test_tabbing_to_a_term_shows_it_and_escape_hides_it_keeping_focus(page, article, term):
    link = open_article(page, article, term)
    tooltip = tooltip_of(page, link)
    for _ in range(60):
        page.keyboard.press("Tab")
        if link.evaluate("el => el === document.activeElement"):
            break
    expect(link).to_be_focused()
    expect(tooltip).to_be_visible()
    expect(tooltip).to_have_text(DEFINITION)

    page.keyboard.press("Escape")
    expect(tooltip).to_be_hidden()
    expect(link).to_be_focused()

    # Moving on closes it for good; coming back opens it again.
    page.keyboard.press("Tab")
    expect(link).not_to_be_focused()
    page.keyboard.press("Shift+Tab")
    expect(link).to_be_focused()
    expect(tooltip).to_be_visible()


def test_enter_on_a_focused_term_follows_the_link(page, article, term):
    link = open_article(page, article, term)
    link.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith(term.get_absolute_url())


# Touch


def test_first_tap_shows_the_definition_and_second_tap_follows_the_link(phone, article, term):
    link = open_article(phone, article, term)
    tooltip = tooltip_of(phone, link)
    phone.evaluate("window.sameDocument = true")

    link.tap()
    expect(tooltip).to_be_visible()
    expect(tooltip).to_have_text(DEFINITION)
    assert phone.url.endswith(article.get_absolute_url())
    assert phone.evaluate("window.sameDocument === true"), "the first tap navigated"

    with phone.expect_navigation():
        link.tap()
    assert phone.url.endswith(term.get_absolute_url())
    expect(phone.locator("h1")).to_have_text(TERM_NAME)


def test_tapping_elsewhere_closes_the_tooltip(phone, article, term):
    link = open_article(phone, article, term)
    tooltip = tooltip_of(phone, link)
    link.tap()
    expect(tooltip).to_be_visible()

    phone.locator("h1").tap()
    expect(tooltip).to_be_hidden()
    assert phone.url.endswith(article.get_absolute_url())

    # Closed, the next tap on the term shows the definition again instead of navigating.
    link.tap()
    expect(tooltip).to_be_visible()
    assert phone.url.endswith(article.get_absolute_url())


def test_on_a_phone_the_tooltip_stays_inside_the_viewport(phone, make_term, make_article):
    long_term = make_term(name="Endosomal sorting", slug="endosomal-sorting")
    long_term.short_definition = LONG_DEFINITION
    long_term.save()
    article = make_article(body="Exosomes start with endosomal sorting inside the cell.")
    link = open_article(phone, article, long_term)
    tooltip = tooltip_of(phone, link)

    link.tap()
    expect(tooltip).to_be_visible()
    tip = box(tooltip)
    assert tip["x"] >= 0
    assert tip["x"] + tip["width"] <= PHONE["width"]
    assert tip["y"] >= 0
    assert tip["y"] + tip["height"] <= PHONE["height"]
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_near_the_bottom_of_the_screen_the_tooltip_opens_above(phone, term, make_article):
    article = make_article(body=f"{FILLER}\n\nCargo gathers in a multivesicular body.\n\n{FILLER}")
    link = open_article(phone, article, term)
    tooltip = tooltip_of(phone, link)
    link.evaluate("el => el.scrollIntoView({block: 'end'})")

    link.tap()
    expect(tooltip).to_be_visible()
    link_box, tip = box(link), box(tooltip)
    assert tip["y"] + tip["height"] <= link_box["y"], "above the term"
    assert tip["y"] >= 0


# Without JavaScript


def test_without_javascript_a_term_is_a_plain_link(new_tab, article, term):
    tab = new_tab(java_script_enabled=False)
    link = open_article(tab, article, term)
    expect(link).to_have_attribute("data-definition", DEFINITION)
    assert link.get_attribute("aria-describedby") is None
    expect(tab.locator("[role=tooltip]")).to_have_count(0)

    link.click()
    assert tab.url.endswith(term.get_absolute_url())
    expect(tab.locator("h1")).to_have_text(TERM_NAME)


# Accessibility and colour schemes

SURFACE = {"light": "rgb(255, 255, 255)", "dark": "rgb(26, 32, 41)"}


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_nothing_with_a_tooltip_open(page, axe_check, article, term, scheme):
    page.emulate_media(color_scheme=scheme)
    link = open_article(page, article, term)
    tooltip = tooltip_of(page, link)
    link.focus()
    expect(tooltip).to_be_visible()
    expect(tooltip).to_have_css("background-color", SURFACE[scheme])
    # Let the opening fade finish so axe measures the final colours.
    page.evaluate("Promise.all(document.getAnimations().map(a => a.finished)).then(() => null)")
    assert axe_check(page) == []


def test_reduced_motion_opens_the_tooltip_without_animation(page, article, term):
    page.emulate_media(reduced_motion="reduce")
    link = open_article(page, article, term)
    tooltip = tooltip_of(page, link)
    link.focus()
    expect(tooltip).to_be_visible()
    expect(tooltip).to_have_css("animation-name", "none")
