"""The page cache (exosite/kernel/pagecache.py) and the content version behind it (exosite/ops).

Pages are served from the cache to anonymous visitors; any change to content shows on
the very next request, a scheduled item at its time; nothing personal is ever shared.
"""

import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains
from taggit.models import Tag

from articles.models import Article
from exosite.kernel import pagecache as page_cache_module
from exosite.kernel.pagecache import PageCacheMiddleware
from exosite.models import Status
from exosite.ops import versions
from faq.models import Submission, Topic
from glossary.models import Term
from library.models import Reference
from trust.models import Feedback

pytestmark = pytest.mark.django_db

NONCE = re.compile(r'nonce="([^"]+)"')


@pytest.fixture(autouse=True)
def page_cache(settings):
    settings.EXOSITE_PAGE_CACHE = True
    settings.EXOSITE_CACHE_SHARED_MAX_AGE = 0
    # Tests roll their content back, so versions (and keys) repeat from test to test.
    PageCacheMiddleware.local.clear()
    yield
    PageCacheMiddleware.local.clear()


def csp_nonce(response):
    found = re.search(r"'nonce-([^']+)'", response.get("Content-Security-Policy", ""))
    return found.group(1) if found else None


# -- serving from the cache -----------------------------------------------------------------


def test_second_view_is_a_hit_costing_one_query(client, make_article, django_assert_num_queries):
    article = make_article(title="Exosomes in wound healing", body="Wounds close faster.")
    first = client.get(article.get_absolute_url())
    assert first.status_code == 200
    assert first["X-Cache"] == "miss"
    with django_assert_num_queries(1):  # the content version
        second = client.get(article.get_absolute_url())
    assert second["X-Cache"] == "hit"
    assertContains(second, "Exosomes in wound healing")
    assert NONCE.sub("", second.content.decode()) == NONCE.sub("", first.content.decode())


def test_every_hit_carries_its_own_fresh_nonce_matching_the_header(client, make_article):
    article = make_article()
    responses = [client.get(article.get_absolute_url()) for _ in range(3)]
    assert [r["X-Cache"] for r in responses] == ["miss", "hit", "hit"]
    nonces = []
    for response in responses:
        header = csp_nonce(response)
        in_body = set(NONCE.findall(response.content.decode()))
        assert header, "the page uses the nonce (JSON-LD): the header must carry it"
        assert in_body == {header}
        nonces.append(header)
    assert len(set(nonces)) == 3
    assert "'unsafe-inline'" not in responses[-1]["Content-Security-Policy"]


