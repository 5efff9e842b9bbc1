"""Queries per page do not grow with the data: every public page kind, counted at two
sizes of the same synthetic site (`generate_synthetic --profile load`, 20 of each kind,
then 180 more of each added), cold (every cache emptied first) and warm (the same page
asked for again, with what is kept per content version kept). The page cache is off
(tests/settings.py): these are the views' own queries, as on a page-cache miss.

The figures are exact, not ceilings: a page that gains a query at either size fails here
and says which. `make bench-load BENCH_ARGS=--scale` counts the same pages at 100 and
100,000 articles on a real server (bench/README.md).
"""

import io

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.core.paginator import Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext
from taggit.models import Tag

from articles.models import Article
from exosite.kernel import memo
from exosite.management.commands.generate_synthetic import vocabulary
from exosite.search import engines
from exosite.search import views as search_views
from exosite.views import TagDetailView, tagged_items
from faq.models import Question
from glossary.models import Term

# Committed, as in production: what a page keeps per content version (exosite.kernel.parts)
# is kept only outside a transaction, and the warm counts are about that.
pytestmark = pytest.mark.django_db(transaction=True)

SMALL, LARGE = 20, 200
# (cold, warm) queries of each page at both sizes. Cold, a page first reads the content
# version and, once per version, the publication schedule (one query per published kind:
# five with the tests' own kind), then builds what it keeps; warm, it reads the version
# (and whatever it does not keep). The tag page's cold figure leaves out the one query per
# kind of item shown on that page of the tag (articles, terms, FAQ entries: one to three),
# which depends on where the page falls in the list, not on its length. A search reads the
# promoted results once per version too (exosite/insight/promotions.py).
EXPECTED = {
    "home": (12, 1),
    "article": (19, 1),
    "article list": (9, 1),
    "term": (14, 1),
    "glossary index": (8, 1),
    "FAQ index": (10, 1),
    "FAQ entry": (14, 1),
    "tag index": (10, 1),
    "tag page": (9, 1),
    "search, a mid-frequency word": (12, 1),
    "search, past the ranking limit": (13, 1),
    "people": (1, 1),
    "person": (10, 2),
}
# PostgreSQL's engine (exosite/search/engines.py) reads the matches past the ranking
# limit with one statement more than SQLite's: as constant, at both sizes.
ON_POSTGRESQL = {"search, past the ranking limit": (14, 1)}
# A word in a few of the small set's items and some hundreds of the large set's (the
# vocabulary is Zipf-distributed, most frequent first): both under engines.LIMIT, so the
# matches are ranked in one statement at both sizes.
MID_WORD = vocabulary()[150]
# A word in most items; with engines.LIMIT lowered to 10 both sizes are past it, as a
# common word is at 100,000 articles (tiers ranked separately, no counts per kind).
COMMON_WORD = vocabulary()[0]


def generate(count, *, add=False):
    call_command(
        "generate_synthetic",
        profile="load",
        articles=count,
        terms=count,
        questions=count,
        tags=10,
        processes=1,
        force=True,
        add=add,
        stdout=io.StringIO(),
    )


def pages():
    """{page kind: address} of a page of each public kind. The items are the first
    generated, so that the same ones are asked for at both sizes (with more content around
    them at the second)."""
    article = Article.objects.published().order_by("pk").first()
    term = Term.objects.published().order_by("pk").first()
    question = Question.objects.published().order_by("pk").first()
    tag = Tag.objects.filter(slug__startswith="syn-").order_by("pk").first()
    return {
        "home": "/",
        "article": article.get_absolute_url(),
        "article list": "/articles/",
        "term": term.get_absolute_url(),
        "glossary index": "/glossary/",
        "FAQ index": "/faq/",
        "FAQ entry": question.get_absolute_url(),
        "tag index": "/tags/",
        "tag page": f"/tags/{tag.slug}/",
        "search, a mid-frequency word": f"/search/?q={MID_WORD}",
        "search, past the ranking limit": f"/search/?q={COMMON_WORD}",
        "people": "/people/",
        "person": "/people/syn-author/",
    }


def kinds_on_first_page(slug):
    """How many kinds of item (articles, terms, FAQ entries) the tag's first page shows."""
    items = list(tagged_items(Tag.objects.get(slug=slug)))
    shown = Paginator(items, TagDetailView.paginate_by).page(1).object_list
    return len({kind for kind, _, _ in shown})


def counted(client, url):
    """(queries, response) of one request for `url`."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries), response


def query_counts(client, monkeypatch):
    """({page kind: (cold, warm)}, {search: matches}): cold with every cache emptied
    first, warm right after."""
    counts, matches = {}, {}
    for name, url in pages().items():
        with monkeypatch.context() as patch:
            if name == "search, past the ranking limit":
                patch.setattr(engines, "LIMIT", 10)
                patch.setattr(search_views, "LIMIT", 10)
            cache.clear()
            memo.forget_all()
            cold, response = counted(client, url)
            warm, _ = counted(client, url)
        counts[name] = (cold, warm)
        if name.startswith("search"):
            matches[name] = response.context["total"]
    cold, warm = counts["tag page"]
    counts["tag page"] = (cold - kinds_on_first_page(pages()["tag page"].split("/")[2]), warm)
    return counts, matches


def test_queries_per_page_are_the_same_at_both_sizes(client, monkeypatch):
    generate(SMALL)
    small, small_matches = query_counts(client, monkeypatch)
    generate(LARGE - SMALL, add=True)
    assert Article.objects.count() == LARGE
    large, large_matches = query_counts(client, monkeypatch)

    expected = EXPECTED | (ON_POSTGRESQL if connection.vendor == "postgresql" else {})
    assert small == expected
    assert large == expected
    # Each search was in the same regime at both sizes, with ten times the matches.
    mid, common = "search, a mid-frequency word", "search, past the ranking limit"
    assert 0 < small_matches[mid] < large_matches[mid] <= engines.LIMIT
    assert small_matches[common] == large_matches[common] == 10 + 1  # counted up to LIMIT + 1
