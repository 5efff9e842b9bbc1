"""The read API in every language (issue 17, item 5): `lang` on every list, item and the
glossary's term index; each item says its language and where its translations are; answers
kept, ETags and cached pages per language, never one language's answer for another."""

import json

import pytest
from django.core.cache import cache

from exosite.models import Status
from faq.models import Topic

pytestmark = pytest.mark.django_db

SERVER = "http://testserver"


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def get(client, url, **headers):
    response = client.get(url, **headers)
    return response, json.loads(response.content)


@pytest.fixture
def exosome(make_term):
    """An English term, its published Spanish translation and a Spanish draft of another."""
    english = make_term(name="Exosome", slug="exosome", short_definition="A small vesicle.")
    spanish = make_term(
        name="Exosoma",
        slug="exosoma",
        short_definition="Una vesícula pequeña.",
        language="es",
        translation_of=english,
    )
    return english, spanish


def test_lists_give_one_language_each_item_with_its_translations(client, make_term, exosome):
    english, spanish = exosome
    make_term(name="Vesícula", slug="vesicula", language="es")  # no English
    make_term(name="Draft", slug="borrador", language="es", status=Status.DRAFT)

    _, listed = get(client, "/api/v1/glossary/")
    _, listed_es = get(client, "/api/v1/glossary/?lang=es")

    assert [item["slug"] for item in listed["items"]] == ["exosome"]
    assert [item["slug"] for item in listed_es["items"]] == ["exosoma", "vesicula"]
    both = {
        "en": f"{SERVER}/glossary/exosome/",
        "es": f"{SERVER}/es/glossary/exosoma/",
    }
    assert listed["items"][0]["language"] == "en"
    assert listed["items"][0]["translations"] == both
    assert listed_es["items"][0]["language"] == "es"
    assert listed_es["items"][0]["translations"] == both
    assert listed_es["items"][0]["url"] == f"{SERVER}/es/glossary/exosoma/"
    assert listed_es["items"][1]["translations"] == {"es": f"{SERVER}/es/glossary/vesicula/"}


def test_an_unpublished_translation_is_not_named(client, make_term):
    english = make_term(name="Exosome", slug="exosome")
    make_term(
        name="Exosoma", slug="exosoma", language="es", translation_of=english, status=Status.REVIEW
    )
    _, listed = get(client, "/api/v1/glossary/")
    assert listed["items"][0]["translations"] == {"en": f"{SERVER}/glossary/exosome/"}
    assert get(client, "/api/v1/glossary/exosoma/?lang=es")[0].status_code == 404


def test_a_translation_names_its_source_s_other_translations(client, make_article):
    """Translations reach each other through their source, whatever language is asked."""
    source = make_article(title="Source", slug="source")
    spanish = make_article(title="Fuente", slug="fuente", language="es", translation_of=source)
    _, item = get(client, "/api/v1/article/fuente/?lang=es")
    assert item["translations"] == {
        "en": f"{SERVER}/articles/source/",
        "es": f"{SERVER}/es/articles/fuente/",
    }
    assert item["api_url"] == f"{SERVER}/api/v1/article/fuente/?lang=es"
    assert get(client, item["api_url"].removeprefix(SERVER))[1]["title"] == spanish.title


def test_an_item_is_found_by_its_slug_within_the_language(client, make_article):
    # Slugs are unique within a language: the same slug may name an item in each.
    make_article(title="In English", slug="exosomes", body="English text.")
    make_article(title="En español", slug="exosomes", language="es", body="Texto en español.")
    make_article(title="Solo en inglés", slug="only-english")

    response, english = get(client, "/api/v1/article/exosomes/")
    response_es, spanish = get(client, "/api/v1/article/exosomes/?lang=es")

    assert (english["title"], english["language"]) == ("In English", "en")
    assert (spanish["title"], spanish["language"]) == ("En español", "es")
    assert "Texto en español." in spanish["html"]
    assert response["Content-Language"] == "en"
    assert response_es["Content-Language"] == "es"
    missing, body = get(client, "/api/v1/article/only-english/?lang=es")
    assert missing.status_code == 404
    assert body["error"]["code"] == "not_found" and "Español" in body["error"]["message"]


def test_faq_entries_and_their_topics_per_language(client, make_question):
    tema = Topic.objects.create(name="Conceptos básicos", slug="conceptos", language="es")
    english = make_question(question="What is an exosome?", slug="what-is")
    make_question(
        question="¿Qué es un exosoma?",
        slug="que-es",
        topic=tema,
        language="es",
        translation_of=english,
    )
    _, listed = get(client, "/api/v1/faq/?lang=es&topic=conceptos")
    assert [item["slug"] for item in listed["items"]] == ["que-es"]
    assert listed["items"][0]["topic"] == {"name": "Conceptos básicos", "slug": "conceptos"}
    assert listed["items"][0]["translations"]["en"] == f"{SERVER}/faq/what-is/"
    assert get(client, "/api/v1/faq/?topic=conceptos")[1]["items"] == []


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/article/?lang=fr",
        "/api/v1/glossary/?lang=",
        "/api/v1/glossary/?lang=ES",
        "/api/v1/faq/some-entry/?lang=de",
        "/api/v1/glossary-index/?lang=xx",
        f"/api/v1/article/?lang={'e' * 300}",
    ],
)
def test_an_unknown_language_is_a_400_naming_the_field(client, url):
    response, body = get(client, url)
    assert response.status_code == 400
    assert body["error"]["status"] == 400 and body["error"]["code"] == "invalid"
    assert list(body["error"]["fields"]) == ["lang"]
    assert "lang" in body["error"]["message"]


