"""Suggestions that find the answer (exosite.search.answers): look-before-you-ask
(/faq/ask/suggest/) and type-ahead (/search/suggest/) through the search engine, with the
glossary's synonyms and related terms. Run on SQLite and on PostgreSQL (make test-postgres)."""

import pytest
from django.urls import reverse

from exosite.models import Status
from exosite.search.answers import Concept, concepts, ranked, score
from exosite.search.query import Term

pytestmark = pytest.mark.django_db


def ask(client, text):
    return client.get(reverse("faq:ask-suggest"), {"q": text}).json()["results"]


def typeahead(client, text):
    return client.get(reverse("search-suggest"), {"q": text}).json()["results"]


def titles(results):
    return [item["title"] for item in results]


# -- stemming ----------------------------------------------------------------------------------


def test_a_word_finds_its_other_forms(client, make_question, make_term):
    make_question(question="Is there an exosome vaccine?", slug="vaccine")
    make_term(name="Vaccination", short_definition="Giving a vaccine.")
    assert titles(ask(client, "Do the vaccines work?"))[:1] == ["Is there an exosome vaccine?"]
    # Type-ahead: the whole word, stemmed (to "vaccin": Vaccination too), and a prefix
    # of a word as written.
    assert set(titles(typeahead(client, "vaccines"))) == {
        "Is there an exosome vaccine?",
        "Vaccination",
    }
    assert titles(typeahead(client, "vaccine")) == titles(typeahead(client, "vaccines"))
    assert set(titles(typeahead(client, "vacc"))) == {
        "Is there an exosome vaccine?",
        "Vaccination",
    }


# -- the glossary's synonyms and related terms -------------------------------------------------


@pytest.fixture
def dementia(make_term, make_question, make_article):
    disease = make_term(
        name="Dementia", slug="dementia", short_definition="A loss of memory and thinking."
    )
    alzheimers = make_term(
        name="Alzheimer's disease",
        slug="alzheimers-disease",
        aliases="Alzheimer's\nAlzheimer disease",
        short_definition="A brain disease; a cause of dementia.",
        related=[disease],
    )
    entry = make_question(
        question="Can exosomes treat dementia?",
        slug="dementia-entry",
        answer="Not at present.",
    )
    make_article(title="Memory clinics", body="A visit for dementia and other conditions.")
    return alzheimers, entry


def test_a_related_term_reaches_the_faq_entry(client, dementia):
    results = ask(client, "Can exosomes cure Alzheimer's?")
    assert titles(results) == [
        "Can exosomes treat dementia?",  # the FAQ entry first
        "Alzheimer's disease",
        "Dementia",
        "Memory clinics",
    ]
    assert results[0] == {
        "kind": "FAQ",
        "title": "Can exosomes treat dementia?",
        "url": "/faq/dementia-entry/",
        "summary": "Not at present.",
    }


def test_synonyms_and_abbreviations_count_as_the_term(client, make_term, make_question):
    make_term(name="Mesenchymal stem cell", abbreviation="MSC", aliases="mesenchymal stromal cell")
    make_question(question="Are mesenchymal stromal cell products safe?", slug="msc-safe")
    make_question(question="Are creams safe?", slug="creams")
    assert titles(ask(client, "Are MSC exosomes safe?"))[:1] == [
        "Are mesenchymal stromal cell products safe?"
    ]
    # An abbreviation counts only as written: "msc" is a word like any other.
    assert concepts("are msc safe") == [Concept((Term(("msc",)),)), Concept((Term(("safe",)),))]


def test_the_question_is_read_as_concepts(make_term):
    make_term(name="Dendritic cell", aliases="dendritic cells", abbreviation="DC")
    found = concepts("Do dendritic cell exosomes work as a cancer vaccine?")
    assert found[0].direct == (
        Term(("dendritic", "cell")),
        Term(("dendritic", "cells")),
        Term(("dc",)),
    )
    assert [concept.direct[0].words for concept in found[1:]] == [
        ("work",),
        ("cancer",),
        ("vaccine",),
    ]
    # A question of nothing but the site's own word still asks about it.
    assert [c.direct[0].words for c in concepts("What exactly is an exosome?")] == [("exosome",)]
    assert concepts("What is it, and how?") == []


def test_typeahead_offers_related_entries_after_its_own_matches(client, dementia):
    results = typeahead(client, "alzheimer's")
    assert titles(results) == [
        "Alzheimer's disease",
        "Dementia",
        "Can exosomes treat dementia?",
    ]


# -- ranking ------------------------------------------------------------------------------------


