"""The interface in Spanish under /es/ and unchanged in English: navigation, headings, forms
and their errors, plurals, dates, the words the scripts say and the answer email."""

import re
from datetime import UTC, datetime

import pytest
from django.template.loader import render_to_string
from django.test import Client
from django.utils import translation

from exosite.kernel import linking

pytestmark = pytest.mark.django_db

SPANISH_CHROME = [
    "Ir al contenido",
    ">Artículos</a>",
    ">Glosario</a>",
    ">Preguntas frecuentes</a>",
    ">Etiquetas</a>",
    "¿Le resultó útil esta página?",
    "Informar de un problema con esta página",
    ">Política editorial</a>",
]
ENGLISH_CHROME = [
    "Skip to content",
    ">Articles</a>",
    ">Glossary</a>",
    ">FAQ</a>",
    ">Tags</a>",
    "Was this page helpful?",
    "Report a problem with this page",
    ">Editorial policy</a>",
]


def text(response):
    assert response.status_code in (200, 400, 404), response.status_code
    return response.content.decode()


def heading(html):
    return re.sub(r"<[^>]+>", "", re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S).group(1)).strip()


@pytest.mark.parametrize(
    ("path", "spanish_heading"),
    [
        ("/es/glossary/", "Glosario de la A a la Z"),
        ("/es/faq/", "Preguntas frecuentes"),
        ("/es/faq/ask/", "Haga una pregunta"),
        ("/es/articles/", "Artículos"),
        ("/es/tags/", "Etiquetas"),
        ("/es/search/", "Buscar"),
        ("/es/no-such-page/", "No encontramos esa página"),
    ],
)
def test_spanish_pages_speak_spanish(client, path, spanish_heading):
    html = text(client.get(path))
    assert heading(html) == spanish_heading
    for words in SPANISH_CHROME:
        assert words in html, words
    for words in ENGLISH_CHROME:
        assert words not in html, words


@pytest.mark.parametrize(
    ("path", "english_heading"),
    [
        ("/glossary/", "Glossary A–Z"),
        ("/faq/", "Frequently asked questions"),
        ("/faq/ask/", "Ask a question"),
        ("/articles/", "Articles"),
        ("/tags/", "Tags"),
        ("/search/", "Search"),
        ("/no-such-page/", "We could not find that page"),
    ],
)
def test_english_pages_keep_their_words(client, path, english_heading):
    html = text(client.get(path))
    assert heading(html) == english_heading
    for words in ENGLISH_CHROME:
        assert words in html, words
    for words in SPANISH_CHROME:
        assert words not in html, words


def test_the_search_box_and_its_script_words_are_spanish(client):
    html = text(client.get("/es/"))
    assert 'placeholder="p. ej., células dendríticas"' in html
    assert 'data-suggest-label="Sugerencias de búsqueda"' in html
    assert (
        'data-suggest-other="{n} sugerencias. Use las flechas arriba y abajo para elegir."' in html
    )
    assert ">Buscar</button>" in html


def test_the_ask_form_refuses_in_spanish_and_keeps_what_was_typed(client):
    page = text(client.get("/es/faq/ask/"))
    assert "Su pregunta" in page
    assert 'data-left-other="Quedan {n} caracteres"' in page
    response = client.post(
        "/es/faq/ask/",
        {"question": "¿Qué?", "email": "no es un correo", "started": "x"},
    )
    html = text(response)
    assert "Hay un problema" in html
    assert "Su pregunta todavía no se ha enviado." in html
    assert "Escriba un poco más (al menos 10 caracteres)." in html
    assert "Escriba una dirección de correo como nombre@ejemplo.org, o déjelo vacío." in html
    assert "¿Qué?</textarea>" in html


def test_the_ask_form_refuses_in_english_as_before(client):
    html = text(client.post("/faq/ask/", {"question": "What?", "started": "x"}))
    assert "There is a problem" in html
    assert "Please write a little more (at least 10 characters)." in html


DAY = datetime(2026, 12, 7, 9, 30, tzinfo=UTC)


def test_dates_read_naturally_in_each_language(make_article):
    article = make_article(published_at=DAY)
    with translation.override("en"):
        english = render_to_string("includes/article_card.html", {"article": article})
    with translation.override("es"):
        spanish = render_to_string("includes/article_card.html", {"article": article})
    assert ">7 December 2026</time>" in english
    assert ">7 de diciembre de 2026</time>" in spanish


def test_the_month_of_the_next_review_in_each_language():
    context = {"d": DAY}
    template = "{{ d|date:'YEAR_MONTH_FORMAT' }}"
    from django.template import engines

    compiled = engines["django"].from_string(template)
    with translation.override("en"):
        assert compiled.render(context) == "December 2026"
    with translation.override("es"):
        assert compiled.render(context) == "diciembre de 2026"


