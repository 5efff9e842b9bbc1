import re

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from exosite.models import Status

pytestmark = pytest.mark.django_db


def test_list_shows_published_articles_newest_first(client, make_article):
    older = make_article(title="Older article")
    newer = make_article(title="Newer article", published_at=older.published_at.replace(year=2030))
    newer.published_at = older.published_at
    make_article(title="A later one")
    response = client.get(reverse("articles:list"))
    assert response.status_code == 200
    titles = re.findall(r'class="card-title"><a href="[^"]+">([^<]+)</a>', response.text)
    assert titles[0] == "A later one"
    assertContains(response, "Older article")


def test_drafts_and_scheduled_articles_are_hidden_everywhere(client, make_article, future):
    draft = make_article(title="Draft piece", status=Status.DRAFT)
    review = make_article(title="Piece in review", status=Status.REVIEW)
    scheduled = make_article(title="Scheduled piece", published_at=future)
    make_article(title="Visible piece")
    listing = client.get(reverse("articles:list"))
    assertContains(listing, "Visible piece")
    home = client.get(reverse("home"))
    for hidden in (draft, review, scheduled):
        assertNotContains(listing, hidden.title)
        assertNotContains(home, hidden.title)
        assert client.get(hidden.get_absolute_url()).status_code == 404


def test_scheduled_article_goes_live_at_its_time(client, make_article, future):
    from datetime import timedelta

    from django.utils import timezone

    article = make_article(published_at=timezone.now() + timedelta(seconds=1))
    assert client.get(article.get_absolute_url()).status_code == 404
    article.published_at = timezone.now() - timedelta(seconds=1)
    article.save()
    assert client.get(article.get_absolute_url()).status_code == 200


def test_list_filters_by_tag_and_pagination_keeps_the_filter(client, make_article):
    for _ in range(12):
        make_article(tags=["isolation"])
    make_article(title="Untagged article")
    response = client.get(reverse("articles:list"), {"tag": "isolation"})
    assert response.status_code == 200
    assert response.text.count('<article class="card">') == 10
    assertNotContains(response, "Untagged article")
    assertContains(response, "?tag=isolation&amp;page=2")
    page_two = client.get(reverse("articles:list"), {"tag": "isolation", "page": 2})
    assert page_two.text.count('<article class="card">') == 2
    for wrong in ("3", "0", "x", "1.0", "-1", "9" * 7):
        response = client.get(reverse("articles:list"), {"tag": "isolation", "page": wrong})
        assert response.status_code == 404, wrong


def test_a_list_page_is_the_same_whatever_else_its_address_says(client, make_article):
    """Kept per tag and page: another parameter (a tracking code, `?nocache=`) neither
    changes the page nor reaches its links."""
    for _ in range(12):
        make_article(tags=["isolation"])
    plain = client.get(reverse("articles:list"), {"tag": "isolation"})
    tracked = client.get(reverse("articles:list"), {"tag": "isolation", "utm_source": "x"})
    assert 'href="?tag=isolation&amp;page=2"' in tracked.text
    assert "utm_source" not in tracked.text.split("<main", 1)[1]
    main = re.compile(r"<main.*</main>", re.S)
    assert main.search(plain.text)[0] == main.search(tracked.text)[0]


def test_unknown_tag_filter_is_404(client, make_article):
    make_article()
    assert client.get(reverse("articles:list"), {"tag": "nope"}).status_code == 404


def test_detail_shows_everything_a_reader_needs(client, make_article, reviewer):
    from datetime import date

    from trust.models import Person

    writer = Person.objects.create(name="A. Writer", slug="a-writer", credentials="PhD")
    article = make_article(
        title="What are exosomes?",
        summary="Tiny vesicles that carry messages.",
        authors=[writer],
        body="## How they form\n\nInside **multivesicular bodies** [1]. Then released [2].",
        reviewer=reviewer,
        reviewed_at=date(2026, 10, 1),
        tags=["biology", "Exosomes"],
        references=2,
    )
    assert article.review_current
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    assertContains(response, "<h1>What are exosomes?</h1>", html=True)
    assertContains(response, "Tiny vesicles that carry messages.")
    assertContains(response, '<a href="/people/a-writer/" rel="author">A. Writer</a>, PhD')
    assertContains(response, "1 October 2026")
    assertContains(response, "Rita Reviewer")
    assertNotContains(response, "Not yet reviewed")
    assertContains(response, '<h2 id="how-they-form">How they form</h2>', html=True)
    assertContains(response, "<strong>multivesicular bodies</strong>", html=True)
    assertContains(response, 'href="https://doi.org/10.5555/test.1"')
    assertContains(response, 'href="https://pubmed.ncbi.nlm.nih.gov/10000002/"')
    assertContains(response, 'id="ref-2"')
    assertContains(response, 'href="/tags/biology/"')
    assertContains(response, 'href="/tags/exosomes/"')
    assertContains(response, "Full medical disclaimer")


def test_an_article_says_its_disclaimer_and_offers_a_report_once(client, make_article):
    """One disclaimer (the article's box: the footer leaves its own out) and one "Report a
    problem" link (the page's feedback); other pages keep the footer's disclaimer."""
    article = make_article()
    html = client.get(article.get_absolute_url()).content.decode()
    assert html.count("not medical advice") == 1
    assert html.count("Report a problem with this page") == 1
    assert 'class="article-disclaimer"' in html
    listing = client.get(reverse("articles:list")).content.decode()
    assert listing.count("not medical advice") == 1
    assert "Medical disclaimer." in listing


@pytest.mark.parametrize("size", [3, 30])
def test_detail_query_count_does_not_grow(
    client, make_article, make_term, make_question, django_assert_num_queries, size
):
    """However many tags, references, citations, cross-links and glossary terms."""
    terms = [make_term(name=f"Vesicle kind {n}") for n in range(size)]
    questions = [make_question(tags=["shared"]) for _ in range(size)]
    body = " ".join(
        f"Vesicle kind {n} [{n + 1}] and [[glossary:{terms[n].slug}]] and "
        f"[[faq:{questions[n].slug}]]."
        for n in range(size)
    )
    article = make_article(
        body=body, tags=["shared", *(f"tag {n}" for n in range(size))], references=size
    )
    for _ in range(size):
        make_article(tags=["shared"])
    # Cold: links the body (citation keys looked up in the library once), builds the
    # glossary index; finds its translations (one query, kept with its parts).
    with django_assert_num_queries(18):
        response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    assert response.content.count(b'rel="tag"') == size + 1
    assert response.content.count(b'class="citation"') == size
    with django_assert_num_queries(14):  # warm: the linked body comes from the cache
        assert client.get(article.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("size", [3, 30])
def test_list_query_count_does_not_grow(client, make_article, django_assert_num_queries, size):
    for _ in range(10):
        make_article(tags=[f"tag {n}" for n in range(size)])
    with django_assert_num_queries(3):
        response = client.get(reverse("articles:list"))
    assert response.status_code == 200


def test_partial_saves_keep_the_stored_html_in_step(make_article):
    from articles.models import Article

    article = make_article(body="Old text.")
    Article.objects.update_or_create(slug=article.slug, defaults={"body": "New **text**."})
    article.refresh_from_db()
    assert article.body_html == "<p>New <strong>text</strong>.</p>"
    article.body = "Third."
    article.save(update_fields=["body"])
    article.refresh_from_db()
    assert article.body_html == "<p>Third.</p>"
