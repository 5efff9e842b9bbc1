"""Counting page views, searches, opened results and type-ahead picks (exosite/insight):
per day, batched, through the page cache, never robots."""

import threading
import time
from datetime import date

import pytest
from django.db import connection, connections, transaction
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from exosite.insight.counting import counters, is_bot, normalise
from exosite.insight.middleware import HEADER, CountingMiddleware
from exosite.insight.models import ItemDay, SearchDay
from exosite.models import Status

pytestmark = pytest.mark.django_db


def views(obj, kind="article"):
    return sum(ItemDay.objects.filter(kind=kind, object_id=obj.pk).values_list("views", flat=True))


def searched(query):
    return (
        SearchDay.objects.filter(query=query)
        .values("searches", "empty", "results", "opened", "language")
        .first()
    )


def test_a_page_view_is_counted_per_item_and_day(visitor, make_article, flush):
    article = make_article(title="Exosomes in wound healing")
    other = make_article(title="Another one")
    for _ in range(3):
        response = visitor.get(article.get_absolute_url())
        assert response.status_code == 200
        assert HEADER not in response  # taken off before it leaves
    visitor.get(other.get_absolute_url())
    assert ItemDay.objects.count() == 0  # not yet written: batched
    flush()
    row = ItemDay.objects.get(object_id=article.pk)
    assert (row.day, row.kind, row.language, row.views, row.picks, row.period) == (
        timezone.localdate(),
        "article",
        "en",
        3,
        0,
        "day",
    )
    assert views(other) == 1


def test_writes_add_to_what_is_there(visitor, make_article, flush):
    article = make_article()
    visitor.get(article.get_absolute_url())
    flush()
    visitor.get(article.get_absolute_url())
    visitor.get(article.get_absolute_url())
    flush()
    assert views(article) == 3
    assert ItemDay.objects.count() == 1


def test_a_spanish_translation_is_its_own_item(visitor, make_article, flush):
    english = make_article(title="Exosomes", slug="exosomes")
    spanish = make_article(title="Exosomas", slug="exosomas", language="es", translation_of=english)
    assert visitor.get(spanish.get_absolute_url()).status_code == 200
    flush()
    assert list(ItemDay.objects.values_list("object_id", "language", "views")) == [
        (spanish.pk, "es", 1)
    ]


def test_terms_faq_entries_and_policy_pages_are_counted(visitor, make_term, make_question, flush):
    term = make_term(name="Dendritic cell")
    question = make_question()
    visitor.get(term.get_absolute_url())
    visitor.get(question.get_absolute_url())
    visitor.get("/pages/privacy/")
    visitor.get(reverse("articles:list"))  # a list names no single item
    flush()
    counted = set(ItemDay.objects.values_list("kind", "object_id"))
    from trust.models import Page

    privacy = Page.objects.get(slug="privacy")
    assert counted == {("glossary", term.pk), ("faq", question.pk), ("page", privacy.pk)}


def test_a_page_cache_hit_is_counted(visitor, make_article, page_cache, flush):
    article = make_article()
    first = visitor.get(article.get_absolute_url())
    second = visitor.get(article.get_absolute_url())
    assert (first["X-Cache"], second["X-Cache"]) == ("miss", "hit")
    assert HEADER not in second
    # A revalidation answered 304 from the cache (no page headers) counts too.
    third = visitor.get(article.get_absolute_url(), headers={"if-none-match": second["ETag"]})
    assert third.status_code == 304
    flush()
    assert views(article) == 3


def test_a_hit_costs_no_query_of_its_own(visitor, make_article, page_cache, settings):
    settings.EXOSITE_INSIGHT_FLUSH_HITS = 1_000
    article = make_article()
    visitor.get(article.get_absolute_url())
    with CaptureQueriesContext(connection) as queries:
        assert visitor.get(article.get_absolute_url())["X-Cache"] == "hit"
    assert len(queries) == 1  # the content version, as without counting
    assert len(counters) == 2


@pytest.mark.parametrize(
    "agent",
    [
        "",
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "Mozilla/5.0 (compatible; bingbot/2.0)",
        "facebookexternalhit/1.1",
        "curl/8.5.0",
        "python-requests/2.32",
        "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.0)",
        "Some Crawler/1.0",
        "Screaming Frog SEO Spider/19.0",
    ],
)
def test_robots_are_not_counted(client, make_article, flush, agent):
    article = make_article()
    assert client.get(article.get_absolute_url(), headers={"user-agent": agent}).status_code == 200
    flush()
    assert ItemDay.objects.count() == 0
    assert is_bot(agent)


def test_browsers_are_not_robots():
    for agent in (
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
        "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0",
    ):
        assert not is_bot(agent)


def test_prefetches_are_not_counted(visitor, make_article, flush):
    article = make_article()
    visitor.get(article.get_absolute_url(), headers={"sec-purpose": "prefetch;prerender"})
    visitor.get(article.get_absolute_url(), headers={"purpose": "prefetch"})
    flush()
    assert ItemDay.objects.count() == 0


