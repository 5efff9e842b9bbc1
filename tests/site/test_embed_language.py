"""The embeddable glossary in every language (issue 17, item 5): a term index per language
with its own immutable name, the script naming each, cards in the item's language with the
card's words in it, and oEmbed for Spanish term and FAQ addresses."""

import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from exosite.models import Status
from faq.models import Topic

pytestmark = pytest.mark.django_db

INDEXES = re.compile(r"var INDEXES = (\{[^}]*\});")


def indexes(client):
    """{language: versioned index address} as the script names them."""
    script = client.get("/embed/glossary.js").content.decode()
    return json.loads(INDEXES.search(script).group(1))


@pytest.fixture
def terms(make_term):
    english = make_term(name="Exosome", slug="exosome", short_definition="A small vesicle.")
    make_term(
        name="Exosoma",
        slug="exosoma",
        short_definition="Una vesícula pequeña.",
        language="es",
        translation_of=english,
        aliases="exosomas pequeños",
    )
    make_term(name="Borrador", slug="borrador", language="es", status=Status.DRAFT)
    return english


def test_the_script_names_an_index_per_language_each_its_own_name(client, terms):
    named = indexes(client)
    assert set(named) == {"en", "es"}
    assert re.fullmatch(r"/embed/glossary/index\.[0-9a-f]{32}\.json", named["en"])
    assert re.fullmatch(r"/embed/glossary/index\.es\.[0-9a-f]{32}\.json", named["es"])
    english = json.loads(client.get(named["en"]).content)
    spanish_response = client.get(named["es"])
    spanish = json.loads(spanish_response.content)
    assert english["url"] == "/glossary/{slug}/"
    assert [entry[:3] for entry in english["terms"]] == [["exosome", "Exosome", "A small vesicle."]]
    assert spanish["url"] == "/es/glossary/{slug}/"
    assert spanish["terms"] == [
        ["exosoma", "Exosoma", "Una vesícula pequeña.", "", "exosomas pequeños"]
    ]
    assert spanish_response["Cache-Control"] == "public, max-age=31536000, immutable"
    assert spanish_response["Content-Language"] == "es"


def test_the_same_glossary_in_two_languages_never_shares_a_name(client):
    """Even two empty glossaries: each language's index names its own pages."""
    named = indexes(client)
    assert named["en"].rsplit(".", 2)[-2] != named["es"].rsplit(".", 2)[-2]


def test_a_stale_spanish_index_moves_to_the_current_spanish_one(client, terms):
    old = indexes(client)["es"]
    spanish = terms.translations.get()
    spanish.short_definition = "Cambiada."
    spanish.save()
    current = indexes(client)["es"]
    assert current != old
    moved = client.get(old)
    assert moved.status_code == 302 and moved["Location"] == current
    # English did not change: its index keeps its name.
    assert client.get(indexes(client)["en"]).status_code == 200


def test_the_unversioned_index_takes_lang(client, terms):
    spanish = client.get("/embed/glossary/index.json?lang=es")
    english = client.get("/embed/glossary/index.json")
    assert json.loads(spanish.content)["terms"][0][0] == "exosoma"
    assert json.loads(english.content)["terms"][0][0] == "exosome"
    assert spanish["ETag"] != english["ETag"]
    crossed = client.get("/embed/glossary/index.json?lang=es", HTTP_IF_NONE_MATCH=english["ETag"])
    assert crossed.status_code == 200
    for bad in ("fr", "ES", "x" * 500):
        refused = client.get("/embed/glossary/index.json", {"lang": bad})
        assert refused.status_code == 400, bad
        assert "lang" in refused.content.decode()
    assert client.get(f"/embed/glossary/index.fr.{'0' * 32}.json").status_code == 400


def test_page_cache_keeps_each_language_s_index_apart(client, terms, page_cache):
    for first, second in (("", "?lang=es"), ("?lang=es", "")):
        client.get(f"/embed/glossary/index.json{first}")
        again = client.get(f"/embed/glossary/index.json{second}")
        expected = "exosoma" if second else "exosome"
        assert json.loads(again.content)["terms"][0][0] == expected


def test_a_spanish_term_card_in_spanish(client, terms):
    response = client.get("/embed/glossary/exosoma/?lang=es")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="es">' in html
    assert '<h1 id="card-title">Exosoma</h1>' in html
    assert "Una vesícula pequeña." in html
    assert 'href="http://testserver/es/glossary/exosoma/"' in html
    assert "Leer más en Exosite" in html and "Glosario" in html
    assert "Read more" not in html
    assert response["Content-Language"] == "es"
    # Slugs are per language: the Spanish slug is no English card, and the reverse.
    assert client.get("/embed/glossary/exosoma/").status_code == 404
    assert client.get("/embed/glossary/exosome/?lang=es").status_code == 404
    assert '<html lang="en">' in client.get("/embed/glossary/exosome/").content.decode()
    assert client.get("/embed/glossary/exosoma/?lang=fr").status_code == 400


def test_a_renamed_spanish_term_s_card_keeps_its_language(client, terms):
    spanish = terms.translations.get()
    spanish.slug = "exosomas"
    spanish.save()
    response = client.get("/embed/glossary/exosoma/?lang=es")
    assert response.status_code == 301
    assert response["Location"] == "/embed/glossary/exosomas/?lang=es"


def test_spanish_card_queries_as_english_ones(client, terms):
    counts = []
    for path in ("/embed/glossary/exosome/", "/embed/glossary/exosoma/?lang=es"):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(path).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 4


def test_oembed_finds_spanish_term_and_faq_addresses(client, terms, make_question):
    data = client.get("/oembed", {"url": "http://testserver/es/glossary/exosoma/"}).json()
    assert data["title"] == "Exosoma"
    assert data["html"] == (
        '<iframe src="http://testserver/embed/glossary/exosoma/?lang=es" width="480" '
        'height="220" title="Exosoma (Glosario, Exosite)" loading="lazy"></iframe>'
    )
    tema = Topic.objects.create(name="Conceptos", slug="conceptos", language="es")
    make_question(question="¿Están vivos?", slug="vivos", language="es", topic=tema)
    data = client.get("/oembed", {"url": "https://testserver/es/faq/vivos/"}).json()
    assert data["title"] == "¿Están vivos?"
    assert "/embed/faq/vivos/?lang=es" in data["html"]
    # An English address with a Spanish slug (or the reverse) is no page.
    for url in ("http://testserver/glossary/exosoma/", "http://testserver/es/glossary/exosome/"):
        assert client.get("/oembed", {"url": url}).status_code == 404, url
    english = client.get("/oembed", {"url": "http://testserver/glossary/exosome/"}).json()
    assert "(Glossary, Exosite)" in english["html"]
