"""Hidden means hidden: a tag carried only by unpublished content has no public page, filter
or feed; stored addresses reach a page as links only with a safe scheme."""

import json
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains
from taggit.models import Tag

from articles.models import Article
from exosite.kernel.tags import published_tags
from exosite.kernel.text import safe_url
from exosite.models import Status
from library.models import Reference
from trust.models import Person

pytestmark = pytest.mark.django_db

SECRET = "Secret project Zeta"


def tag_addresses(slug):
    return [
        reverse("tag-detail", args=[slug]),
        reverse("feed-tag", args=[slug]),
        reverse("feed-tag-atom", args=[slug]),
        reverse("articles:list") + f"?tag={slug}",
    ]


def hide(article, how):
    """Make `article` unpublished in one of the ways an item is hidden."""
    changes = {
        "draft": {"status": Status.DRAFT},
        "review": {"status": Status.REVIEW},
        "scheduled": {"published_at": timezone.now() + timedelta(days=3)},
        # Withdrawn in bulk (no signals, no search re-index).
        "withdrawn": {"status": Status.DRAFT},
    }[how]
    if how == "withdrawn":
        Article.objects.filter(pk=article.pk).update(**changes)
    else:
        for name, value in changes.items():
            setattr(article, name, value)
        article.save()


@pytest.mark.parametrize("how", ["draft", "review", "scheduled", "withdrawn"])
def test_a_tag_carried_only_by_hidden_items_has_no_page_filter_or_feed(client, make_article, how):
    article = make_article(title="Zeta results", tags=[SECRET])
    make_article(title="Public piece", tags=["public"])
    slug = Tag.objects.get(name=SECRET).slug
    for address in tag_addresses(slug):
        assert client.get(address).status_code == 200, address
    hide(article, how)
    for address in tag_addresses(slug):
        response = client.get(address)
        assert response.status_code == 404, address
        assertNotContains(response, "Zeta", status_code=404)
    # Nor anywhere else that lists tags.
    assertNotContains(client.get(reverse("tag-index")), "Zeta")
    assertNotContains(client.get(reverse("sitemap")), slug)
    search = client.get(reverse("search"), {"q": "piece", "tag": slug})
    assert search.context["tag"] is None
    assertNotContains(search, "Zeta")
    # Nor in the read API: lists, the item itself, search.
    for address in (
        f"/api/v1/article/?tag={slug}",
        "/api/v1/article/",
        "/api/v1/search/?q=zeta",
        "/api/v1/suggest/?q=zeta",
    ):
        assertNotContains(client.get(address), "Zeta")
    assert client.get(f"/api/v1/article/{article.slug}/").status_code == 404


def test_a_tag_with_any_published_item_of_any_kind_is_public(client, make_article, make_term):
    make_article(title="Zeta draft", tags=[SECRET], status=Status.DRAFT)
    make_term(name="Zeta term", tags=[SECRET])
    slug = Tag.objects.get(name=SECRET).slug
    for address in tag_addresses(slug):
        assert client.get(address).status_code == 200, address
    assert list(published_tags().values_list("name", flat=True)) == [SECRET]


def test_published_tags_is_one_query(make_article, make_term, django_assert_num_queries):
    make_article(tags=["lung"])
    make_term(tags=["brain"], status=Status.DRAFT)
    with django_assert_num_queries(1):
        assert [tag.name for tag in published_tags()] == ["lung"]


# -- stored addresses printed as links ---------------------------------------------------------

HOSTILE_URLS = [
    "javascript:alert(1)",
    " JavaScript:alert(1)",
    "java\tscript:alert(1)",
    "\x01javascript:alert(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "vbscript:msgbox(1)",
    "//evil.example/",
    "/relative/path",
]


@pytest.mark.parametrize("url", HOSTILE_URLS)
def test_safe_url_refuses_other_schemes(url):
    assert safe_url(url) == ""


@pytest.mark.parametrize(
    "url", ["https://example.org/a?b=1&c=2", "http://example.org/", "mailto:editors@example.org"]
)
def test_safe_url_keeps_web_and_mail_addresses(url):
    assert safe_url(url) == url


def json_ld(response):
    html = response.content.decode()
    blocks = html.split('<script type="application/ld+json"')[1:]
    return [json.loads(block.split(">", 1)[1].split("</script>", 1)[0]) for block in blocks]


def test_a_reference_url_saved_through_the_orm_never_becomes_a_javascript_link(
    client, make_article
):
    Reference.objects.create(
        key="hostile", authors="Hostile", title="Hostile source", url="javascript:alert(1)"
    )
    Reference.objects.create(
        key="good", authors="Good", title="Good source", url="https://example.org/paper"
    )
    article = make_article(title="Links", body="Cited [@hostile] and [@good].")
    response = client.get(article.get_absolute_url())
    assertNotContains(response, "javascript:")
    assertContains(response, '<a class="reference-link" href="https://example.org/paper">')
    article_data = next(data for data in json_ld(response) if data.get("citation"))
    assert [work.get("url") for work in article_data["citation"]] == [
        None,
        "https://example.org/paper",
    ]


def test_an_orcid_saved_through_the_orm_never_becomes_a_javascript_link(client):
    person = Person.objects.create(
        name="Dr Hostile", slug="dr-hostile", orcid="javascript:alert(1)"
    )
    response = client.get(person.get_absolute_url())
    assert response.status_code == 200
    assertNotContains(response, "javascript:")
    assert "sameAs" not in json_ld(response)[0]
    Person.objects.filter(pk=person.pk).update(orcid="https://orcid.org/0000-0002-1825-0097")
    response = client.get(person.get_absolute_url())
    assertContains(response, 'href="https://orcid.org/0000-0002-1825-0097"')
    assert json_ld(response)[0]["sameAs"] == ["https://orcid.org/0000-0002-1825-0097"]
