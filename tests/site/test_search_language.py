"""Search per language (issue 17, part 4): Spanish stemming and accent folding on both
engines, results in the visitor's language only, the other language offered when it has
the only matches, and type-ahead, look-before-you-ask and the API per language.

Runs on the engine of the database under test (SQLite FTS5 by default, PostgreSQL with
DATABASE_URL): the same assertions hold on both.
"""

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils.html import strip_tags
from pytest_django.asserts import assertNotContains

from articles.models import Article
from exosite.kernel import languages
from exosite.kernel.text import MARK_END, MARK_START
from exosite.models import SearchDocument, Status
from exosite.search import answers, stemming
from exosite.search.engines import get_engine
from exosite.search.query import parse

pytestmark = pytest.mark.django_db

ES_SEARCH = "/es/search/"


def search(client, q, language="en", **params):
    response = client.get(languages.reverse("search", language), {"q": q, **params})
    assert response.status_code == 200
    return response


def titles(response):
    return [strip_tags(result.title) for result in response.context["results"]]


def suggested(client, q, language="en", **params):
    response = client.get(languages.reverse("search-suggest", language), {"q": q, **params})
    assert response.status_code == 200
    return [item["title"] for item in response.json()["results"]]


@pytest.fixture
def spanish(make_article, make_term):
    """A Spanish article and term, and an English article on the same subject."""
    make_article(
        language="es",
        slug="vesiculas-extracelulares",
        title="Vesículas extracelulares",
        summary="Qué son y qué hacen.",
        body="Las células liberan exosomas: pequeñas vesículas que llevan ARN y proteínas "
        "a otras células del cuerpo.",
        tags=["Biología"],
    )
    make_term(
        language="es",
        slug="exosoma",
        name="Exosoma",
        short_definition="Una vesícula pequeña liberada por las células.",
    )
    make_article(
        title="Extracellular vesicles",
        body="Cells release exosomes: small vesicles that carry RNA.",
        tags=["Biology"],
    )


def test_the_index_says_each_documents_language(spanish):
    assert sorted(SearchDocument.objects.values_list("title", "language")) == [
        ("Exosoma", "es"),
        ("Extracellular vesicles", "en"),
        ("Vesículas extracelulares", "es"),
    ]


# -- Spanish stemming and accents ----------------------------------------------------------


@pytest.mark.parametrize(
    "q",
    [
        "vesícula",  # singular of the title's "Vesículas"
        "vesículas",
        "vesicula",  # without its accent
        "VESICULAS",
        "proteína",  # the body's "proteínas"
        "célula",  # the body's "células"
    ],
)
def test_a_spanish_query_finds_other_forms_of_a_word_with_or_without_accents(client, spanish, q):
    assert "Vesículas extracelulares" in titles(search(client, q, "es"))


def test_a_plural_finds_the_singular(client, spanish):
    found = titles(search(client, "exosomas", "es"))
    assert found[0] == "Exosoma"  # the term's own name first
    assert set(found) == {"Exosoma", "Vesículas extracelulares"}
    assert titles(search(client, "exosoma", "es"))[0] == "Exosoma"


def test_spanish_stop_words_are_left_out(client, spanish):
    assert titles(search(client, "qué es un exosoma", "es"))[0] == "Exosoma"
    assert "Vesículas extracelulares" in titles(
        search(client, "las vesículas de las células", "es")
    )


def test_spanish_phrases_minus_and_or(client, spanish):
    assert titles(search(client, '"pequeñas vesiculas"', "es")) == ["Vesículas extracelulares"]
    # The term's "vesícula pequeña": the same stems in this order.
    assert titles(search(client, '"vesiculas pequeñas"', "es")) == ["Exosoma"]
    assert titles(search(client, "vesícula -arn", "es")) == ["Exosoma"]
    assert set(titles(search(client, "proteínas OR definida", "es"))) == {
        "Vesículas extracelulares"
    }


def test_spanish_matches_are_marked_in_the_original_text(client, spanish):
    response = search(client, "vesicula", "es")
    by_title = {strip_tags(result.title): result for result in response.context["results"]}
    article = by_title["Vesículas extracelulares"]
    assert str(article.title) == "<mark>Vesículas</mark> extracelulares"
    assert "pequeñas <mark>vesículas</mark> que llevan" in article.snippet
    term = by_title["Exosoma"]
    assert "Una <mark>vesícula</mark> pequeña" in term.snippet


