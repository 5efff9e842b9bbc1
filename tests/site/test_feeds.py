"""RSS and Atom feeds, read by a real feed parser (feedparser)."""

import html

import feedparser
import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains
from taggit.models import Tag

from exosite.models import Status
from trust.models import Person

pytestmark = pytest.mark.django_db

FEEDS = [
    ("feed-articles", (), "rss20"),
    ("feed-articles-atom", (), "atom10"),
    ("feed-tag", ("lung",), "rss20"),
    ("feed-tag-atom", ("lung",), "atom10"),
]


def parse(client, name, args=()):
    response = client.get(reverse(name, args=args))
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    return response, feed


@pytest.mark.parametrize("name, args, version", FEEDS)
def test_feeds_are_well_formed_and_list_published_articles_only(
    client, make_article, reviewer, future, name, args, version
):
    authors = [
        Person.objects.create(name="Ann Writer", slug="ann-writer"),
        Person.objects.create(name="Ben Private", slug="ben-private", is_public=False),
    ]
    article = make_article(
        title="Lung vesicles", summary="About <lungs> & EVs.", authors=authors, tags=["Lung"]
    )
    article.record_review(reviewer)
    article.save()
    make_article(title="Older lung piece", tags=["lung", "biology"])
    make_article(title="Brain piece", tags=["brain"])
    make_article(title="Draft lung piece", tags=["lung"], status=Status.DRAFT)
    make_article(title="Scheduled lung piece", tags=["lung"], published_at=future)
    response, feed = parse(client, name, args)
    assert feed.version == version
    titles = [entry.title for entry in feed.entries]
    expected = ["Lung vesicles", "Older lung piece"] if args else [
        "Lung vesicles", "Older lung piece", "Brain piece"
    ]  # fmt: skip
    assert sorted(titles) == sorted(expected)
    entry = next(entry for entry in feed.entries if entry.title == "Lung vesicles")
    assert entry.link.startswith("http://testserver/articles/")
    # The summary travels as HTML whose text is the plain summary (a reader shows "<").
    assert entry.summary_detail.type == "text/html"
    assert html.unescape(entry.summary) == "About <lungs> & EVs."
    # Exactly the authors (the reviewer is not one of them).
    assert entry.author == "Ann Writer, Ben Private"
    assert [tag.term for tag in entry.tags] == ["Lung"]
    assert entry.published_parsed is not None
    assert feed.feed.title.startswith("Exosite")
    assert feed.feed.link.startswith("http://testserver/")


def test_feed_lists_the_newest_first_and_at_most_twenty(client, make_article):
    from datetime import timedelta

    from django.utils import timezone

    now = timezone.now()
    for n in range(25):
        make_article(title=f"Piece {n:02}", published_at=now - timedelta(days=n))
    _, feed = parse(client, "feed-articles")
    assert [entry.title for entry in feed.entries] == [f"Piece {n:02}" for n in range(20)]


def test_unknown_tag_feed_is_not_found(client):
    assert client.get(reverse("feed-tag", args=["no-such-tag"])).status_code == 404


def test_pages_link_their_feeds(client, make_article):
    make_article(tags=["lung"])
    home = client.get(reverse("home"))
    assertContains(
        home,
        '<link rel="alternate" type="application/rss+xml" '
        'title="Exosite: latest articles (RSS)" href="/feeds/articles/">',
        html=True,
    )
    assertContains(
        home,
        '<link rel="alternate" type="application/atom+xml" '
        'title="Exosite: latest articles (Atom)" href="/feeds/articles/atom/">',
        html=True,
    )
    tag_page = client.get(reverse("tag-detail", args=["lung"]))
    assertContains(tag_page, 'type="application/rss+xml" title="Exosite: articles on lung (RSS)"')
    assertContains(tag_page, 'href="/feeds/tags/lung/atom/"')
    article_list = client.get(reverse("articles:list"), {"tag": "lung"})
    assertContains(article_list, 'href="/feeds/tags/lung/"')


HOSTILE_TAG_NAMES = [
    "<img src=x onerror=alert(1)>",
    "<b>bold</b> & <i>it</i>",
    "</description><script>alert(1)</script>",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "R&D <3",
    '"><svg onload=alert(1)>',
]


def text_of(detail):
    """What a feed reader shows of a parsed text construct: HTML is rendered (so it must
    hold no markup at all here, only text and entities), plain text is shown as is."""
    if detail.type == "text/html":
        assert "<" not in detail.value, detail.value
        return html.unescape(detail.value)
    assert detail.type == "text/plain", detail.type
    return detail.value


@pytest.mark.parametrize("name", HOSTILE_TAG_NAMES)
@pytest.mark.parametrize("feed_name", ["feed-tag", "feed-tag-atom", "feed-articles"])
def test_hostile_tag_names_and_summaries_stay_text_in_every_feed(
    client, make_article, feed_name, name
):
    make_article(title=f"On {name}", summary=f"About {name}.", tags=[name])
    slug = Tag.objects.get().slug
    _, feed = parse(client, feed_name, (slug,) if feed_name != "feed-articles" else ())
    details = [feed.feed.title_detail, feed.feed.subtitle_detail]
    if feed_name != "feed-articles":
        assert text_of(feed.feed.title_detail) == f"Exosite: articles on {name}"
        assert text_of(feed.feed.subtitle_detail) == (
            f"New evidence-based articles about {name} on Exosite."
        )
    (entry,) = feed.entries
    details += [entry.title_detail, entry.summary_detail]
    for detail in details:
        text_of(detail)
    assert text_of(entry.summary_detail) == f"About {name}."
    assert [tag.term for tag in entry.tags] == [name]
