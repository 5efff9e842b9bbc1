import re

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from exosite.models import Status

pytestmark = pytest.mark.django_db


def test_home_shows_featured_latest_and_entry_points(
    client, make_article, make_term, make_question
):
    make_article(title="Featured piece", featured=True)
    make_article(title="Latest piece")
    make_article(title="Another latest piece")
    make_term(name="Antigen")
    make_question()
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert [a.title for a in response.context["featured"]] == ["Featured piece"]
    assert [a.title for a in response.context["latest"]] == ["Another latest piece", "Latest piece"]
    assertContains(response, "Antigen")
    assertContains(response, 'href="/glossary/"')
    assertContains(response, 'href="/faq/#basics"')


def test_a_lone_latest_article_joins_the_featured_ones(client, make_article):
    make_article(title="Featured piece", featured=True)
    make_article(title="Only other piece")
    page = client.get(reverse("home")).text
    assert "Latest articles" not in page
    start = re.search(r'<h2 id="featured-title">Start here</h2>.*?</section>', page, re.S)
    titles = re.findall(r'class="card-title"><a href="[^"]+">([^<]+)</a>', start.group(0))
    assert titles == ["Featured piece", "Only other piece"]
    assert 'href="/articles/">All articles</a>' in start.group(0)


@pytest.mark.parametrize("size", [3, 30])
def test_home_query_count_does_not_grow(
    client, make_article, make_term, make_question, django_assert_num_queries, size
):
    for n in range(size):
        make_article(featured=n < 2, tags=[f"t{n}", "shared"])
        make_term()
        make_question()
    with django_assert_num_queries(6):
        assert client.get(reverse("home")).status_code == 200


def test_tag_index_counts_only_published_items(
    client, make_article, make_term, make_question, future
):
    make_article(tags=["Immunology"])
    make_term(tags=["immunology"])
    make_question(tags=["IMMUNOLOGY"])
    make_article(tags=["immunology"], status=Status.DRAFT)
    make_term(tags=["immunology", "secret"], published_at=future)
    response = client.get(reverse("tag-index"))
    assert response.status_code == 200
    tags = {tag.slug: tag.count for tag in response.context["tags"]}
    assert tags == {"immunology": 3}
    assertNotContains(response, "secret")


def test_tags_are_one_case_insensitive_vocabulary(make_article, make_term):
    from taggit.models import Tag

    make_article(tags=["Immunology"])
    make_term(tags=["immunology"])
    assert Tag.objects.count() == 1


def test_tag_page_lists_articles_terms_and_questions(
    client, make_article, make_term, make_question
):
    make_article(title="Tagged article", tags=["lung"])
    make_term(name="Tagged term", tags=["lung"])
    make_question(question="Tagged question?", tags=["lung"])
    make_article(title="Hidden article", tags=["lung"], status=Status.DRAFT)
    make_article(title="Other article", tags=["brain"])
    response = client.get(reverse("tag-detail", args=["lung"]))
    assert response.status_code == 200
    for text in ("Tagged article", "Tagged term", "Tagged question?"):
        assertContains(response, text)
    assertNotContains(response, "Hidden article")
    assertNotContains(response, "Other article")
    assert client.get(reverse("tag-detail", args=["nope"])).status_code == 404


@pytest.mark.parametrize("size", [3, 30])
def test_tag_pages_query_count_does_not_grow(
    client,
    make_article,
    make_term,
    make_question,
    django_assert_num_queries,
    django_assert_max_num_queries,
    size,
):
    for n in range(size):
        make_article(tags=["lung", f"a{n}"])
        make_term(tags=["lung", f"t{n}"])
        make_question(tags=["lung", f"q{n}"])
    with django_assert_num_queries(4):
        assert client.get(reverse("tag-index")).status_code == 200
    # The tag, the count, one page of the list, then each kind on the page (articles with
    # their tags): at most 7, however many items carry the tag.
    with django_assert_max_num_queries(7):
        assert client.get(reverse("tag-detail", args=["lung"])).status_code == 200
    with django_assert_max_num_queries(7):
        assert client.get(reverse("tag-detail", args=["lung"]), {"page": 2}).status_code == 200


def test_custom_404_page(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assertContains(response, "We could not find that page", status_code=404)
    assertContains(response, "Medical disclaimer", status_code=404)


def test_500_page_is_served_without_the_database(django_assert_num_queries, settings):
    from django.urls import path

    def broken(request):
        raise RuntimeError("boom")

    import exosite.urls

    settings.ROOT_URLCONF = type(
        "urls", (), {"urlpatterns": [path("boom/", broken), *exosite.urls.urlpatterns]}
    )
    client = Client(raise_request_exception=False)
    with django_assert_num_queries(0):
        response = client.get("/boom/")
    assert response.status_code == 500
    assertContains(response, "Something went wrong on our side", status_code=500)


@pytest.mark.parametrize(
    "name", ["home", "articles:list", "glossary:index", "faq:index", "tag-index"]
)
def test_every_page_has_the_footer_and_landmarks(client, name):
    response = client.get(reverse(name))
    assertContains(response, "Medical disclaimer")
    assertContains(response, "editors@exosite.example")
    assertContains(response, '<main id="main"')
    assertContains(response, 'aria-current="page"' if name != "home" else "Skip to content")


def test_the_navigation_marks_each_section_although_the_chrome_is_kept(client):
    """The header is rendered once per release and section (exosite/templatetags/chrome.py):
    each section still gets its own current link, and the home page none."""
    current = re.compile(r'<a href="([^"]+)" aria-current="page">')
    for _ in range(2):  # the second round comes from what the first kept
        assert current.findall(client.get("/").content.decode()) == []
        for name, link in (
            ("articles:list", "/articles/"),
            ("glossary:index", "/glossary/"),
            ("faq:index", "/faq/"),
            ("tag-index", "/tags/"),
        ):
            header = client.get(reverse(name)).content.decode().split("</header>")[0]
            assert current.findall(header) == [link], name