def test_a_long_spanish_body_is_cut_around_the_match(client, make_article):
    filler = " ".join(["palabra"] * 60)
    make_article(language="es", title="Largo", body=f"{filler} las vesículas viajan. {filler}")
    snippet = search(client, "vesiculas", "es").context["results"][0].snippet
    assert "<mark>vesículas</mark> viajan" in snippet
    assert len(strip_tags(snippet).split()) <= 30


def test_english_stemming_is_unchanged(client, spanish, make_article):
    make_article(title="Singular", body="A vesicle forms inside an endosome.")
    assert set(titles(search(client, "vesicle"))) == {"Extracellular vesicles", "Singular"}
    assert set(titles(search(client, "vesicles"))) == {"Extracellular vesicles", "Singular"}


# -- one language at a time ----------------------------------------------------------------


def test_no_spanish_document_in_english_results_and_the_other_way_round(
    client, make_article, make_term
):
    make_article(title="CD63 in English", body="The tetraspanin CD63.")
    make_article(language="es", slug="cd63", title="CD63 en español", body="La tetraspanina CD63.")
    make_term(language="es", slug="cd63-termino", name="CD63", short_definition="Marcador.")
    english = search(client, "CD63")
    assert titles(english) == ["CD63 in English"]
    assert english.context["total"] == 1
    assert english.context["elsewhere"] == []
    assertNotContains(english, "español")
    spanish = search(client, "CD63", "es")
    assert titles(spanish) == ["CD63", "CD63 en español"]
    assert [result.url for result in spanish.context["results"]] == [
        "/es/glossary/cd63-termino/",
        "/es/articles/cd63/",
    ]
    assertNotContains(spanish, "in English")


def test_counts_facets_and_tag_filters_are_per_language(client, make_article, make_term):
    make_article(title="Marker one", body="CD9 marker.", tags=["Markers"])
    make_term(name="Marker two", short_definition="CD9.", tags=["Markers", "Only english"])
    make_article(language="es", slug="marcador", title="Marcador", body="CD9.", tags=["Markers"])
    spanish = search(client, "CD9", "es")
    assert spanish.context["total"] == 1
    assert spanish.context["all_count"] == "1"
    counts = {value: count for value, _, count, _ in spanish.context["kind_facets"]}
    assert counts == {"article": 1, "glossary": 0, "faq": 0}
    assert spanish.context["tag_facets"] == [("markers", "Markers", 1)]
    english = search(client, "CD9")
    assert english.context["total"] == 2
    assert search(client, "CD9", "es", tag="markers").context["total"] == 1
    assert search(client, "CD9", "es", tag="only-english").context["total"] == 0
    assert search(client, "CD9", "es", kind="glossary").context["total"] == 0


def test_an_english_query_on_spanish_pages_offers_the_english_results(client, spanish):
    response = search(client, "RNA", "es")
    assert titles(response) == []
    (offer,) = response.context["elsewhere"]
    assert offer["code"] == "en"
    assert offer["total"] == 1
    assert [strip_tags(result.title) for result in offer["results"]] == ["Extracellular vesicles"]
    assert offer["url"] == "/search/?q=RNA"
    html = response.content.decode()
    assert 'href="/search/?q=RNA" hreflang="en"' in html
    assert 'lang="en">Extracellular vesicles</a>' in html
    assert 'class="search-elsewhere"' in html


def test_a_spanish_query_on_english_pages_offers_the_spanish_results(client, spanish):
    response = search(client, "vesículas")
    assert titles(response) == []
    (offer,) = response.context["elsewhere"]
    assert offer["code"] == "es"
    assert offer["url"] == "/es/search/?q=ves%C3%ADculas"
    html = response.content.decode()
    assert "No results in English; 2 results in Spanish" in " ".join(strip_tags(html).split())
    assert 'href="/es/search/?q=ves%C3%ADculas" hreflang="es"' in html


def test_nothing_is_offered_when_the_visitors_language_has_matches(client, make_article):
    make_article(title="Apoptotic bodies", body="Apoptosis.")
    make_article(language="es", slug="apoptosis", title="Apoptosis", body="Apoptosis.")
    assert search(client, "apoptosis").context["elsewhere"] == []
    assert search(client, "apoptosis", "es").context["elsewhere"] == []