def test_drafts_previews_and_errors_are_not_counted(visitor, make_article, admin_client, flush):
    draft = make_article(status=Status.DRAFT)
    assert visitor.get(f"/articles/{draft.slug}/").status_code == 404
    admin_client.defaults["HTTP_USER_AGENT"] = visitor.defaults["HTTP_USER_AGENT"]
    preview = admin_client.get(reverse("preview", args=["article", draft.pk]))
    assert preview.status_code == 200
    assert HEADER not in preview
    visitor.get("/articles/no-such-article/")
    flush()
    assert ItemDay.objects.count() == 0


def test_counts_are_written_every_n_hits(visitor, make_article, settings):
    settings.EXOSITE_INSIGHT_FLUSH_HITS = 3
    settings.EXOSITE_INSIGHT_FLUSH_SECONDS = 3600
    article = make_article()
    for expected in (0, 0, 3, 3, 3, 6):
        with CaptureQueriesContext(connection) as queries:
            visitor.get(article.get_absolute_url())
        writes = [q["sql"] for q in queries if "insight_itemday" in q["sql"]]
        assert views(article) == expected
        # One statement per batch, never one per view.
        assert len(writes) == (1 if expected and len(counters) == 0 else 0)


def test_counts_are_written_every_n_seconds(visitor, make_article, settings, monkeypatch):
    settings.EXOSITE_INSIGHT_FLUSH_HITS = 1_000
    settings.EXOSITE_INSIGHT_FLUSH_SECONDS = 30
    article = make_article()
    visitor.get(article.get_absolute_url())
    assert views(article) == 0
    import exosite.insight.counting as counting

    later = counting.time.monotonic() + 31
    monkeypatch.setattr(counting.time, "monotonic", lambda: later)
    visitor.get(article.get_absolute_url())
    assert views(article) == 2


def test_counting_can_be_switched_off(visitor, make_article, settings, flush):
    settings.EXOSITE_INSIGHT = False
    article = make_article()
    response = visitor.get(article.get_absolute_url())
    assert HEADER not in response
    flush()
    assert ItemDay.objects.count() == 0


def test_a_failed_write_keeps_the_counts(visitor, make_article, monkeypatch, flush):
    from django.db import DatabaseError

    import exosite.insight.counting as counting

    article = make_article()
    visitor.get(article.get_absolute_url())

    def broken(*args, **kwargs):
        raise DatabaseError("database is locked")

    real = counting.upsert
    monkeypatch.setattr(counting, "upsert", broken)
    assert flush() == 0
    monkeypatch.setattr(counting, "upsert", real)
    visitor.get(article.get_absolute_url())
    flush()
    assert views(article) == 2


# -- searches -----------------------------------------------------------------------------


def test_searches_are_counted_normalised(visitor, make_article, flush):
    make_article(title="Vesicle biology")
    make_article(title="Vesicle transport")
    visitor.get(reverse("search"), {"q": "  VESICLE? "})
    visitor.get(reverse("search"), {"q": "vesicle"})
    visitor.get(reverse("search"), {"q": "Zebrafish lanterns"})
    # Paging through and narrowing are not new searches; an empty box is none.
    visitor.get(reverse("search"), {"q": "vesicle", "page": "2"})
    visitor.get(reverse("search"), {"q": "vesicle", "kind": "article"})
    visitor.get(reverse("search"), {"q": ""})
    flush()
    assert searched("vesicle") == {
        "searches": 2,
        "empty": 0,
        "results": 2,
        "opened": 0,
        "language": "en",
    }
    assert searched("zebrafish lanterns") == {
        "searches": 1,
        "empty": 1,
        "results": 0,
        "opened": 0,
        "language": "en",
    }
    assert SearchDay.objects.count() == 2


def test_a_cached_search_is_counted(visitor, make_article, page_cache, flush):
    make_article(title="Vesicle biology")
    first = visitor.get(reverse("search"), {"q": "vesicle"})
    second = visitor.get(reverse("search"), {"q": "vesicle"})
    assert (first["X-Cache"], second["X-Cache"]) == ("miss", "hit")
    assert HEADER not in second
    flush()
    assert searched("vesicle")["searches"] == 2


def test_personal_looking_queries_are_not_kept_as_typed(visitor, flush):
    visitor.get(reverse("search"), {"q": "jane.doe@example.org"})
    visitor.get(reverse("search"), {"q": "call +44 20 7946 0958"})
    flush()
    assert list(SearchDay.objects.values_list("query", "searches")) == [(normalise("a@b"), 2)]


def test_an_opened_result_is_counted_for_its_search(visitor, make_article, flush):
    article = make_article(title="Vesicle biology")
    search_page = "http://testserver" + reverse("search") + "?q=Vesicle"
    visitor.get(reverse("search"), {"q": "Vesicle"})
    visitor.get(article.get_absolute_url(), headers={"referer": search_page})
    # Not from a search: another page, another site, a filtered search.
    visitor.get(article.get_absolute_url(), headers={"referer": "http://testserver/articles/"})
    visitor.get(
        article.get_absolute_url(), headers={"referer": "https://elsewhere.example/search/?q=x"}
    )
    visitor.get(article.get_absolute_url(), headers={"referer": search_page + "&kind=article"})
    flush()
    assert searched("vesicle")["opened"] == 1
    assert views(article) == 4


