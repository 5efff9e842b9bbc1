"""JSON-LD on every page type, parsed and checked; canonical URLs and sharing tags."""

import json
import re
from datetime import date
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains

from tests.conftest import library_reference
from trust.models import Person

pytestmark = pytest.mark.django_db


class HeadReader(HTMLParser):
    """The JSON-LD blocks (with their nonces) and the <meta>/<link> tags of a page."""

    def __init__(self):
        super().__init__()
        self.blocks, self.meta, self.links = [], {}, []
        self._in_json = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script" and attrs.get("type") == "application/ld+json":
            self._in_json = {"nonce": attrs.get("nonce"), "text": ""}
        elif tag == "meta":
            key = attrs.get("property") or attrs.get("name")
            if key:
                self.meta.setdefault(key, []).append(attrs.get("content"))
        elif tag == "link":
            self.links.append(attrs)

    def handle_data(self, data):
        if self._in_json is not None:
            self._in_json["text"] += data

    def handle_endtag(self, tag):
        if tag == "script" and self._in_json is not None:
            self.blocks.append(self._in_json)
            self._in_json = None


def read(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    reader = HeadReader()
    reader.feed(response.content.decode())
    nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"])
    data = []
    for block in reader.blocks:
        assert nonce and block["nonce"] == nonce[1], "JSON-LD must carry the CSP nonce"
        parsed = json.loads(block["text"])
        assert parsed["@context"] == "https://schema.org"
        data.append(parsed)
    return response, reader, data


def types(item):
    return [item["@type"]] if isinstance(item["@type"], str) else item["@type"]


def of_type(data, kind):
    found = [item for item in data if kind in types(item)]
    assert len(found) == 1, f"expected one {kind} in {data}"
    return found[0]


ORGANIZATION = {"@id": "http://testserver/#organization"}


def test_article_is_a_medical_web_page_with_authors_dates_review_and_citations(
    client, make_article, reviewer
):
    writer = Person.objects.create(name="Ann Writer", slug="ann-writer", credentials="PhD")
    hidden = Person.objects.create(name="Ben Private", slug="ben-private", is_public=False)
    article = make_article(
        title="Exosomes </script><script>alert(1)</script>",
        slug="exosomes",
        authors=[writer, hidden],
        body="Second first [2], then both [1, 2].",
        references=2,
        tags=["biology"],
    )
    article.record_review(reviewer, on=date(2026, 1, 15))
    article.save()
    response, _, data = read(client, article.get_absolute_url())
    assert "</script><script>alert(1)" not in response.content.decode().split("<body>")[0]
    page = of_type(data, "MedicalWebPage")
    assert "Article" in page["@type"]
    assert page["headline"] == article.title
    assert page["url"] == "http://testserver/articles/exosomes/"
    # Exactly the author profiles; only a public profile has a page to point to.
    assert page["author"] == [
        {
            "@type": "Person",
            "@id": "http://testserver/people/ann-writer/#person",
            "name": "Ann Writer",
            "url": "http://testserver/people/ann-writer/",
            "worksFor": ORGANIZATION,
            "hasCredential": {"@type": "EducationalOccupationalCredential", "name": "PhD"},
        },
        {"@type": "Person", "name": "Ben Private", "worksFor": ORGANIZATION},
    ]
    assert page["datePublished"] == article.published_at.isoformat()
    assert page["dateModified"] == article.updated_at.isoformat()
    assert page["lastReviewed"] == "2026-01-15"
    assert page["reviewedBy"] == {
        "@type": "Person",
        "@id": "http://testserver/people/rita-reviewer/#person",
        "name": "Rita Reviewer",
        "url": "http://testserver/people/rita-reviewer/",
        "worksFor": ORGANIZATION,
        "hasCredential": {"@type": "EducationalOccupationalCredential", "name": "MD"},
    }
    assert page["publisher"]["name"] == "Exosite"
    # The works cited, in the order the text first cites them (as the reference list).
    assert [work["name"] for work in page["citation"]] == [
        "Author 2. A study. J Test. 2020;2:1-2.",
        "Author 1. A study. J Test. 2020;1:1-2.",
    ]
    first = page["citation"][0]
    assert first["url"] == "https://doi.org/10.5555/test.2"
    assert first["identifier"] == [
        {"@type": "PropertyValue", "propertyID": "DOI", "value": "10.5555/test.2"},
        {"@type": "PropertyValue", "propertyID": "PMID", "value": "10000002"},
    ]
    crumbs = of_type(data, "BreadcrumbList")["itemListElement"]
    assert [(c["position"], c["name"], c["item"]) for c in crumbs] == [
        (1, "Exosite", "http://testserver/"),
        (2, "Articles", "http://testserver/articles/"),
        (3, article.title, "http://testserver/articles/exosomes/"),
    ]


def test_unreviewed_article_leaves_review_fields_out(client, make_article):
    article = make_article()
    _, _, data = read(client, article.get_absolute_url())
    page = of_type(data, "MedicalWebPage")
    assert "lastReviewed" not in page
    assert "reviewedBy" not in page
    assert "citation" not in page


def test_a_review_of_an_older_version_is_not_the_pages_review(client, make_article, reviewer):
    article = make_article(body="First text.")
    article.record_review(reviewer, on=date(2026, 1, 15))
    article.save()
    _, _, data = read(client, article.get_absolute_url())
    assert of_type(data, "MedicalWebPage")["reviewedBy"]["name"] == "Rita Reviewer"

    article.body = "Changed after the review."
    article.save()
    assert not article.review_current
    _, _, data = read(client, article.get_absolute_url())
    page = of_type(data, "MedicalWebPage")
    assert "lastReviewed" not in page
    assert "reviewedBy" not in page


def test_term_is_a_defined_term_in_the_glossary_set(client, make_term):
    term = make_term(
        name="Multivesicular body",
        slug="multivesicular-body",
        abbreviation="MVB",
        aliases="multivesicular endosome\nMVBs",
        short_definition="An endosome full of vesicles.",
    )
    _, _, data = read(client, term.get_absolute_url())
    defined = of_type(data, "DefinedTerm")
    assert defined["name"] == "Multivesicular body"
    assert defined["alternateName"] == ["MVB", "multivesicular endosome", "MVBs"]
    assert defined["description"] == "An endosome full of vesicles."
    assert defined["url"] == "http://testserver/glossary/multivesicular-body/"
    assert defined["inDefinedTermSet"]["@type"] == "DefinedTermSet"
    assert defined["inDefinedTermSet"]["url"] == "http://testserver/glossary/"
    assert [c["name"] for c in of_type(data, "BreadcrumbList")["itemListElement"]] == [
        "Exosite",
        "Glossary",
        "Multivesicular body",
    ]


def test_glossary_is_a_defined_term_set(client, make_term):
    make_term(name="Antigen", abbreviation="Ag")
    make_term(name="Exosome")
    _, _, data = read(client, reverse("glossary:index"))
    glossary = of_type(data, "DefinedTermSet")
    terms = glossary["hasDefinedTerm"]
    assert [(t["@type"], t["name"]) for t in terms] == [
        ("DefinedTerm", "Antigen"),
        ("DefinedTerm", "Exosome"),
    ]
    assert terms[0]["alternateName"] == ["Ag"]
    assert all(t["url"].startswith("http://testserver/glossary/") for t in terms)


def test_faq_pages_are_faq_pages(client, make_question):
    make_question(question="What is an exosome?", answer="A **tiny** vesicle.", slug="what")
    make_question(question="Are they safe?", answer="Not proven.")
    _, _, data = read(client, reverse("faq:index"))
    faq = of_type(data, "FAQPage")
    assert [q["name"] for q in faq["mainEntity"]] == ["Are they safe?", "What is an exosome?"]
    first = next(q for q in faq["mainEntity"] if q["name"] == "What is an exosome?")
    assert first["@type"] == "Question"
    assert first["acceptedAnswer"] == {"@type": "Answer", "text": "A tiny vesicle."}
    _, _, data = read(client, reverse("faq:detail", args=["what"]))
    assert [q["name"] for q in of_type(data, "FAQPage")["mainEntity"]] == ["What is an exosome?"]
    assert len(of_type(data, "BreadcrumbList")["itemListElement"]) == 3


@pytest.mark.parametrize(
    "cited", ["[@ref1]", "[@ref1; @ref2]", "[@doi:10.5555/test.1]", "[@pmid:10000002]"]
)
def test_faq_answer_text_leaves_the_citation_markers_out(client, make_question, cited):
    library_reference(1)
    library_reference(2)
    make_question(question="What is an exosome?", answer=f"A **tiny** vesicle {cited}.")
    _, _, data = read(client, reverse("faq:index"))
    (question,) = of_type(data, "FAQPage")["mainEntity"]
    assert question["acceptedAnswer"] == {"@type": "Answer", "text": "A tiny vesicle."}


def test_home_page_describes_the_site_and_its_search(client):
    _, _, data = read(client, reverse("home"))
    site = of_type(data, "WebSite")
    assert site["url"] == "http://testserver/"
    action = site["potentialAction"]
    assert action["@type"] == "SearchAction"
    assert action["target"]["urlTemplate"] == "http://testserver/search/?q={search_term_string}"


@pytest.mark.parametrize(
    "name, args",
    [
        ("home", ()),
        ("articles:list", ()),
        ("glossary:index", ()),
        ("faq:index", ()),
        ("tag-index", ()),
        ("tag-detail", ("lung",)),
        ("search", ()),
        ("article", ()),
        ("term", ()),
        ("question", ()),
    ],
)
def test_every_page_has_canonical_description_open_graph_and_twitter_tags(
    client, make_article, make_term, make_question, name, args
):
    objects = {
        "article": make_article(tags=["lung"], summary="An article summary."),
        "term": make_term(short_definition="A term definition."),
        "question": make_question(),
    }
    url = objects[name].get_absolute_url() if name in objects else reverse(name, args=args)
    response, reader, _ = read(client, url + "?utm_source=x&page=1")
    canonical = [link["href"] for link in reader.links if link.get("rel") == "canonical"]
    assert canonical == [f"http://testserver{url}"]
    assert reader.meta["og:url"] == canonical
    for key in ("description", "og:title", "og:description", "og:type", "og:site_name"):
        assert reader.meta.get(key) and reader.meta[key][0].strip(), f"{key} missing on {url}"
    assert reader.meta["twitter:card"] == ["summary"]
    assertContains(response, '<link rel="alternate" type="application/rss+xml"')


def test_canonical_keeps_page_and_tag(client, make_article):
    for _ in range(12):
        make_article(tags=["lung"])
    _, reader, _ = read(client, reverse("articles:list") + "?tag=lung&page=2&ref=mail")
    canonical = [link["href"] for link in reader.links if link.get("rel") == "canonical"]
    assert canonical == ["http://testserver/articles/?tag=lung&page=2"]


# -- languages (issue 17, item 5) -------------------------------------------------------------


def test_an_english_article_says_it_is_english(client, make_article):
    article = make_article(slug="piece")
    _, _, data = read(client, article.get_absolute_url())
    assert of_type(data, "MedicalWebPage")["inLanguage"] == "en"


def test_a_spanish_article_is_spanish_with_spanish_crumbs_and_one_organization(
    client, make_article, django_assert_max_num_queries
):
    source = make_article(title="Exosomes", slug="exosomes")
    article = make_article(title="Exosomas", slug="exosomas", language="es", translation_of=source)
    with django_assert_max_num_queries(20):
        _, _, data = read(client, article.get_absolute_url())
    page = of_type(data, "MedicalWebPage")
    assert page["inLanguage"] == "es"
    assert page["url"] == "http://testserver/es/articles/exosomas/"
    # One organisation and one author, whatever the page's language; the author's profile
    # in the page's language.
    assert page["publisher"]["@id"] == "http://testserver/#organization"
    (author,) = page["author"]
    assert author["@id"] == "http://testserver/people/edna-editor/#person"
    assert author["url"] == "http://testserver/es/people/edna-editor/"
    crumbs = of_type(data, "BreadcrumbList")["itemListElement"]
    assert [(c["name"], c["item"]) for c in crumbs] == [
        ("Exosite", "http://testserver/es/"),
        ("Artículos", "http://testserver/es/articles/"),
        ("Exosomas", "http://testserver/es/articles/exosomas/"),
    ]


def test_a_spanish_term_in_the_spanish_glossary(client, make_term):
    term = make_term(name="Cuerpo multivesicular", slug="cuerpo-multivesicular", language="es")
    _, _, data = read(client, term.get_absolute_url())
    defined = of_type(data, "DefinedTerm")
    assert defined["inLanguage"] == "es"
    assert defined["inDefinedTermSet"] == {
        "@type": "DefinedTermSet",
        "@id": "http://testserver/es/glossary/",
        "name": "Glosario de Exosite",
        "url": "http://testserver/es/glossary/",
        "inLanguage": "es",
    }
    assert [c["name"] for c in of_type(data, "BreadcrumbList")["itemListElement"]] == [
        "Exosite",
        "Glosario",
        "Cuerpo multivesicular",
    ]


def test_each_glossary_is_a_set_in_its_language(client, make_term):
    make_term(name="Antigen", slug="antigen")
    make_term(name="Antígeno", slug="antigeno", language="es")
    _, _, english = read(client, "/glossary/")
    _, _, spanish = read(client, "/es/glossary/")
    english, spanish = of_type(english, "DefinedTermSet"), of_type(spanish, "DefinedTermSet")
    assert (english["name"], english["inLanguage"]) == ("Exosite glossary", "en")
    assert (spanish["name"], spanish["inLanguage"]) == ("Glosario de Exosite", "es")
    assert spanish["description"].startswith("Definiciones")
    assert [(t["name"], t["inLanguage"]) for t in english["hasDefinedTerm"]] == [("Antigen", "en")]
    assert [(t["name"], t["inLanguage"]) for t in spanish["hasDefinedTerm"]] == [("Antígeno", "es")]


def test_spanish_faq_pages_and_questions_are_spanish(client, make_question):
    from faq.models import Topic

    tema = Topic.objects.create(name="Conceptos", slug="conceptos", language="es")
    make_question(question="What is an exosome?", slug="what")
    make_question(question="¿Qué es un exosoma?", slug="que-es", language="es", topic=tema)
    _, _, data = read(client, "/faq/")
    faq = of_type(data, "FAQPage")
    assert faq["inLanguage"] == "en"
    assert [(q["name"], q["inLanguage"]) for q in faq["mainEntity"]] == [
        ("What is an exosome?", "en")
    ]
    _, _, data = read(client, "/es/faq/que-es/")
    faq = of_type(data, "FAQPage")
    assert faq["inLanguage"] == "es"
    assert faq["mainEntity"][0]["inLanguage"] == "es"
    assert faq["mainEntity"][0]["url"] == "http://testserver/es/faq/que-es/"
    assert [c["item"] for c in of_type(data, "BreadcrumbList")["itemListElement"]][:2] == [
        "http://testserver/es/",
        "http://testserver/es/faq/",
    ]


def test_the_site_in_each_language(client):
    _, _, english = read(client, "/")
    _, _, spanish = read(client, "/es/")
    english, spanish = of_type(english, "WebSite"), of_type(spanish, "WebSite")
    assert english["inLanguage"] == "en" and spanish["inLanguage"] == "es"
    assert spanish["url"] == "http://testserver/es/"
    assert spanish["potentialAction"]["target"]["urlTemplate"] == (
        "http://testserver/es/search/?q={search_term_string}"
    )
    assert spanish["publisher"]["@id"] == english["publisher"]["@id"]
