"""The read API (/api/v1/): published content only, lists with filters and cursors, whole
items, errors with one shape, caching and CORS, and the per-client rate limit."""

import json
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from exosite.kernel import kinds
from exosite.models import Status

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def get(client, url, **headers):
    response = client.get(url, **headers)
    body = json.loads(response.content) if response.content else None
    return response, body


def walk(client, url):
    """Every item of a list, following `next`."""
    seen = []
    while url:
        response, body = get(client, url)
        assert response.status_code == 200, body
        seen += body["items"]
        url = body["next"]
    return seen


def test_the_index_names_every_registered_kind(client):
    response, body = get(client, "/api/v1/")
    assert [kind["name"] for kind in body["kinds"]] == [kind.name for kind in kinds.all()]
    assert body["kinds"][0]["url"] == "http://testserver/api/v1/article/"
    assert body["openapi"] == "http://testserver/api/v1/openapi.json"


def test_the_openapi_schema_is_3_1_and_documents_every_route(client):
    response, schema = get(client, "/api/v1/openapi.json")
    assert schema["openapi"] == "3.1.0"
    assert {"/api/v1/", "/api/v1/{kind}/", "/api/v1/{kind}/{slug}/"} <= set(schema["paths"])
    listing = schema["paths"]["/api/v1/{kind}/"]["get"]
    assert {p["name"] for p in listing["parameters"]} >= {
        "kind",
        "tag",
        "topic",
        "updated_since",
        "cursor",
        "limit",
    }
    docs = client.get("/api/v1/docs/")
    assert docs.status_code == 200
    assert b"/api/v1/{kind}/" in docs.content and b"updated_since" in docs.content


def test_only_published_items_are_listed_or_shown(client, make_article, make_term, future):
    live = make_article(title="Live piece")
    draft = make_article(title="Draft piece", status=Status.DRAFT)
    review = make_article(title="In review", status=Status.REVIEW)
    scheduled = make_article(title="Scheduled piece", published_at=future)
    make_term(name="Draft term", status=Status.DRAFT)
    titles = [item["title"] for item in walk(client, "/api/v1/article/")]
    assert titles == ["Live piece"]
    assert walk(client, "/api/v1/glossary/") == []
    for hidden in (draft, review, scheduled):
        response, body = get(client, f"/api/v1/article/{hidden.slug}/")
        assert response.status_code == 404
        assert body["error"]["code"] == "not_found"
    assert get(client, f"/api/v1/article/{live.slug}/")[0].status_code == 200


def test_cursor_pages_give_every_item_once_in_order_of_change(client, make_term):
    terms = [make_term(name=f"Vesicle {n:02}") for n in range(25)]
    seen = walk(client, "/api/v1/glossary/?limit=7")
    assert [item["slug"] for item in seen] == [term.slug for term in terms]
    first, body = get(client, "/api/v1/glossary/?limit=7")
    assert len(body["items"]) == 7 and "cursor=" in body["next"] and "limit=7" in body["next"]
    # A change moves an item to the end (a client syncing with updated_since sees it again).
    terms[0].short_definition = "Changed."
    terms[0].save()
    assert walk(client, "/api/v1/glossary/?limit=10")[-1]["slug"] == terms[0].slug


def test_filters_by_tag_topic_and_change_time(client, make_article, make_question, topic):
    from faq.models import Topic

    tagged = make_article(title="Tagged", tags=["Immunology"])
    make_article(title="Untagged")
    assert [i["slug"] for i in walk(client, "/api/v1/article/?tag=immunology")] == [tagged.slug]
    other = Topic.objects.create(name="Safety", slug="safety", position=2)
    safe = make_question(topic=other)
    make_question()
    items = walk(client, "/api/v1/faq/?topic=safety")
    assert [i["slug"] for i in items] == [safe.slug]
    assert items[0]["topic"] == {"name": "Safety", "slug": "safety"}
    since = (timezone.now() + timedelta(seconds=1)).isoformat()
    later = make_article(title="Later")
    type(later).objects.filter(pk=later.pk).update(updated_at=timezone.now() + timedelta(minutes=1))
    changed = walk(client, f"/api/v1/article/?updated_since={since.replace('+', '%2B')}")
    assert [i["slug"] for i in changed] == [later.slug]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("limit=0", "limit"),
        ("limit=-3", "limit"),
        ("limit=lots", "limit"),
        ("updated_since=yesterday", "updated_since"),
        ("updated_since=2026-12-01T00:00:00", "updated_since"),  # no time zone
        ("cursor=not-a-cursor", "cursor"),
        ("cursor=MjAyNnw=", "cursor"),  # base64 of "2026|"
        ("topic=safety", "topic"),  # articles have no topics
        (f"tag={'x' * 101}", "tag"),
    ],
)
def test_bad_parameters_answer_400_naming_the_field(client, query, field):
    response, body = get(client, f"/api/v1/article/?{query}")
    assert response.status_code == 400
    assert body["error"]["status"] == 400
    assert body["error"]["code"] == "invalid"
    assert field in body["error"]["fields"]
    assert field in body["error"]["message"]


