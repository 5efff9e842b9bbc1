"""What the site's scripts say on a Spanish page is Spanish: the type-ahead's list and its
count, the ask form's character counter and the glossary's reading-level switch."""

import re

import pytest
from django.conf import settings

pytestmark = pytest.mark.usefixtures("demo")


def expect(locator):
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(locator)


def test_the_type_ahead_speaks_spanish_on_a_spanish_page(page):
    page.goto("/es/articles/")
    box = page.get_by_role("combobox", name="Buscar en el sitio")
    box.focus()
    page.keyboard.type("exos", delay=20)
    listbox = page.get_by_role("listbox", name="Sugerencias de búsqueda")
    expect(listbox).to_be_visible()
    status = page.get_by_role("status").filter(has_text="Use las flechas arriba y abajo")
    expect(status).to_have_count(1)
    expect(status).to_have_text(
        re.compile(r"^\d+ sugerencias?\. Use las flechas arriba y abajo para elegir\.$")
    )


def test_the_ask_counter_counts_in_spanish(page):
    page.goto("/es/faq/ask/")
    question = page.get_by_label("Su pregunta")
    limit = settings.EXOSITE_QUESTION_MAX_LENGTH
    question.fill("a" * (limit - 5))
    expect(page.locator("#question-counter")).to_have_text("Quedan 5 caracteres")
    question.fill("a" * (limit - 1))
    expect(page.locator("#question-counter")).to_have_text("Queda 1 carácter")


def test_the_ask_counter_in_english_as_before(page):
    page.goto("/faq/ask/")
    question = page.get_by_label("Your question")
    question.fill("a" * (settings.EXOSITE_QUESTION_MAX_LENGTH - 5))
    expect(page.locator("#question-counter")).to_have_text("5 characters left")