def test_faq_entries_come_first_then_terms_then_articles(
    client, make_question, make_term, make_article
):
    make_article(title="Lung disease and vesicles", body="Lung disease, again lung disease.")
    make_term(name="Lung disease", short_definition="Any disease of the lungs.")
    make_question(question="Can vesicles help lung disease?", slug="lung")
    make_question(question="Are creams safe?", slug="creams", answer="Lung disease aside, yes.")
    assert titles(ask(client, "vesicles for lung disease")) == [
        "Can vesicles help lung disease?",
        "Lung disease",
        "Lung disease and vesicles",
        # On topic only in passing: after everything that is.
        "Are creams safe?",
    ]


def test_scores_weigh_titles_over_text_and_words_over_related_ones():
    # Per concept: (in title, anywhere, related in title, related anywhere).
    assert score([(True, True, False, False)]) == 3
    assert score([(False, False, True, True)]) == 2
    assert score([(False, True, False, False)]) == 1
    assert score([(False, False, False, True)]) == 0.5
    rows = [
        (1, "article", "A", "/a/", "", "", [(True, True, False, False)] * 2),
        (2, "faq", "F", "/f/", "", "", [(True, True, False, False), (False, False, False, False)]),
        (3, "faq", "G", "/g/", "", "", [(False, True, False, False), (False, False, False, False)]),
        (4, "glossary", "T", "/t/", "", "", [(False, False, False, False)] * 2),
    ]
    # F is on topic (3 of the best 6): first as an FAQ entry; G (1) is not; T matched nothing.
    assert [row[0] for row in ranked(rows)] == [2, 1, 3]


# -- never a suggestion that shares only the first letters --------------------------------------


def test_typeahead_never_offers_a_word_sharing_only_its_first_letters(
    client, make_term, make_question
):
    make_term(name="Dendritic cell", slug="dendritic-cell")
    make_term(name="Dental pulp", slug="dental-pulp")
    make_term(name="Density gradient", slug="density-gradient")
    make_question(question="What is an exosome?", slug="what")
    make_term(name="Wharton's jelly", slug="whartons-jelly")
    assert titles(typeahead(client, "dendr")) == ["Dendritic cell"]
    assert titles(typeahead(client, "dendriti")) == ["Dendritic cell"]
    assert titles(typeahead(client, "whart")) == ["Wharton's jelly"]
    assert titles(typeahead(client, "dens")) == ["Density gradient"]
    assert titles(typeahead(client, "den")) == [
        "Dental pulp",
        "Dendritic cell",
        "Density gradient",
    ]


def test_look_before_you_ask_matches_words_not_parts_of_words(client, make_question):
    make_question(question="Is dental pulp a source?", slug="pulp")
    make_question(question="Are cats affected?", slug="cats")
    assert ask(client, "Do dendritic cells matter?") == []
    assert ask(client, "What about a cat?") != []


# -- what the scripts read ------------------------------------------------------------------------


def test_both_endpoints_keep_their_json_shape(client, dementia):
    answer = client.get(reverse("faq:ask-suggest"), {"q": "Alzheimer's and dementia"}).json()
    assert set(answer) == {"results"}
    assert all(set(item) == {"kind", "title", "url", "summary"} for item in answer["results"])
    typed = client.get(reverse("search-suggest"), {"q": "dementia"}).json()
    assert set(typed) == {"query", "results"}
    assert typed["query"] == "dementia"
    assert typed["results"][0] == {
        "title": "Dementia",
        "url": "/glossary/dementia/",
        "kind": "glossary",
        "kind_label": "Glossary term",
    }


def test_drafts_are_never_suggested(client, make_question, make_term, future):
    make_question(question="Is the draft dementia entry out?", status=Status.DRAFT)
    make_term(name="Dementia care", published_at=future)
    assert ask(client, "dementia") == []
    assert typeahead(client, "dementia") == []


@pytest.mark.parametrize("text", ["", "a" * 5000, '" OR 1=1 --', "NEAR(x y)", "*", "-"])
def test_hostile_or_empty_questions(client, make_question, text):
    make_question(question="Are exosome injections safe?")
    response = client.get(reverse("faq:ask-suggest"), {"q": text})
    assert response.status_code == 200
    assert isinstance(response.json()["results"], list)


@pytest.mark.parametrize("size", [3, 30])
def test_look_before_you_ask_query_count_is_constant(
    client, make_question, make_term, make_article, django_assert_max_num_queries, size
):
    for n in range(size):
        make_question(question=f"Is vesicle therapy {n} safe?")
        make_term(name=f"Vesicle marker {n}", related=[])
        make_article(title=f"Vesicle study {n}")
    # The glossary's version and its names (a term query and their related terms, once
    # per version), then one statement: the candidates and what each matches.
    with django_assert_max_num_queries(4):
        results = ask(client, "Are vesicle therapies safe for children?")
    assert len(results) == 5
    with django_assert_max_num_queries(2):
        ask(client, "Is vesicle therapy safe?")
