"""Reading levels and pronunciation on a glossary term page (issue 13, item 5), at phone
and desktop widths: switching level by keyboard, the choice remembered on the next term
page (localStorage, no cookie), the links working without JavaScript, the recording in
a native labelled control, and no axe violations in either state."""

import wave
from io import BytesIO

import pytest
from django.core.files.base import ContentFile

WIDTHS = [375, 1280]
TECHNICAL = "An EV of endosomal origin, released when an MVB fuses with the plasma membrane."
PLAIN = "Exosomes are tiny parcels that cells send out."


def expect(target):
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(target)


def wav_bytes():
    buffer = BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(8000)
        out.writeframes(b"\x00\x00" * 1600)
    return buffer.getvalue()


@pytest.fixture
def terms(transactional_db, make_term, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    exosome = make_term(
        name="Exosome",
        slug="exosome",
        short_definition="A tiny parcel released by cells.",
        definition=PLAIN,
        technical_definition=TECHNICAL,
        pronunciation="EK-soh-sohm",
    )
    exosome.pronunciation_audio.save("exosome.wav", ContentFile(wav_bytes()))
    endosome = make_term(
        name="Endosome",
        slug="endosome",
        definition="A sorting room inside the cell.",
        technical_definition="A membrane-bound compartment of the endocytic pathway.",
    )
    return exosome, endosome


def plain_text(page):
    return page.locator("#definition-plain")


def technical_text(page):
    return page.locator("#definition-technical")


def choice(page, name):
    return page.get_by_role("group", name="Reading level:").get_by_role("link", name=name)


def assert_level(page, level):
    shown, hidden = (
        (technical_text(page), plain_text(page))
        if level == "technical"
        else (plain_text(page), technical_text(page))
    )
    expect(shown).to_be_visible()
    expect(hidden).to_be_hidden()
    current = "Technical" if level == "technical" else "Plain language"
    other = "Plain language" if level == "technical" else "Technical"
    expect(choice(page, current)).to_have_attribute("aria-current", "true")
    expect(choice(page, other)).not_to_have_attribute("aria-current", "true")


@pytest.mark.parametrize("width", WIDTHS)
def test_switching_level_by_keyboard(page, axe_check, terms, width):
    exosome, _ = terms
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(exosome.get_absolute_url())
    assert_level(page, "plain")
    assert axe_check(page) == []

    choice(page, "Plain language").focus()
    page.keyboard.press("Tab")
    expect(choice(page, "Technical")).to_be_focused()
    page.keyboard.press("Enter")
    assert_level(page, "technical")
    expect(page.get_by_text(TECHNICAL)).to_be_visible()
    expect(choice(page, "Technical")).to_be_focused()  # no reload: focus stays
    expect(page.locator(".reading-level-status[role=status]")).to_have_text(
        "Showing the technical definition."
    )
    assert page.url.endswith("/glossary/exosome/?level=technical")
    assert axe_check(page) == []
    # The switch fits the phone's width and its links are comfortable targets.
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert choice(page, "Technical").bounding_box()["height"] >= 24

    page.keyboard.press("Shift+Tab")
    expect(choice(page, "Plain language")).to_be_focused()
    page.keyboard.press("Enter")
    assert_level(page, "plain")
    expect(page.locator(".reading-level-status[role=status]")).to_have_text(
        "Showing the plain-language definition."
    )


@pytest.mark.parametrize("width", WIDTHS)
def test_the_choice_is_remembered_on_another_term_page(page, terms, width):
    exosome, endosome = terms
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(exosome.get_absolute_url())
    choice(page, "Technical").click()
    assert page.evaluate("localStorage.getItem('exosite.glossaryLevel')") == "technical"

    page.goto(endosome.get_absolute_url())  # no ?level: the remembered choice applies
    assert_level(page, "technical")
    expect(
        page.get_by_text("A membrane-bound compartment of the endocytic pathway.")
    ).to_be_visible()
    assert page.context.cookies() == [], "remembered without a cookie"

    # An explicit level in the address wins over the remembered one.
    page.goto(f"{exosome.get_absolute_url()}?level=plain")
    assert_level(page, "plain")

    page.goto(endosome.get_absolute_url())
    choice(page, "Plain language").click()
    page.goto(exosome.get_absolute_url())
    assert_level(page, "plain")


@pytest.mark.parametrize("width", WIDTHS)
def test_the_level_links_work_without_javascript(browser, live_server, axe_check, terms, width):
    exosome, endosome = terms
    context = browser.new_context(
        base_url=live_server.url,
        java_script_enabled=False,
        viewport={"width": width, "height": 800},
    )
    try:
        tab = context.new_page()
        tab.goto(exosome.get_absolute_url())
        assert_level(tab, "plain")
        choice(tab, "Technical").click()
        tab.wait_for_url("**/glossary/exosome/?level=technical")
        assert_level(tab, "technical")
        expect(tab.get_by_text(TECHNICAL)).to_be_visible()
        choice(tab, "Plain language").click()
        tab.wait_for_url("**/glossary/exosome/?level=plain")
        assert_level(tab, "plain")
        # Without the script nothing is remembered: the next term opens plain.
        tab.goto(endosome.get_absolute_url())
        assert_level(tab, "plain")
    finally:
        context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_the_pronunciation_and_its_recording(page, axe_check, terms, width):
    exosome, _ = terms
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(exosome.get_absolute_url())
    expect(page.locator(".pronunciation")).to_have_text("Pronunciation: EK-soh-sohm")
    player = page.locator("audio")
    expect(player).to_have_count(1)
    expect(player).to_be_visible()
    assert player.get_attribute("controls") is not None, "the browser's own control"
    label = page.locator(f"#{player.get_attribute('aria-labelledby')}")
    expect(label).to_be_visible()
    expect(label).to_have_text("Hear “Exosome” said aloud")
    assert player.evaluate("element => element.canPlayType('audio/wav')") != ""
    source = player.locator("source")
    assert source.get_attribute("type") == "audio/wav"
    assert source.get_attribute("src").endswith(".wav")
    box = player.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= width
    assert axe_check(page) == []


def test_the_admin_previews_each_definition_beside_its_field(page, terms):
    from django.contrib.auth import get_user_model

    exosome, _ = terms
    get_user_model().objects.create_superuser("editor", "editor@example.org", "a-long-passphrase")
    page.goto("/admin/login/")
    page.get_by_label("Username").fill("editor")
    page.get_by_label("Password").fill("a-long-passphrase")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/admin/")
    page.goto(f"/admin/glossary/term/{exosome.pk}/change/")
    previews = page.locator(".markdown-preview")
    expect(previews).to_have_count(2)
    technical = page.locator(".form-row.field-technical_definition .markdown-preview-body")
    expect(technical).to_contain_text("An EV of endosomal origin")
    page.locator("#id_technical_definition").fill("Now **bold** text.")
    expect(technical.locator("strong")).to_have_text("bold")
    expect(page.get_by_text("MP3, Ogg, WAV or M4A", exact=False)).to_be_visible()
