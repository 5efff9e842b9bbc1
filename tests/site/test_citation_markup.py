"""The markup of citations and reference lists (issue 13, item 3): groups kept to their
word, names a screen reader says well, links back named in words, DOIs and addresses
with break points. How it looks at phone and desktop widths: tests/browser/test_citations.py.
"""

import re

import pytest
from pytest_django.asserts import assertContains, assertHTMLEqual, assertNotContains

from exosite.kernel import linking
from exosite.kernel.markdown import render_markdown
from exosite.templatetags.wrapping import wrap_points
from tests.conftest import library_reference

pytestmark = pytest.mark.django_db


def link(text):
    return linking.link(render_markdown(text), cites=True, autolink=False)


def test_a_group_is_one_element_whose_links_are_named_reference_n():
    for number in range(1, 6):
        library_reference(number)
    rendered = link("Cells [@ref1]. Groups [@ref2; @ref3] and a range [@ref3; @ref4; @ref5].")
    assertHTMLEqual(
        rendered.html,
        "<p>Cells&nbsp;"
        '<sup class="citation" id="cite-1">[<a href="#ref-1" aria-label="Reference 1">1</a>]'
        "</sup>. Groups&nbsp;"
        '<sup class="citation" id="cite-2">[<a href="#ref-2" aria-label="Reference 2">2</a>, '
        '<a href="#ref-3" aria-label="Reference 3">3</a>]</sup> and a range&nbsp;'
        '<sup class="citation" id="cite-3">[<a href="#ref-3" aria-label="References 3 to 5">'
        '3</a>–<a href="#ref-5" aria-label="Reference 5">5</a>]</sup>.</p>',
    )


def test_the_space_before_a_citation_keeps_it_with_its_word():
    library_reference(1)
    spaced = link("One  [@ref1]\nand\n[@ref1] and none[@ref1].").html
    assert spaced.count("&nbsp;<sup") == 2  # two or more spaces, or a line end: one
    assert "none<sup" in spaced  # no space typed, none added
    assert "One  " not in spaced and "\n<sup" not in spaced
    # A citation that is not one keeps its space as typed, and no glue.
    left = link("Unknown [@nobody2020] here.").html
    assert "Unknown [@nobody2020] here." in left and "&nbsp;" not in left


def test_a_long_run_of_spaces_before_text_is_left_alone():
    library_reference(1)
    html = render_markdown("a" + " " * 50_000 + "b [@ref1]")
    rendered = linking.link(html, cites=True, autolink=False)
    assert rendered.html.count("&nbsp;<sup") == 1 and " " * 40_000 in rendered.html


@pytest.mark.parametrize(
    ("text", "wrapped"),
    [
        ("10.1002/jev2.12404", "10.1002/<wbr>jev2.12404"),
        ("10.1016/j.cell.2019.01.040", "10.1016/<wbr>j.cell<wbr>.2019.01.040"),
        ("10.1186/1479-5876-3-10", "10.1186/<wbr>1479-<wbr>5876-<wbr>3-<wbr>10"),
        ("10.5555/test.1", "10.5555/<wbr>test.1"),
        (
            "https://www.fda.gov/vaccines-blood/x?a=1&b=<2>",
            "https://<wbr>www<wbr>.fda<wbr>.gov/<wbr>vaccines-<wbr>blood/<wbr>x?a<wbr>=1&amp;b"
            "<wbr>=&lt;2&gt;",
        ),
        ("", ""),
    ],
)
def test_identifiers_wrap_after_slashes_and_before_dots_never_inside_a_number(text, wrapped):
    result = wrap_points(text)
    assert result == wrapped
    # <wbr> adds no character: what is copied, and what a screen reader says, is unchanged.
    assert result.replace("<wbr>", "") == wrapped.replace("<wbr>", "")
    assert not re.search(r"\d<wbr>[\d.]|\d<wbr>\d", result)  # never inside a number
    assert not result.startswith("<wbr>") and not result.endswith("<wbr>")


@pytest.fixture
def cited_article(make_article):
    # Reference 1 cited in two places, 2 and 3 once each (3 inside a group).
    return make_article(slug="cited", body="First [1]. Then [2, 3]. Again [1].", references=3)


def back_links(content, number):
    entry = content.split(f'<li id="ref-{number}"', 1)[1].split("</li>", 1)[0]
    return entry.split('<p class="backrefs">', 1)[1].split("</p>", 1)[0]


def test_links_back_are_named_in_words_and_say_which_place(client, cited_article):
    response = client.get(cited_article.get_absolute_url())
    content = response.content.decode()
    assertHTMLEqual(
        back_links(content, 1),
        '<span aria-hidden="true">↑ Back to citations:</span> '
        '<a href="#cite-1" aria-label="Back to citation 1 in the text, 1st of 2">1st</a> '
        '<a href="#cite-3" aria-label="Back to citation 1 in the text, 2nd of 2">2nd</a>',
    )
    assertHTMLEqual(
        back_links(content, 3),
        '<a href="#cite-2" aria-label="Back to citation 3 in the text">↑ Back to citation</a>',
    )
    # The old run-on line, and an arrow a screen reader would read out, are gone.
    assertNotContains(response, "Cited in the text")
    named_or_hidden = r'<span aria-hidden="true">[^<]*</span>|<a [^>]*>[^<]*</a>'
    assert "↑" not in re.sub(named_or_hidden, "", content)


def test_reference_identifiers_carry_break_points_and_keep_pubmed_ids_whole(client, cited_article):
    response = client.get(cited_article.get_absolute_url())
    assertContains(
        response,
        '<a class="reference-link" href="https://doi.org/10.5555/test.2">'
        "doi:10.5555/<wbr>test.2</a>",
        html=True,
    )
    assertContains(response, "PubMed&nbsp;10000002</a>")


def test_a_reference_without_doi_shows_its_address_with_break_points(client, make_article):
    reference = library_reference(1)
    reference.doi, reference.pmid = "", ""
    reference.url = "https://www.example.org/reports/long-report-name"
    reference.save()
    article = make_article(slug="by-address", body="Report [@ref1].")
    response = client.get(article.get_absolute_url())
    assertContains(
        response,
        '<a class="reference-link" href="https://www.example.org/reports/long-report-name">'
        "https://<wbr>www<wbr>.example<wbr>.org/<wbr>reports/<wbr>long-<wbr>report-<wbr>name</a>",
        html=True,
    )


def test_the_faq_index_keeps_each_entrys_links_back_apart(client, make_question):
    library_reference(1)
    first = make_question(answer="Yes [@ref1].")
    second = make_question(answer="No [@ref1], twice [@ref1].")
    content = client.get("/faq/").content.decode()
    names = re.findall(r'<a href="#([^"]*cite-\d+)" aria-label="([^"]*)"', content)
    assert sorted(names) == [
        (f"q{first.pk}-cite-1", "Back to citation 1 in the text"),
        (f"q{second.pk}-cite-1", "Back to citation 1 in the text, 1st of 2"),
        (f"q{second.pk}-cite-2", "Back to citation 1 in the text, 2nd of 2"),
    ]