def test_unpublished_spanish_items_are_never_found_nor_offered(client, make_article, future):
    make_article(language="es", slug="borrador", title="Borrador vesicular", status=Status.DRAFT)
    make_article(language="es", slug="futuro", title="Futuro vesicular", published_at=future)
    make_article(language="es", slug="retirado", title="Retirado vesicular")
    # Withdrawn by a bulk update: no signal, the index still holds the document.
    Article.objects.filter(slug="retirado").update(status=Status.DRAFT)
    assert titles(search(client, "vesicular", "es")) == []
    assert search(client, "vesicular").context["elsewhere"] == []
    assert suggested(client, "vesicu", "es") == []
    assert answers.look_up("¿Qué es vesicular?", language="es") == []


# -- type-ahead, look before you ask, the API ------------------------------------------------


def test_type_ahead_is_per_language(client, spanish):
    assert set(suggested(client, "vesic", "es")) == {"Vesículas extracelulares"}
    assert set(suggested(client, "vesíc", "es")) == {"Vesículas extracelulares"}
    assert suggested(client, "exosom", "es")[0] == "Exosoma"
    assert suggested(client, "vesic") == ["Extracellular vesicles"]
    # The unprefixed endpoint answers for another language when asked.
    assert suggested(client, "vesic", lang="es") == ["Vesículas extracelulares"]
    assert suggested(client, "vesic", lang="xx") == ["Extracellular vesicles"]


def test_look_before_you_ask_reads_the_language_asked_in(spanish):
    spanish_found = answers.look_up("¿Qué hacen los exosomas en las células?", language="es")
    assert {found["title"] for found in spanish_found} == {"Exosoma", "Vesículas extracelulares"}
    english_found = answers.look_up("What do exosomes do in cells?", language="en")
    assert [found["title"] for found in english_found] == ["Extracellular vesicles"]
    with languages.active("es"):
        assert answers.look_up("exosomas") == answers.look_up("exosomas", language="es")


def test_the_ask_forms_suggestions_follow_the_pages_language(client, spanish):
    spanish_page = client.get("/es/faq/ask/suggest/", {"q": "¿Qué hacen las vesículas?"})
    assert {found["title"] for found in spanish_page.json()["results"]} == {
        "Exosoma",
        "Vesículas extracelulares",
    }
    english_page = client.get("/faq/ask/suggest/", {"q": "What do vesicles do?"})
    assert [found["title"] for found in english_page.json()["results"]] == [
        "Extracellular vesicles"
    ]


def test_glossary_expansions_come_from_the_same_language(make_term):
    make_term(name="Dendritic cell", aliases="DC cell")
    make_term(language="es", slug="celula-dendritica", name="Célula dendrítica")
    english = answers.name_index("en")
    spanish = answers.name_index("es")
    assert ("dendritic", "cell") in english.by_words
    assert ("dendritic", "cell") not in spanish.by_words
    assert ("celula", "dendritica") in spanish.by_words
    assert ("celula", "dendritica") not in english.by_words


def test_the_api_searches_the_language_asked_for(client, spanish):
    spanish_results = client.get("/api/v1/search/", {"q": "vesicula", "lang": "es"})
    assert spanish_results.status_code == 200
    assert {r["title"] for r in spanish_results.json()["results"]} == {
        "Vesículas extracelulares",
        "Exosoma",
    }
    english = client.get("/api/v1/search/", {"q": "vesicle"}).json()
    assert [r["title"] for r in english["results"]] == ["Extracellular vesicles"]
    assert client.get("/api/v1/search/", {"q": "vesicula"}).json()["total"] == 0
    suggest = client.get("/api/v1/suggest/", {"q": "vesic", "lang": "es"}).json()
    assert [r["title"] for r in suggest["results"]] == ["Vesículas extracelulares"]
    for address in ("/api/v1/search/", "/api/v1/suggest/"):
        refused = client.get(address, {"q": "vesicula", "lang": "fr"})
        assert refused.status_code == 400
        assert "lang" in refused.json()["error"]["fields"]


# -- keeping the index ---------------------------------------------------------------------


def _integrity_check():
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            for table in ("exosite_search_fts", "exosite_search_fts_es"):
                cursor.execute(f"INSERT INTO {table}({table}, rank) VALUES ('integrity-check', 1)")


