"""The whole glossary as SKOS (Turtle, JSON-LD) and JSON (glossary/exports.py): parsed
back with rdflib, published terms only, constant queries, linked from the glossary page."""

import json

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF

from exosite.models import Status

pytestmark = pytest.mark.django_db

SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")
BASE = "http://testserver"


@pytest.fixture
def glossary(make_term):
    cd9 = make_term(name="CD9", slug="cd9", short_definition="A tetraspanin.")
    tricky = make_term(
        name='Quote "and" back\\slash',
        slug="tricky",
        abbreviation="Q&B",
        aliases="line one\nCafé ‘curly’",
        short_definition='Says "hello"\tand\nmore <b>.',
        related=[cd9],
    )
    draft = make_term(name="Secret draft", slug="secret", status=Status.DRAFT, related=[cd9])
    return cd9, tricky, draft


def uri(slug):
    return URIRef(f"{BASE}/glossary/{slug}/")


def expected_triples(graph):
    scheme = URIRef(f"{BASE}/glossary/")
    assert (scheme, RDF.type, SKOS.ConceptScheme) in graph
    assert (uri("tricky"), RDF.type, SKOS.Concept) in graph
    assert (uri("tricky"), SKOS.inScheme, scheme) in graph
    assert (uri("tricky"), SKOS.prefLabel, Literal('Quote "and" back\\slash', lang="en")) in graph
    assert set(graph.objects(uri("tricky"), SKOS.altLabel)) == {
        Literal("Q&B", lang="en"),
        Literal("line one", lang="en"),
        Literal("Café ‘curly’", lang="en"),
    }
    assert (
        uri("tricky"),
        SKOS.definition,
        Literal('Says "hello"\tand\nmore <b>.', lang="en"),
    ) in graph
    assert set(graph.objects(uri("tricky"), SKOS.related)) == {uri("cd9")}
    assert set(graph.objects(uri("cd9"), SKOS.related)) == {uri("tricky")}
    # Drafts never: not as a concept, not as anyone's related term.
    assert not any(uri("secret") in triple for triple in graph)
    assert "Secret" not in graph.serialize(format="nt")


def test_turtle_parses_to_the_expected_triples(client, glossary):
    response = client.get(reverse("glossary:skos-turtle"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/turtle; charset=utf-8"
    graph = Graph().parse(data=response.content.decode(), format="turtle")
    expected_triples(graph)
    assert len(set(graph.subjects(RDF.type, SKOS.Concept))) == 2


def test_json_ld_is_json_with_a_context_and_the_same_triples(client, glossary):
    response = client.get(reverse("glossary:skos-jsonld"))
    assert response["Content-Type"] == "application/ld+json; charset=utf-8"
    data = json.loads(response.content)
    assert data["@context"]["@language"] == "en"
    graph = Graph().parse(data=response.content.decode(), format="json-ld")
    expected_triples(graph)
    turtle = Graph().parse(
        data=client.get(reverse("glossary:skos-turtle")).content.decode(), format="turtle"
    )
    assert set(graph) == set(turtle)


def test_plain_json(client, glossary):
    data = json.loads(client.get(reverse("glossary:json")).content)
    assert data["count"] == 2
    tricky = next(t for t in data["terms"] if t["slug"] == "tricky")
    assert tricky["url"] == f"{BASE}/glossary/tricky/"
    assert tricky["aliases"] == ["line one", "Café ‘curly’"]
    assert tricky["related"] == ["CD9"]
    assert "Secret draft" not in json.dumps(data)


@pytest.mark.parametrize("name", ["glossary:skos-turtle", "glossary:skos-jsonld", "glossary:json"])
def test_query_count_does_not_grow_with_the_glossary(
    client, make_term, django_assert_max_num_queries, name
):
    def count():
        from django.core.cache import cache
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse(name)).status_code == 200
        return len(queries)

    make_term(tags=["a"])
    few = count()
    for _ in range(15):
        make_term(tags=["b"], related=[make_term()])
    assert count() == few
    with django_assert_max_num_queries(few):
        client.get(reverse(name))


def test_kept_per_content_version(client, make_term):
    make_term(name="Before", slug="before")
    first = client.get(reverse("glossary:json")).content
    assert b"Before" in first
    make_term(name="After", slug="after")
    assert b"After" in client.get(reverse("glossary:json")).content


def test_served_with_an_etag_through_the_page_cache(client, settings, glossary):
    settings.EXOSITE_PAGE_CACHE = True
    first = client.get(reverse("glossary:skos-turtle"))
    etag = first["ETag"]
    again = client.get(reverse("glossary:skos-turtle"), HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304


def test_the_glossary_page_links_the_downloads(client, glossary):
    response = client.get(reverse("glossary:index"))
    assertContains(response, f'href="{reverse("glossary:skos-turtle")}"')
    assertContains(response, f'href="{reverse("glossary:skos-jsonld")}"')
    assertContains(response, f'href="{reverse("glossary:json")}"')
