"""English and Spanish in a real browser (issue 17): the language switcher by mouse and
keyboard, a Spanish visitor's journey (read, tooltip, search, ask), axe on Spanish pages."""

import re

import pytest

from articles.models import Article
from faq.models import Submission
from glossary.models import Term

pytestmark = pytest.mark.usefixtures("demo")


def expect(locator_or_page):
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(locator_or_page)


def spanish(model, english_slug):
    return model.objects.published().get(language="es", translation_of__slug=english_slug)


def test_the_switcher_keeps_the_visitor_on_the_same_article(page):
    english = Article.objects.published().get(language="en", slug="what-are-exosomes")
    translation = spanish(Article, "what-are-exosomes")
    page.goto(english.get_absolute_url())
    switcher = page.get_by_role("navigation", name="Language")
    switcher.get_by_role("link", name="Español").click()
    expect(page).to_have_url(re.compile(re.escape(translation.get_absolute_url()) + "$"))
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.locator("h1")).to_have_text(translation.title)
    # And back, with the keyboard: focus the link and press Enter.
    back = page.get_by_role("navigation", name="Idioma").get_by_role("link", name="English")
    back.focus()
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text(english.title)
    expect(page.locator("html")).to_have_attribute("lang", "en")


def test_a_page_without_a_translation_says_so_and_links_back(page):
    untranslated = Term.objects.published().filter(language="en", translations__isnull=True).first()
    assert untranslated is not None, "the demo has English terms without a Spanish one"
    page.goto(untranslated.get_absolute_url())
    page.get_by_role("navigation", name="Language").get_by_role("link", name="Español").click()
    expect(page.locator("h1")).to_have_text("Esta página aún no está disponible en español")
    page.get_by_role("link", name=untranslated.name).click()
    expect(page.locator("h1")).to_have_text(untranslated.name)


def test_a_spanish_reader_reads_a_tooltip_searches_and_asks(page, settings):
    settings.EXOSITE_ASK_MIN_SECONDS = 0
    article = spanish(Article, "what-are-exosomes")
    page.goto(article.get_absolute_url())
    # Terms link to the Spanish glossary, and their tooltip gives the Spanish definition.
    link = page.locator("main a.term-link[href^='/es/glossary/']").first
    expect(link).to_be_visible()
    term = Term.objects.get(language="es", slug=link.get_attribute("href").split("/")[-2])
    assert not page.locator("main a.term-link[href^='/glossary/']").count()
    link.focus()
    tooltip = page.locator(f"#{link.get_attribute('aria-describedby').split()[-1]}")
    expect(tooltip).to_be_visible()
    expect(tooltip).to_have_text(term.short_definition)

    # Search without accents finds the accented Spanish words.
    box = page.get_by_role("search").get_by_label("Buscar en el sitio")
    box.fill("vesiculas extracelulares")
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"/es/search/\?"))
    results = page.locator("main").get_by_role("link", name="Vesícula extracelular")
    expect(results.first).to_be_visible()

    # Ask, in Spanish: the form, its errors and the thanks page speak Spanish.
    page.goto("/es/faq/ask/")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    page.locator("textarea[name=question]").fill(
        "¿Los exosomas de cordón umbilical conservan su actividad después de congelarlos?"
    )
    page.locator("form.ask-form button[type=submit], main form button[type=submit]").last.click()
    expect(page.locator("html")).to_have_attribute("lang", "es")
    submission = Submission.objects.get()
    assert submission.question.startswith("¿Los exosomas")


@pytest.mark.parametrize(
    "path",
    [
        "/es/",
        "/es/articles/",
        "/es/articles/que-son-los-exosomas/",
        "/es/glossary/",
        "/es/glossary/exosoma/",
        "/es/faq/",
        "/es/faq/ask/",
        "/es/search/?q=exosoma",
        "untranslated",
    ],
)
def test_spanish_pages_pass_axe(page, axe_check, path):
    if path == "untranslated":  # the page saying an item is not in Spanish yet
        term = Term.objects.published().filter(language="en", translations__isnull=True).first()
        path = f"/es/glossary/{term.slug}/"
    page.goto(path)
    expect(page.locator("html")).to_have_attribute("lang", "es")
    assert axe_check(page) == []