def test_the_spanish_index_follows_edits_deletes_and_a_change_of_language(client, make_article):
    article = make_article(language="es", slug="uno", title="Uno", body="Las vesículas.")
    other = make_article(language="es", slug="dos", title="Dos", body="Las proteínas.")
    assert titles(search(client, "vesicula", "es")) == ["Uno"]
    article.body = "Las membranas."
    article.save()
    _integrity_check()
    assert titles(search(client, "vesicula", "es")) == []
    assert titles(search(client, "membrana", "es")) == ["Uno"]
    other.language = "en"
    other.save()
    _integrity_check()
    assert titles(search(client, "proteina", "es")) == []
    assert titles(search(client, "proteínas")) == ["Dos"]
    article.delete()
    _integrity_check()
    assert titles(search(client, "membrana", "es")) == []


def test_rebuild_command_rebuilds_both_languages(client, spanish, capsys):
    SearchDocument.objects.all().delete()
    call_command("rebuild_search_index")
    out = capsys.readouterr().out
    assert "3 documents (English 1, Spanish 2)" in out
    _integrity_check()
    assert titles(search(client, "vesicula", "es"))
    assert titles(search(client, "vesicle")) == ["Extracellular vesicles"]


def test_spanish_words_are_stemmed_as_the_index_holds_them():
    assert stemming.stem("Vesículas") == stemming.stem("vesicula") == "vesicul"
    assert stemming.stem("exosomas") == stemming.stem("exosoma")
    assert stemming.stems("Las células") == "las celul"
    engine = get_engine("es")
    assert engine.language == "es"
    assert parse("qué es la vesícula", "es").terms[0].words == ("vesícula",)


def test_spanish_snippets_are_cut_around_the_matches():
    filler = " ".join(["palabra"] * 40)
    cut = stemming.snippet(f"{filler} las vesículas y la vesícula {filler}", {"vesicul"})
    assert cut.startswith(f"…palabra palabra las {MARK_START}vesículas{MARK_END} y la ")
    assert cut.endswith("palabra…")
    assert len(cut.split()) == 28
    # No match: the beginning, as FTS5 gives it.
    assert stemming.snippet(f"Nada. {filler}", {"vesicul"}).startswith("Nada. palabra")
    assert stemming.snippet("Las vesículas.", {"vesicul"}) == (
        f"Las {MARK_START}vesículas{MARK_END}."
    )


# -- queries per page --------------------------------------------------------------------------


@pytest.mark.parametrize("size", [3, 30])
def test_spanish_search_page_query_count_is_small_and_constant(
    client, make_article, make_term, make_question, django_assert_max_num_queries, size
):
    for n in range(size):
        make_article(language="es", slug=f"a{n}", title=f"Vesícula {n}", tags=["pulmón"])
        make_term(language="es", slug=f"t{n}", name=f"Vesícula término {n}", tags=["pulmón"])
        make_question(language="es", slug=f"q{n}", question=f"¿Vesícula {n}?")
    with django_assert_max_num_queries(6):
        response = search(client, "vesículas", "es")
    assert response.context["total"] == 3 * size
    with django_assert_max_num_queries(7):
        search(client, "vesicula", "es", tag="pulmon", kind="article", page=2)
    # Nothing in Spanish: the count, the English count, suggested terms.
    with django_assert_max_num_queries(4):
        search(client, "nadacoincide", "es")


# -- kept answers ------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_kept_search_answers_are_per_language(client, make_article, make_term):
    """Outside a transaction what a search finds is kept per content version: never one
    language's answer for the other's question."""
    make_article(title="CD81 in English", body="The tetraspanin CD81.")
    make_article(language="es", slug="cd81", title="CD81 en español", body="CD81.")
    for _ in range(2):  # the second time from what was kept
        assert search(client, "CD81").context["elsewhere"] == []
        assert titles(search(client, "CD81")) == ["CD81 in English"]
        assert titles(search(client, "CD81", "es")) == ["CD81 en español"]
        assert suggested(client, "cd8") == ["CD81 in English"]
        assert suggested(client, "cd8", "es") == ["CD81 en español"]
        assert suggested(client, "cd8", lang="es") == ["CD81 en español"]
        assert [found["title"] for found in answers.look_up("CD81", language="es")] == [
            "CD81 en español"
        ]
        assert [found["title"] for found in answers.look_up("CD81", language="en")] == [
            "CD81 in English"
        ]
        api = client.get("/api/v1/search/", {"q": "CD81", "lang": "es"}).json()
        assert [result["title"] for result in api["results"]] == ["CD81 en español"]
