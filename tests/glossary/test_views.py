import re

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from exosite.models import Status
from glossary.models import Term

pytestmark = pytest.mark.django_db

SECTION = re.compile(r'<section class="letter-group" id="letter-([^"]+)".*?</section>', re.S)
TERM = re.compile(r"<dt><a [^>]*>([^<]+)</a>")


def letter_groups(response):
    """{letter: [term names]} as the index page shows them."""
    html = response.content.decode()
    return {
        ("#" if found.group(1) == "other" else found.group(1)): TERM.findall(found.group(0))
        for found in SECTION.finditer(html)
    }


def test_index_groups_terms_by_letter_with_navigation(client, make_term):
    make_term(name="Antigen", short_definition="A molecule the immune system recognises.")
    make_term(name="adipose tissue")
    make_term(name="Bone marrow")
    make_term(name="Élan vital")
    make_term(name="CD34+ stem cell")
    make_term(name="5-HT")
    response = client.get(reverse("glossary:index"))
    assert response.status_code == 200
    groups = letter_groups(response)
    assert groups["A"] == ["adipose tissue", "Antigen"]
    assert groups["E"] == ["Élan vital"]
    assert groups["#"] == ["5-HT"]
    assertContains(response, '<a href="#letter-A">A</a>', html=True)
    assertContains(response, '<a href="#letter-other">#</a>', html=True)
    assertContains(response, '<span class="letter-empty" aria-disabled="true">Z</span>', html=True)
    assertContains(response, 'id="letter-B"')
    assertContains(response, "A molecule the immune system recognises.")


def test_draft_and_scheduled_terms_are_hidden(client, make_term, future):
    draft = make_term(name="Draftterm", status=Status.DRAFT)
    scheduled = make_term(name="Laterterm", published_at=future)
    visible = make_term(name="Visibleterm", related=[draft, scheduled])
    index = client.get(reverse("glossary:index"))
    assertContains(index, "Visibleterm")
    detail = client.get(visible.get_absolute_url())
    for hidden in (draft, scheduled):
        assertNotContains(index, hidden.name)
        assertNotContains(detail, hidden.name)
        assert client.get(hidden.get_absolute_url()).status_code == 404


def test_term_page_shows_definition_aliases_related_and_tags(client, make_term):
    antigen = make_term(name="Antigen")
    term = make_term(
        name="Dendritic cell",
        abbreviation="DC",
        aliases="dendritic cells\nDCs",
        short_definition="An immune cell that presents antigens.",
        definition="Dendritic cells **present** antigens to T cells.",
        related=[antigen],
        tags=["immunology"],
    )
    response = client.get(term.get_absolute_url())
    assert response.status_code == 200
    assertContains(response, "An immune cell that presents antigens.")
    assertContains(response, "Also called: dendritic cells, DCs")
    assertContains(response, "<strong>present</strong>", html=True)
    assertContains(response, f'<a href="{antigen.get_absolute_url()}">Antigen</a>', html=True)
    assertContains(response, 'href="/tags/immunology/"')
    # "See also" is symmetric.
    assertContains(client.get(antigen.get_absolute_url()), "Dendritic cell")


def test_term_names_with_markup_are_escaped(client, make_term):
    term = make_term(name="<b>CD34+</b> & co", short_definition='Quotes " and <i>tags</i>')
    response = client.get(term.get_absolute_url())
    assertContains(response, "&lt;b&gt;CD34+&lt;/b&gt; &amp; co")
    assertNotContains(response, "<i>tags</i>")


@pytest.mark.parametrize("size", [3, 30])
def test_index_query_count_does_not_grow(client, make_term, django_assert_num_queries, size):
    for n in range(size):
        make_term(name=f"Term {chr(65 + n % 26)}{n}")
    with django_assert_num_queries(2):  # the letters (kept until content changes), the terms
        response = client.get(reverse("glossary:index"))
    assert sum(len(names) for names in letter_groups(response).values()) == size