# -- type-ahead picks -----------------------------------------------------------------------


def beacon(client, path, **extra):
    return client.post(reverse("search-suggest"), path, content_type="text/plain", **extra)


def test_a_typeahead_pick_is_counted(visitor, make_term, flush):
    term = make_term(name="Dendritic cell", slug="dendritic-cell")
    response = beacon(visitor, term.get_absolute_url())
    assert response.status_code == 204
    assert not response.cookies
    # Anything else sent is answered the same and counts nothing.
    for body in ("/articles/nothing-here/", "/glossary/", "x" * 1000, "\x00\xff", ""):
        assert beacon(visitor, body).status_code == 204
    flush()
    assert list(ItemDay.objects.values_list("kind", "object_id", "views", "picks")) == [
        ("glossary", term.pk, 0, 1)
    ]


def test_picks_are_rate_limited_per_client(visitor, make_term, flush):
    term = make_term()
    for _ in range(40):
        beacon(visitor, term.get_absolute_url())
    beacon(visitor, term.get_absolute_url(), REMOTE_ADDR="198.51.100.9")
    flush()
    assert ItemDay.objects.get().picks == 31


def test_picks_of_unpublished_items_are_not_counted(visitor, make_term, flush):
    term = make_term(status=Status.DRAFT)
    beacon(visitor, f"/glossary/{term.slug}/")
    flush()
    assert ItemDay.objects.count() == 0


def test_a_get_of_the_typeahead_is_unchanged(visitor, make_term):
    make_term(name="Dendritic cell", slug="dendritic-cell")
    response = visitor.get(reverse("search-suggest"), {"q": "dendri"})
    assert response.json()["results"][0]["url"] == "/glossary/dendritic-cell/"


def test_the_middleware_remembers_a_bounded_number_of_addresses():
    middleware = CountingMiddleware(lambda request: None)
    for n in range(CountingMiddleware.SEEN + 10):
        middleware.remember(f"/articles/a-{n}/?", "item article 1 en")
    assert len(middleware._seen) == CountingMiddleware.SEEN
    assert "/articles/a-0/?" not in middleware._seen
    assert f"/articles/a-{CountingMiddleware.SEEN + 9}/?" in middleware._seen


def test_old_days_stay_apart(make_article, flush):
    article = make_article()
    counters.view("article", article.pk, "en")
    flush()
    ItemDay.objects.update(day=date(2025, 1, 1))
    counters.view("article", article.pk, "en")
    flush()
    assert ItemDay.objects.count() == 2
    assert Article.objects.count() == 1


def test_writing_counts_leaves_cached_pages_alone(visitor, make_article, flush):
    """Counts are what visitors write, not content: writing them raises no content
    version, so the page cache keeps every page (exosite.ops.versions)."""
    from exosite.ops import versions

    article = make_article()
    before = versions.current()
    visitor.get(article.get_absolute_url())
    visitor.get(reverse("search"), {"q": "anything"})
    flush()
    assert ItemDay.objects.count() == 1
    assert versions.current() == before


@pytest.mark.django_db(transaction=True)
def test_a_write_that_deadlocked_is_kept_whole_for_the_next(caplog):
    """A write that PostgreSQL rolls back to end a deadlock is undone whole and its counts
    kept, so the next write adds each exactly once. Here another transaction holds row B
    and then asks for row A while the write holds A and waits for B: the write, having
    waited first, is the one rolled back (after deadlock_timeout, a second by default).
    Writers of this site cannot deadlock each other (they lock rows in key order); another
    client of the database still can."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's deadlock detection (SQLite's writers queue instead)")
    counters.view("article", 1, "en")
    counters.view("article", 2, "en")
    assert counters.flush() == 2  # both rows there, 1 view each
    counters.view("article", 1, "en")
    counters.view("article", 2, "en")
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        writer = cursor.fetchone()[0]
    holding, failures = threading.Event(), []

    def other():
        try:
            with transaction.atomic():
                ItemDay.objects.filter(object_id=2).update(views=F("views") + 10)
                holding.set()
                with connections["default"].cursor() as cursor:
                    for _ in range(200):  # until the write waits for row B
                        cursor.execute(
                            "SELECT 1 FROM pg_locks WHERE pid = %s AND NOT granted", [writer]
                        )
                        if cursor.fetchone():
                            break
                        time.sleep(0.02)
                ItemDay.objects.filter(object_id=1).update(views=F("views") + 10)
        except Exception as error:  # reported below, in the test's thread
            failures.append(error)
        finally:
            connections.close_all()

    thread = threading.Thread(target=other)
    thread.start()
    assert holding.wait(10)
    with caplog.at_level("ERROR", logger="exosite.insight.counting"):
        assert counters.flush() == 0  # rolled back, row A's addition with it
    thread.join(30)
    assert failures == []
    assert "deadlock detected" in caplog.text
    assert "kept for the next try" in caplog.text
    assert counters.flush() == 2
    assert dict(ItemDay.objects.values_list("object_id", "views")) == {1: 12, 2: 12}