def test_huge_pages_are_capped(client, make_term, settings):
    settings.EXOSITE_API_MAX_LIMIT = 5
    for n in range(7):
        make_term(name=f"Term {n}")
    response, body = get(client, "/api/v1/glossary/?limit=1000000000000000000000")
    assert len(body["items"]) == 5
    assert "limit=5" in body["next"]


def test_unknown_addresses_and_methods_answer_json(client):
    for url in ("/api/v1/recipes/", "/api/v1/article/nothing-here/", "/api/v1/a/b/c/d"):
        response, body = get(client, url)
        assert response.status_code == 404, url
        assert body["error"]["code"] == "not_found"
    response = client.post("/api/v1/article/", {"title": "x"})
    assert response.status_code == 405
    assert json.loads(response.content)["error"]["code"] == "method_not_allowed"
    assert response["Allow"] == "GET, HEAD, OPTIONS"


def test_an_item_whole(client, make_article, reviewer):
    article = make_article(
        title="How exosomes are made",
        slug="how-made",
        body="Cells release vesicles [1]. See [[article:how-made|this]].",
        references=1,
        tags=["Biology"],
    )
    article.record_review(reviewer)
    article.save()
    response, item = get(client, "/api/v1/article/how-made/")
    assert item["title"] == "How exosomes are made"
    assert item["url"] == "http://testserver/articles/how-made/"
    assert item["api_url"] == "http://testserver/api/v1/article/how-made/"
    assert item["markdown"].startswith("Cells release vesicles [@ref1].")
    assert 'href="http://testserver/articles/how-made/"' in item["html"]
    assert 'href="/' not in item["html"]  # links work on other sites
    assert item["references"][0]["doi"] == "10.5555/test.1"
    assert item["references"][0]["url"] == "https://doi.org/10.5555/test.1"
    assert item["tags"] == [{"name": "Biology", "slug": "biology"}]
    assert item["authors"] == [
        {"name": "Edna Editor", "url": "http://testserver/people/edna-editor/"}
    ]
    assert item["review_current"] is True
    assert item["reviewer"]["name"] == "Rita Reviewer"
    assert item["reviewed_at"] == timezone.localdate().isoformat()
    # A change after the review: the page and the API stop naming the reviewer.
    article.body = "Changed text."
    article.save()
    response, item = get(client, "/api/v1/article/how-made/")
    assert (item["review_current"], item["reviewer"], item["reviewed_at"]) == (False, None, None)


def test_every_kind_lists_and_shows(client, make_article, make_term, make_question):
    make_article(), make_term(), make_question()
    for kind in kinds.all():
        items = walk(client, f"/api/v1/{kind.name}/")
        for item in items[:2]:
            response, detail = get(client, item["api_url"].removeprefix("http://testserver"))
            assert response.status_code == 200, item
            assert detail["slug"] == item["slug"] and "html" in detail