def test_a_large_glossary_gets_a_page_per_letter(client, make_term, settings):
    settings.EXOSITE_GLOSSARY_ONE_PAGE_LIMIT = 3
    for name in ["Antigen", "adipose tissue", "Bone marrow", "Élan vital", "5-HT"]:
        make_term(name=name)
    first = client.get(reverse("glossary:index"))
    assert list(letter_groups(first)) == ["A"]  # the first letter
    assertContains(first, "<h1>Glossary A–Z: A</h1>", html=True)
    assertContains(first, '<a href="?letter=A" aria-current="page">A</a>', html=True)
    assertContains(first, '<a href="?letter=E">E</a>', html=True)
    assertContains(first, '<a href="?letter=%23">#</a>', html=True)
    assertContains(first, '<span class="letter-empty" aria-disabled="true">Z</span>', html=True)
    assertNotContains(first, "Bone marrow")
    letter_e = client.get(reverse("glossary:index"), {"letter": "E"})
    assert letter_groups(letter_e) == {"E": ["Élan vital"]}
    lower = client.get(reverse("glossary:index"), {"letter": "e"})
    assert letter_groups(lower) == letter_groups(letter_e)
    assertContains(letter_e, 'rel="canonical" href="http://testserver/glossary/?letter=E"')
    other = client.get(reverse("glossary:index"), {"letter": "#"})
    assert letter_groups(other) == {"#": ["5-HT"]}
    # A letter without terms, or nonsense, has no page: not another letter's page under an
    # address that names this one.
    for wanted in ("Z", "<script>", "AB"):
        response = client.get(reverse("glossary:index"), {"letter": wanted})
        assert response.status_code == 404


def test_a_letter_asked_of_a_one_page_glossary_leads_to_its_section(client, make_term):
    make_term(name="Bone marrow")
    make_term(name="5-HT")
    response = client.get(reverse("glossary:index"), {"letter": "b"})
    assert response.status_code == 302
    assert response["Location"] == "/glossary/#letter-B"
    other = client.get(reverse("glossary:index"), {"letter": "#"})
    assert other["Location"] == "/glossary/#letter-other"
    assert client.get(reverse("glossary:index"), {"letter": "Q"}).status_code == 404


def test_a_letter_with_many_terms_gets_pages_of_its_own(client, make_term, settings):
    settings.EXOSITE_GLOSSARY_ONE_PAGE_LIMIT = 3
    settings.EXOSITE_GLOSSARY_PER_PAGE = 2
    for name in ["Antigen", "adipose tissue", "Apoptosis", "Bone marrow"]:
        make_term(name=name)
    first = client.get(reverse("glossary:index"), {"letter": "A"})
    assert letter_groups(first) == {"A": ["adipose tissue", "Antigen"]}
    assertContains(first, '<a href="?letter=A&amp;page=2" rel="next">', html=False)
    assertContains(first, 'rel="canonical" href="http://testserver/glossary/?letter=A"')
    second = client.get(reverse("glossary:index"), {"letter": "A", "page": "2"})
    assert letter_groups(second) == {"A": ["Apoptosis"]}
    assertContains(second, "<title>Glossary A–Z: A, page 2 · Exosite</title>", html=True)
    assertContains(second, 'rel="canonical" href="http://testserver/glossary/?letter=A&amp;page=2"')
    for page in ("3", "0", "x"):
        response = client.get(reverse("glossary:index"), {"letter": "A", "page": page})
        assert response.status_code == 404


def test_a_page_per_letter_costs_the_same_queries_at_any_size(
    client, make_term, settings, django_assert_num_queries
):
    settings.EXOSITE_GLOSSARY_ONE_PAGE_LIMIT = 3
    for n in range(40):
        make_term(name=f"Term {chr(65 + n % 26)}{n}")
    with django_assert_num_queries(2):
        response = client.get(reverse("glossary:index"), {"letter": "T"})
    assert len(letter_groups(response)["T"]) == 40


@pytest.mark.parametrize("size", [3, 30])
def test_detail_query_count_does_not_grow(client, make_term, django_assert_num_queries, size):
    others = [make_term() for _ in range(size)]
    term = make_term(tags=[f"tag {n}" for n in range(size)], related=others)
    with django_assert_num_queries(8):  # 7, and its translations (kept with its parts)
        response = client.get(term.get_absolute_url())
    assert response.content.count(b'rel="tag"') == size


def test_alias_list_ignores_blank_lines():
    assert Term(aliases="one\n\n  two  \n").alias_list == ["one", "two"]
