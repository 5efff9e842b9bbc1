"""Reading aids on an article: contents, reading time, "Cite this page" with its files, and
the print stylesheet."""

import re

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from exosite.models import Status
from library.parsing import parse

pytestmark = pytest.mark.django_db


def long_body(sections=3, words=150):
    return "\n\n".join(
        f"## Section {n}\n\n" + " ".join(["Exosomes carry cargo."] * (words // 3)) + f" [{n}]"
        for n in range(1, sections + 1)
    )


def test_three_sections_get_contents_ending_with_the_references(client, make_article):
    article = make_article(body=long_body(3), references=3)
    page = client.get(article.get_absolute_url()).text
    contents = re.search(r'<details class="toc" id="contents">.*?</details>', page, re.S).group(0)
    assert '<nav aria-label="Contents">' in contents
    assert re.findall(r'<a href="#([^"]+)">([^<]+)</a>', contents) == [
        ("section-1", "Section 1"),
        ("section-2", "Section 2"),
        ("section-3", "Section 3"),
        ("references-title", "References"),
    ]
    # Each entry leads to its heading.
    for anchor in ("section-1", "section-3", "references-title"):
        assert f'id="{anchor}"' in page
    assert 'class="article has-toc"' in page
    assert "js/toc.js" in page


def test_two_sections_need_no_contents(client, make_article):
    page = client.get(make_article(body=long_body(2)).get_absolute_url())
    assertNotContains(page, 'class="toc"')
    assertContains(page, 'class="article"')


@pytest.mark.parametrize(("words", "said"), [(30, "About 1 minute<"), (1200, "About 6 minutes")])
def test_reading_time(client, make_article, words, said):
    body = " ".join(["vesicle"] * words)
    assertContains(client.get(make_article(body=body).get_absolute_url()), said)


def test_cite_this_page_in_three_styles_with_files(client, make_article):
    article = make_article(
        title="How exosomes are made", slug="how-exosomes-are-made", body=long_body(), references=3
    )
    page = client.get(article.get_absolute_url()).text
    box = re.search(r'<details class="cite-page">.*?</details>', page, re.S).group(0)
    url = "http://testserver/articles/how-exosomes-are-made/"
    styles = dict(re.findall(r"<dt>(\w+)</dt><dd>(.*?)</dd>", box))
    assert list(styles) == ["Vancouver", "APA", "AMA"]
    assert styles["Vancouver"].startswith("Editor E. How exosomes are made [Internet]. Exosite;")
    assert styles["Vancouver"].endswith(f"Available from: {url}")
    assert "Editor, E. (" in styles["APA"] and url in styles["APA"]
    assert styles["AMA"].startswith("Editor E. How exosomes are made. Exosite.")
    for name in ("cite-bib", "cite-ris", "references-bib", "references-ris"):
        assert f'href="{reverse(f"articles:{name}", args=[article.slug])}" download' in box
    assert "Its 3 references" in box


def test_the_page_and_its_references_download_for_reference_managers(
    client, make_article, django_assert_num_queries
):
    article = make_article(slug="cited", body=long_body(), references=3)
    page = client.get(reverse("articles:cite-bib", args=["cited"]))
    assert page["Content-Type"] == "application/x-bibtex; charset=utf-8"
    assert page["Content-Disposition"] == 'attachment; filename="cited.bib"'
    (entry,) = parse(page.content.decode()).entries
    assert entry["title"] == article.title
    # (The import takes only addresses with a real domain; "testserver" is none.)
    assert "url = {http://testserver/articles/cited/}" in page.content.decode()
    references = client.get(reverse("articles:references-ris", args=["cited"]))
    assert references["Content-Type"] == "application/x-research-info-systems; charset=utf-8"
    assert references["Content-Disposition"] == 'attachment; filename="cited-references.ris"'
    entries = parse(references.content.decode()).entries
    assert [entry["doi"] for entry in entries] == [f"10.5555/test.{n}" for n in (1, 2, 3)]
    # The article, its authors, its linked text (figures, glossary and library versions, the
    # cited references in one query): as many for 3 references as for 30.
    with django_assert_num_queries(6):
        assert client.get(reverse("articles:references-bib", args=["cited"])).status_code == 200
    make_article(slug="cited-more", body=long_body(30, words=3), references=30)
    client.get(reverse("articles:references-ris", args=["cited-more"]))  # as warm as the first
    with django_assert_num_queries(6):
        more = client.get(reverse("articles:references-bib", args=["cited-more"]))
    assert more.content.decode().count("@article{") == 30


def test_only_published_articles_can_be_downloaded(client, make_article):
    make_article(slug="draft", status=Status.DRAFT, references=1, body="Text [1].")
    for name in ("cite-bib", "cite-ris", "references-bib", "references-ris"):
        assert client.get(reverse(f"articles:{name}", args=["draft"])).status_code == 404


def test_every_page_links_the_print_stylesheet(client, make_article):
    page = client.get(make_article().get_absolute_url())
    assertContains(page, 'href="/static/css/print.css" media="print"')