def test_conditional_get_answers_304_until_the_content_changes(client, make_article):
    article = make_article(title="Before")
    first = client.get(article.get_absolute_url())
    etag = first["ETag"]
    assert etag.startswith('"') and "must-revalidate" in first["Cache-Control"]
    again = client.get(article.get_absolute_url(), HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag
    # The browser keeps its body and the CSP header that came with it (same nonce).
    assert "Content-Security-Policy" not in again
    article.title = "After"
    article.save()
    changed = client.get(article.get_absolute_url(), HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assertContains(changed, "After")
    assert changed["ETag"] != etag


def test_etag_is_the_same_for_every_render_of_the_same_content(client, make_article):
    # Each worker process renders its own copy (local-memory cache): the ETag must not
    # depend on the nonce, or revalidation would fail whenever another process answers.
    article = make_article()
    first = client.get(article.get_absolute_url())
    cache.clear()
    PageCacheMiddleware.local.clear()  # as another process would see it
    second = client.get(article.get_absolute_url())
    assert second["X-Cache"] == "miss"
    assert second["ETag"] == first["ETag"]
    assert csp_nonce(second) != csp_nonce(first)


def test_pages_with_a_nonce_are_private_to_shared_caches(client, make_article, settings):
    settings.EXOSITE_CACHE_SHARED_MAX_AGE = 60
    article = make_article()
    response = client.get(article.get_absolute_url())
    assert "private" in response["Cache-Control"]
    assert "s-maxage" not in response["Cache-Control"]


def test_pages_without_a_nonce_may_be_shared_by_a_cdn(client, make_article, settings):
    settings.EXOSITE_CACHE_SHARED_MAX_AGE = 60
    make_article(title="Exosome isolation")
    response = client.get(reverse("feed-articles"))
    assert response.status_code == 200
    assert csp_nonce(response) is None
    assert "public" in response["Cache-Control"]
    assert "s-maxage=60" in response["Cache-Control"]


def test_a_view_that_chose_its_own_cache_policy_keeps_it(client):
    response = client.get(reverse("robots-txt"))
    assert response["X-Cache"] == "miss"
    assert response["Cache-Control"] == "max-age=86400, public"
    assert client.get(reverse("robots-txt"))["Cache-Control"] == "max-age=86400, public"


def test_head_requests_are_answered_from_the_cache(client, make_article):
    article = make_article()
    client.get(article.get_absolute_url())
    response = client.head(article.get_absolute_url())
    assert response.status_code == 200
    assert response["X-Cache"] == "hit"


def test_page_cache_can_be_switched_off(client, make_article, settings):
    settings.EXOSITE_PAGE_CACHE = False
    article = make_article()
    client.get(article.get_absolute_url())
    assert "X-Cache" not in client.get(article.get_absolute_url())


def test_a_new_release_does_not_serve_pages_rendered_by_the_previous_one(
    client, make_article, monkeypatch
):
    article = make_article()
    client.get(article.get_absolute_url())
    monkeypatch.setattr(page_cache_module, "release", lambda: "next-release")
    assert client.get(article.get_absolute_url())["X-Cache"] == "miss"


# -- never stale -------------------------------------------------------------------------


def edit_title(article):
    article.title = "Changed title"
    article.save()


def update_title(article):
    Article.objects.filter(pk=article.pk).update(title="Changed title")


def edit_reference(article):
    # The cited reference lives in the shared library: editing it there changes the page.
    Reference.objects.filter(key="ref1").update(title="Changed title")


def rename_tag(article):
    tag = Tag.objects.get(slug="immunology")
    tag.name = "Changed title"
    tag.save()


CHANGES = [edit_title, update_title, edit_reference, rename_tag]


@pytest.mark.parametrize("change", CHANGES, ids=lambda f: f.__name__)
def test_an_edit_shows_on_the_next_request(client, make_article, change):
    article = make_article(
        title="Old title", tags=["Immunology"], references=1, body="Exosomes are small [1]."
    )
    assertContains(client.get(article.get_absolute_url()), "Old title")
    assert client.get(article.get_absolute_url())["X-Cache"] == "hit"
    change(article)
    response = client.get(article.get_absolute_url())
    assert response["X-Cache"] == "miss"
    assertContains(response, "Changed title")


@pytest.mark.parametrize("how", ["save", "update", "delete"])
def test_unpublishing_or_deleting_shows_on_the_next_request(client, make_article, how):
    article = make_article(title="Going away")
    list_url = reverse("articles:list")
    for url in (article.get_absolute_url(), list_url):
        client.get(url)
        assert client.get(url)["X-Cache"] == "hit"
    if how == "save":
        article.status = Status.DRAFT
        article.save()
    elif how == "update":
        Article.objects.filter(pk=article.pk).update(status=Status.DRAFT)
    else:
        article.delete()
    assert client.get(article.get_absolute_url()).status_code == 404
    assertNotContains(client.get(list_url), "Going away")


def test_publishing_shows_on_the_next_request_everywhere(client, make_article):
    make_article(title="Already there", tags=["lung"])
    draft = make_article(title="Fresh news", tags=["lung"], status=Status.DRAFT)
    urls = [reverse("home"), reverse("articles:list"), reverse("tag-detail", args=["lung"])]
    for url in urls:
        assertNotContains(client.get(url), "Fresh news")
    assert client.get(draft.get_absolute_url()).status_code == 404
    draft.status = Status.PUBLISHED
    draft.save()
    for url in [*urls, draft.get_absolute_url()]:
        assertContains(client.get(url), "Fresh news")


def test_content_written_in_bulk_shows_on_the_next_request(client):
    # bulk_create sends no signals: the database triggers still see it.
    client.get(reverse("articles:list"))
    Article.objects.bulk_create(
        [
            Article(
                title="Imported in bulk",
                slug="imported",
                summary="s",
                body="b",
                status=Status.PUBLISHED,
                published_at=timezone.now() - timedelta(hours=1),
            )
        ]
    )
    assertContains(client.get(reverse("articles:list")), "Imported in bulk")


def test_a_glossary_change_relinks_cached_pages(client, make_article, make_term):
    article = make_article(body="Dendritic cells present antigens to T cells.")
    response = client.get(article.get_absolute_url())
    assertNotContains(response, 'href="/glossary/dendritic-cells/"')
    term = make_term(name="Dendritic cells", slug="dendritic-cells")
    assertContains(client.get(article.get_absolute_url()), 'href="/glossary/dendritic-cells/"')
    term.status = Status.DRAFT
    term.save()
    assertNotContains(client.get(article.get_absolute_url()), 'href="/glossary/dendritic-cells/"')


def test_a_topic_rename_shows_on_the_faq_page(client, make_question, topic):
    make_question(question="Are exosomes alive?")
    assertContains(client.get(reverse("faq:index")), "Basics")
    Topic.objects.filter(pk=topic.pk).update(name="Fundamentals")
    assertContains(client.get(reverse("faq:index")), "Fundamentals")


def test_a_scheduled_item_appears_at_its_time_without_any_write(client, make_article, monkeypatch):
    start = timezone.now()
    make_article(title="Out now")
    make_article(title="Embargoed study", published_at=start + timedelta(hours=1))
    url = reverse("articles:list")
    assertNotContains(client.get(url), "Embargoed study")
    assert client.get(url)["X-Cache"] == "hit"
    monkeypatch.setattr(timezone, "now", lambda: start + timedelta(hours=1, seconds=1))
    response = client.get(url)
    assert response["X-Cache"] == "miss"
    assertContains(response, "Embargoed study")
    assert client.get(url)["X-Cache"] == "hit"


def test_a_404_is_not_cached(client, make_article):
    assert client.get("/articles/not-yet/").status_code == 404
    make_article(slug="not-yet", title="Now it exists")
    assertContains(client.get("/articles/not-yet/"), "Now it exists")


# -- never shared ------------------------------------------------------------------------


def test_the_ask_form_is_never_cached_and_each_visitor_gets_a_token(client):
    first = Client().get(reverse("faq:ask"))
    second = Client().get(reverse("faq:ask"))
    assert "X-Cache" not in first
    assert "private" in first["Cache-Control"]
    token = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
    assert token.search(first.content.decode()).group(1) != token.search(
        second.content.decode()
    ).group(1)


def test_a_page_with_a_form_is_not_stored(client):
    # The problem-report form carries a CSRF token (and sets its cookie).
    url = reverse("trust:problem")
    first = Client().get(url)
    second = Client().get(url)
    assert first["X-Cache"] == second["X-Cache"] == "bypass"
    assert "csrftoken" in second.cookies
    assert "private" in second["Cache-Control"]


def test_faq_entries_are_cached_and_their_feedback_needs_no_token(client, make_question):
    question = make_question()
    visitor = Client(enforce_csrf_checks=True)
    assert visitor.get(question.get_absolute_url())["X-Cache"] == "miss"
    page = visitor.get(question.get_absolute_url())
    assert page["X-Cache"] == "hit"
    assert "csrftoken" not in page.cookies
    vote = {"page": question.get_absolute_url(), "helpful": "yes"}
    assert visitor.post(reverse("trust:helpful"), vote).status_code == 302
    assert Feedback.objects.filter(page=question.get_absolute_url(), kind="helpful").count() == 1


def test_signed_in_staff_never_get_or_fill_the_cache(client, make_article, admin_user):
    article = make_article()
    staff = Client()
    staff.force_login(admin_user)
    for _ in range(2):
        response = staff.get(article.get_absolute_url())
        assert "X-Cache" not in response
        assert "private" in response["Cache-Control"]
    assert Client().get(article.get_absolute_url())["X-Cache"] == "miss"


def test_previews_are_never_cached(make_article, admin_user):
    draft = make_article(title="Secret draft", status=Status.DRAFT)
    staff = Client()
    staff.force_login(admin_user)
    url = reverse("preview", args=["article", draft.pk])
    for _ in range(2):
        response = staff.get(url)
        assert response.status_code == 200
        assert "X-Cache" not in response
        assert "no-store" in response["Cache-Control"]
    anonymous = Client().get(url)
    assert anonymous.status_code in (302, 403)
    assertNotContains(anonymous, "Secret draft", status_code=anonymous.status_code)


def test_a_messages_cookie_bypasses_the_cache(client, make_article):
    article = make_article()
    client.get(article.get_absolute_url())
    client.cookies["messages"] = "something"
    assert "X-Cache" not in client.get(article.get_absolute_url())


def test_post_requests_are_never_answered_from_the_cache(client, make_question):
    question = make_question()
    url = question.get_absolute_url()
    assert client.get(url)["X-Cache"] == "miss"
    assert client.get(url)["X-Cache"] == "hit"
    response = Client(enforce_csrf_checks=True).post(url, {"helpful": "yes"})
    assert response.status_code == 403  # refused (no CSRF token), not the cached 200
    assert "X-Cache" not in response


# -- the content version -----------------------------------------------------------------


def test_the_version_changes_with_content_and_not_with_visitor_writes(
    make_article, make_question, make_term
):
    article = make_article()
    question = make_question()
    before = versions.current()
    Submission.objects.create(question="Is this stored without emptying the cache?")
    Feedback.objects.create(kind="helpful", page=question.get_absolute_url(), client="c" * 32)
    from exosite.models import RateLimitHit

    RateLimitHit.objects.create(scope="ask", client="c" * 32)
    assert versions.current() == before
    article.tags.add("New tag")
    after_tag = versions.current()
    assert after_tag != before
    make_term()
    assert versions.current() != after_tag


def test_revision_history_tables_are_not_watched():
    tables = {model._meta.db_table for model in versions.tracked_models()}
    assert "articles_article" in tables
    assert "taggit_taggeditem" in tables
    assert "exosite_mention" in tables
    assert not any("historical" in table for table in tables)
    assert "faq_submission" not in tables


def test_triggers_are_installed_on_every_watched_table():
    watched = versions.install_triggers()
    assert set(watched) >= {"articles_article", "glossary_term", "faq_question", "faq_topic"}
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT tbl_name FROM sqlite_master WHERE type = 'trigger'")
        else:
            cursor.execute("SELECT event_object_table FROM information_schema.triggers")
        tables = {row[0] for row in cursor.fetchall()}
    assert set(watched) <= tables


def test_a_missing_version_row_starts_a_new_epoch(make_article):
    before = versions.current()
    from exosite.ops.models import ContentVersion

    ContentVersion.objects.all().delete()
    after = versions.current()
    assert after != before
    assert after.split(".")[0] != before.split(".")[0]
    make_article()
    assert versions.current() != after


def test_unknown_users_model_changes_do_not_touch_the_version():
    before = versions.current()
    get_user_model().objects.create_user("reader", password="a-long-passphrase")
    assert versions.current() == before


def test_a_term_is_tracked(make_term):
    term = make_term()
    before = versions.current()
    Term.objects.filter(pk=term.pk).update(short_definition="Changed.")
    assert versions.current() != before


# -- under load and faults -----------------------------------------------------------------


def test_the_process_keeps_recent_pages_without_unpickling(client, make_article, monkeypatch):
    article = make_article()
    client.get(article.get_absolute_url())
    monkeypatch.setattr(page_cache_module, "page_cache", lambda: 1 / 0)  # never asked
    assert client.get(article.get_absolute_url())["X-Cache"] == "hit"


def test_concurrent_misses_render_a_page_once_per_process(rf, monkeypatch):
    import threading
    import time

    from django.http import HttpResponse

    from exosite.kernel.pagecache import PageCacheMiddleware

    monkeypatch.setattr(versions, "current", lambda using="default": "test.1")
    renders = []

    def slow_view(request):
        renders.append(1)
        time.sleep(0.3)
        return HttpResponse("<p>rendered</p>")

    middleware = PageCacheMiddleware(slow_view)
    results = []

    def visit():
        results.append(middleware(rf.get("/articles/slow/")))

    threads = [threading.Thread(target=visit) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)
    assert len(renders) == 1
    assert sorted(r["X-Cache"] for r in results) == ["hit"] * 5 + ["miss"]
    assert {r.content for r in results} == {b"<p>rendered</p>"}


def unreachable_redis():
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return {
        "default": {
            "BACKEND": "exosite.kernel.redis.ResilientRedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }


def test_pages_are_served_while_redis_is_unreachable(client, make_article, make_term):
    from django.test import override_settings

    make_term(name="Exosome")
    article = make_article(body="An exosome is small.")
    with override_settings(CACHES=unreachable_redis()):
        responses = [client.get(article.get_absolute_url()) for _ in range(3)]
        PageCacheMiddleware.local.clear()  # a process that has not seen the page yet
        other = client.get(article.get_absolute_url())
    assert [r.status_code for r in [*responses, other]] == [200, 200, 200, 200]
    # Rendered and linked all the same; only this process's own recent pages are reused.
    assert [r["X-Cache"] for r in responses] == ["miss", "hit", "hit"]
    assert other["X-Cache"] == "miss"
    assertContains(other, 'href="/glossary/')


def test_an_unreachable_redis_is_left_alone_for_a_few_seconds(monkeypatch):
    from exosite.kernel.redis import ResilientRedisCache

    settings = unreachable_redis()["default"]
    backend = ResilientRedisCache(settings["LOCATION"], {"OPTIONS": settings["OPTIONS"]})
    assert backend.get("key", "fallback") == "fallback"
    assert backend.set("key", "value") is None
    assert backend.get_many(["a", "b"]) == {}
    calls = []
    monkeypatch.setattr(backend._cache, "get_client", lambda *a, **k: calls.append(1) or 1 / 0)
    assert backend.get("key") is None
    assert calls == []  # within retry_after: Redis is not even tried
    monkeypatch.setattr(backend, "_down_until", 0.0)
    with pytest.raises(ZeroDivisionError):  # only Redis errors are swallowed
        backend.get("key")


def test_hits_carry_a_content_length(client, make_article):
    article = make_article()
    client.get(article.get_absolute_url())
    hit = client.get(article.get_absolute_url())
    assert hit["X-Cache"] == "hit"
    assert int(hit["Content-Length"]) == len(hit.content)


def test_the_version_reads_the_same_through_the_driver_and_through_django(make_article):
    from django.test.utils import CaptureQueriesContext

    make_article()
    connection.ensure_connection()
    direct = versions.current()  # straight to the driver: nobody records queries
    with CaptureQueriesContext(connection) as queries:
        logged = versions.current()
    assert direct == logged
    assert len(queries) == 1