def test_conditional_gets_cors_and_cache_headers(client):
    response, _ = get(client, "/api/v1/")
    etag = response["ETag"]
    assert etag.startswith('"')
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in response["Access-Control-Expose-Headers"]
    assert "public" in response["Cache-Control"] and "must-revalidate" in response["Cache-Control"]
    assert "Set-Cookie" not in response
    again = client.get("/api/v1/", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again["Access-Control-Allow-Origin"] == "*"
    preflight = client.options("/api/v1/article/", HTTP_ORIGIN="https://partner.example")
    assert preflight.status_code == 204
    assert preflight["Access-Control-Allow-Origin"] == "*"
    assert "If-None-Match" in preflight["Access-Control-Allow-Headers"]


def test_rate_limit_answers_429_with_retry_after(settings):
    settings.EXOSITE_API_RATE = "3/m"
    visitor, other = Client(), Client(REMOTE_ADDR="10.0.0.9")
    statuses = [visitor.get("/api/v1/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    limited = visitor.get("/api/v1/article/")
    assert limited.status_code == 429
    assert 1 <= int(limited["Retry-After"]) <= 60
    assert limited["Access-Control-Allow-Origin"] == "*"
    body = json.loads(limited.content)["error"]
    assert body["code"] == "rate_limited" and "seconds" in body["message"]
    assert other.get("/api/v1/").status_code == 200  # per client


def test_served_by_the_page_cache_counted_and_never_stale(
    client, make_article, page_cache, settings
):
    settings.EXOSITE_API_RATE = "4/m"
    article = make_article(title="First title", slug="piece")
    assert client.get("/api/v1/article/piece/")["X-Cache"] == "miss"
    hit = client.get("/api/v1/article/piece/")
    assert hit["X-Cache"] == "hit"
    assert hit["Access-Control-Allow-Origin"] == "*"
    assert client.get("/api/v1/article/piece/", HTTP_IF_NONE_MATCH=hit["ETag"]).status_code == 304
    article.title = "Second title"
    article.save()
    fresh = client.get("/api/v1/article/piece/")
    assert json.loads(fresh.content)["title"] == "Second title"  # the fourth request
    assert client.get("/api/v1/article/piece/").status_code == 429  # hits count too


@pytest.mark.parametrize("size", [3, 30])
def test_query_counts_do_not_grow_with_the_page(
    client, make_article, make_question, django_assert_num_queries, size
):
    for n in range(size):
        make_article(tags=[f"t{n}", "shared"], references=2, body="Text [1] and [2].")
        make_question(tags=["shared"])
    with django_assert_num_queries(2):  # articles, their tags
        response, body = get(client, "/api/v1/article/?limit=100")
    assert len(body["items"]) == size
    with django_assert_num_queries(2):  # entries with their topics, their tags
        assert len(get(client, "/api/v1/faq/?limit=100")[1]["items"]) == size


def test_search_as_the_site_searches(client, make_article, make_term):
    make_article(title="Exosomes from dendritic cells", body="Dendritic cells release them.")
    make_term(name="Dendritic cell", short_definition="An immune cell.")
    make_article(title="Draft about dendritic cells", status=Status.DRAFT)
    response, body = get(client, "/api/v1/search/?q=dendritic")
    assert response.status_code == 200
    titles = {result["title"] for result in body["results"]}
    assert titles == {"Exosomes from dendritic cells", "Dendritic cell"}
    assert body["total"] == 2 and body["next"] is None
    assert all(result["url"].startswith("http://testserver/") for result in body["results"])
    assert any("<mark>" in result["snippet_html"] for result in body["results"])
    only_terms = get(client, "/api/v1/search/?q=dendritic&kind=glossary")[1]
    assert [result["kind"] for result in only_terms["results"]] == ["glossary"]
    for bad, field in (("q=", "q"), ("q=x&kind=recipes", "kind"), ("q=x&page=0", "page")):
        response, body = get(client, f"/api/v1/search/?{bad}")
        assert response.status_code == 400 and field in body["error"]["fields"], bad


def test_suggest_and_the_term_index(client, make_term):
    term = make_term(name="Dendritic cell", aliases="DC cell", short_definition="An immune cell.")
    make_term(name="Dental pulp")
    make_term(name="Draft term", status=Status.DRAFT)
    response, body = get(client, "/api/v1/suggest/?q=dendr")
    assert [row["title"] for row in body["results"]] == ["Dendritic cell"]
    assert body["results"][0]["url"] == f"http://testserver{term.get_absolute_url()}"
    assert get(client, "/api/v1/suggest/")[0].status_code == 400
    response, index = get(client, "/api/v1/glossary-index/")
    assert index["url"] == "/glossary/{slug}/"
    names = [entry[1] for entry in index["terms"]]
    assert "Dendritic cell" in names and "Draft term" not in names
    assert next(entry for entry in index["terms"] if entry[1] == "Dendritic cell")[4:] == [
        "DC cell"
    ]