@pytest.mark.parametrize(
    ("minutes", "english", "spanish"),
    [
        (1, "paused for 1 minute.", "en pausa durante 1 minuto."),
        (5, "paused for 5 minutes.", "en pausa durante 5 minutos."),
    ],
)
def test_plurals_follow_the_number(rf, minutes, english, spanish):
    context = {"failure_limit": 5, "minutes": minutes, "request": rf.get("/")}
    with translation.override("en"):
        assert english in render_to_string("axes/locked_out.html", context)
    with translation.override("es"):
        assert spanish in render_to_string("axes/locked_out.html", context)


def test_the_answer_email_in_spanish():
    context = {
        "submission": {"name": "Ana", "question": "¿Qué es un exosoma?"},
        "answer_text": "Una vesícula diminuta.",
        "answer_html": "<p>Una vesícula diminuta.</p>",
        "references": [],
        "entry_url": "",
        "entry_in_review": True,
        "site_url": "https://example.org/",
        "retention_days": 90,
    }
    with translation.override("es"):
        text_part = render_to_string("faq/email/visitor_answer.txt", context)
        html_part = render_to_string("faq/email/visitor_answer.html", context)
    assert text_part.startswith("Hola, Ana:\n\nGracias por su pregunta a Exosite. Usted preguntó:")
    assert "90 días después de nuestra respuesta." in text_part
    assert "<p>Hola, Ana:</p>" in html_part
    with translation.override("en"):
        english = render_to_string("faq/email/visitor_answer.txt", context)
    assert english.startswith("Hello Ana,\n\nThank you for your question to Exosite. You asked:")
    assert "records 90 days after we answered." in english


def test_kind_labels_and_form_labels_follow_the_language():
    from exosite.kernel import kinds
    from faq.forms import AskForm

    with translation.override("es"):
        assert kinds.get("glossary").singular_label == "Término del glosario"
        assert kinds.get("article").plural_label == "Artículos"
        assert str(AskForm().fields["name"].label) == "Su nombre (opcional)"
    with translation.override("en"):
        assert kinds.get("glossary").singular_label == "Glossary term"
        assert kinds.get("article").plural_label == "Articles"
        assert str(AskForm().fields["name"].label) == "Your name (optional)"


def test_cite_this_page_adds_its_words_in_the_pages_language():
    from exosite.kernel import cite

    item = cite.page_item(
        cite.Page(
            key="x",
            title="What are exosomes?",
            authors=("Daniel Reyes",),
            site="Exosite",
            url="https://exosite.example/articles/x/",
            published=DAY.date(),
        )
    )
    with translation.override("en"):
        english = dict(cite.formatted(item))
    with translation.override("es"):
        spanish = dict(cite.formatted(item))
    assert "Available from: https://exosite.example/articles/x/" in english["Vancouver"]
    assert "Disponible en: https://exosite.example/articles/x/" in spanish["Vancouver"]
    assert "December 7, 2026" in english["AMA"]
    assert "7 de diciembre de 2026" in spanish["AMA"]


@pytest.mark.parametrize(
    ("language", "title", "heading"),
    [
        ("en", "<title>Something went wrong · Exosite</title>", "Something went wrong on our side"),
        ("es", "<title>Algo salió mal · Exosite</title>", "Algo salió mal por nuestra parte"),
    ],
)
def test_the_error_page_says_its_language(language, title, heading):
    with translation.override(language):
        html = render_to_string("500.html")
    assert f'<html lang="{language}">' in html
    assert title in html
    assert f"<h1>{heading}</h1>" in html


@pytest.mark.parametrize("path", ["/", "/glossary/", "/faq/", "/faq/ask/", "/articles/", "/tags/"])
def test_the_spanish_interface_costs_no_query_more(client, path):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as english:
        assert client.get(path).status_code == 200
    with CaptureQueriesContext(connection) as spanish:
        assert client.get(f"/es{path}").status_code == 200
    assert len(spanish) == len(english)


def test_citations_and_their_links_back_are_named_in_each_language(make_article):
    article = make_article(body="Vesicles [1, 2, 3] and more [1].", references=3)
    english = text(Client().get(article.get_absolute_url()))
    assert 'aria-label="References 1 to 3">1</a>' in english
    assert 'aria-label="Back to citation 1 in the text, 1st of 2">1st</a>' in english
    with translation.override("es"):
        rendered = render_to_string(
            "includes/references.html",
            {"references": [{"number": 1, "reference": None, "cited_at": ["a", "b"]}]},
        )
        name = linking.reference_name(2)
    assert 'aria-label="Volver a la cita 1 en el texto, 1.ª de 2">1.ª</a>' in rendered
    assert 'aria-label="Volver a la cita 1 en el texto, 2.ª de 2">2.ª</a>' in rendered
    assert name == "Referencia 2"
