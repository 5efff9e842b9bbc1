"""The privacy page's promise, checked: after visits with a distinctive address, browser,
cookie and query, no table of the database holds any of them; only the query's
normalised words are kept (and the page says what is counted)."""

import pytest
from django.db import connection
from django.urls import reverse

from exosite.insight.counting import counters
from exosite.insight.models import ItemDay, SearchDay

pytestmark = pytest.mark.django_db

ADDRESS = "203.0.113.77"
BROWSER = "Mozilla/5.0 (X11; Linux x86_64) ZqxDistinctBrowser/7.3 Firefox/133.0"
COOKIE = "ZqxCookieValue91"
QUERY = "Qwyx PLUMBUS?"
NORMALISED = "qwyx plumbus"


def every_value():
    """(table, column, text) for every value in every table of the database, after
    (table, "", "") for each table as it is read."""
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        for table in tables:
            cursor.execute(f'SELECT * FROM "{table}"')  # table names from the schema itself
            yield table, "", ""
            columns = [column[0] for column in cursor.description]
            for row in cursor.fetchall():
                for column, value in zip(columns, row, strict=True):
                    if isinstance(value, bytes | memoryview):
                        value = bytes(value).decode("utf-8", "replace")
                    if value is not None:
                        yield table, column, str(value)


def test_nothing_personal_is_kept(client, make_article, page_cache):
    article = make_article(title="Plumbus vesicles", body="How vesicles carry cargo.")
    client.cookies["tracker"] = COOKIE
    visit = {"REMOTE_ADDR": ADDRESS, "HTTP_USER_AGENT": BROWSER}
    search_page = f"http://testserver{reverse('search')}?q={QUERY}"
    client.get(reverse("search"), {"q": QUERY}, **visit)
    client.get(reverse("search"), {"q": QUERY}, **visit)  # from the page cache
    client.get(article.get_absolute_url(), HTTP_REFERER=search_page, **visit)
    client.get(article.get_absolute_url(), **visit)  # from the page cache
    client.post(
        reverse("search-suggest"), article.get_absolute_url(), content_type="text/plain", **visit
    )
    vote = client.post(
        reverse("trust:helpful"),
        {"page": article.get_absolute_url(), "helpful": "no"},
        **visit,
    )
    assert vote.status_code == 302
    counters.flush()

    # What was counted, and nothing else.
    assert list(ItemDay.objects.values_list("object_id", "views", "picks")) == [(article.pk, 2, 1)]
    assert list(SearchDay.objects.values_list("query", "searches", "opened")) == [
        (NORMALISED, 2, 1)
    ]
    found = list(every_value())
    # The scan read the tables a request could write to, whether or not they hold a row.
    read = {table for table, column, _ in found if not column}
    assert {
        "insight_itemday", "insight_searchday", "django_session", "exosite_ratelimithit",
        "trust_feedback", "faq_submission",
    } <= read  # fmt: skip
    for secret in (ADDRESS, "ZqxDistinctBrowser", COOKIE, QUERY, "Qwyx"):
        leaks = [(table, column) for table, column, text in found if secret in text]
        assert leaks == [], f"{secret!r} is stored in {leaks}"
    assert any(NORMALISED in text for table, _, text in found if table == "insight_searchday")


def test_the_counting_tables_hold_no_more_than_the_page_says():
    assert [field.name for field in ItemDay._meta.fields] == [
        "id", "day", "period", "kind", "object_id", "language", "views", "picks",
    ]  # fmt: skip
    assert [field.name for field in SearchDay._meta.fields] == [
        "id", "day", "period", "query", "language", "searches", "empty", "results", "opened",
    ]  # fmt: skip


def test_the_privacy_page_says_what_is_counted(client):
    page = client.get("/pages/privacy/").content.decode()
    for promise in (
        "What we count",
        "no cookie, no internet address, no browser or",
        "Robots that say they are robots",
        "400 days",
    ):
        assert promise in page, promise