def test_the_next_link_keeps_the_language(client, make_term):
    for n in range(5):
        make_term(name=f"Término {n}", slug=f"termino-{n}", language="es")
    make_term(name="English one", slug="english-one")
    _, first = get(client, "/api/v1/glossary/?lang=es&limit=3")
    assert "lang=es" in first["next"]
    _, second = get(client, first["next"].removeprefix(SERVER))
    assert [item["slug"] for item in second["items"]] == ["termino-3", "termino-4"]
    # English links stay as they were: no lang parameter.
    make_term(name="English two", slug="english-two")
    assert "lang" not in get(client, "/api/v1/glossary/?limit=1")[1]["next"]


def test_the_term_index_per_language(client, exosome):
    _, english = get(client, "/api/v1/glossary-index/")
    response, spanish = get(client, "/api/v1/glossary-index/?lang=es")
    assert english["url"] == "/glossary/{slug}/"
    assert spanish["url"] == "/es/glossary/{slug}/"
    assert [entry[:3] for entry in english["terms"]] == [["exosome", "Exosome", "A small vesicle."]]
    assert [entry[:3] for entry in spanish["terms"]] == [
        ["exosoma", "Exosoma", "Una vesícula pequeña."]
    ]
    assert response["Content-Language"] == "es"


def test_the_schema_and_the_docs_document_lang(client):
    _, schema = get(client, "/api/v1/openapi.json")
    for path in ("/api/v1/{kind}/", "/api/v1/{kind}/{slug}/", "/api/v1/glossary-index/"):
        lang = next(p for p in schema["paths"][path]["get"]["parameters"] if p["name"] == "lang")
        assert lang["in"] == "query" and not lang.get("required", False), path
        assert lang["schema"]["enum"] == ["en", "es"], path
        assert lang["schema"]["default"] == "en", path
        assert "Español" in (lang.get("description") or lang["schema"].get("description")), path
    item = schema["components"]["schemas"]["ItemSummary"]["properties"]
    assert {"language", "translations"} <= set(item)
    docs = client.get("/api/v1/docs/").content.decode()
    assert "one of en, es" in docs


@pytest.mark.parametrize("size", [3, 30])
def test_query_counts_stay_two_a_page_in_either_language(
    client, make_article, django_assert_num_queries, size
):
    for n in range(size):
        source = make_article(slug=f"piece-{n}", tags=[f"t{n}", "shared"])
        make_article(slug=f"pieza-{n}", language="es", translation_of=source, tags=["común"])
    for lang in ("en", "es"):
        with django_assert_num_queries(2):  # the items with their translations' slugs, tags
            response, body = get(client, f"/api/v1/article/?limit=100&lang={lang}")
        assert len(body["items"]) == size
        assert all(len(item["translations"]) == 2 for item in body["items"])


@pytest.mark.django_db(transaction=True)  # answers are kept only outside a transaction
def test_answers_are_kept_per_language(client, exosome, django_assert_max_num_queries):
    """Without the page cache: the JSON kept per content version is kept per language,
    never one language's for the other."""
    urls = {
        "exosome": ["/api/v1/glossary/", "/api/v1/glossary/exosome/"],
        "exosoma": ["/api/v1/glossary/?lang=es", "/api/v1/glossary/exosoma/?lang=es"],
    }
    for slug, (listing, item) in urls.items():
        assert get(client, listing)[1]["items"][0]["slug"] == slug
        assert get(client, item)[1]["slug"] == slug
    for slug, (listing, item) in urls.items():
        with django_assert_max_num_queries(1):  # the content version; the answer is kept
            assert get(client, listing)[1]["items"][0]["slug"] == slug
        with django_assert_max_num_queries(1):
            assert get(client, item)[1]["slug"] == slug


@pytest.mark.parametrize("first", ["en", "es"])
def test_the_page_cache_never_gives_one_language_s_answer_for_another(
    client, exosome, page_cache, first
):
    urls = {"en": "/api/v1/glossary/", "es": "/api/v1/glossary/?lang=es"}
    expected = {"en": "exosome", "es": "exosoma"}
    second = "es" if first == "en" else "en"
    seen = {}
    for lang in (first, second, first, second):
        response, body = get(client, urls[lang])
        assert [item["slug"] for item in body["items"]] == [expected[lang]], lang
        assert response["Content-Language"] == lang
        seen.setdefault(lang, []).append((response["X-Cache"], response["ETag"]))
    assert [cached for cached, _ in seen[first]] == ["miss", "hit"]
    assert [cached for cached, _ in seen[second]] == ["miss", "hit"]
    assert seen["en"][0][1] != seen["es"][0][1]  # each language its own ETag
    # One language's ETag does not make the other's answer a 304.
    english_etag = seen["en"][0][1]
    crossed = client.get(urls["es"], HTTP_IF_NONE_MATCH=english_etag)
    assert crossed.status_code == 200
    assert json.loads(crossed.content)["items"][0]["slug"] == "exosoma"
    assert client.get(urls["en"], HTTP_IF_NONE_MATCH=english_etag).status_code == 304
