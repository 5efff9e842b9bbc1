"""Parts of pages kept in the cache until content changes (exosite.kernel.parts.for_content), and
the live version behind them (exosite.ops.versions.live).

These run outside a test transaction (as requests do in production): inside one, nothing
is kept, since a version read there may yet be rolled back.
"""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from articles.models import Article
from exosite.kernel.parts import for_content
from exosite.ops import versions
from trust.models import Feedback, Person

pytestmark = pytest.mark.django_db(transaction=True)

NONCE = re.compile(r'nonce="[^"]+"')


def mention_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response, [q["sql"] for q in queries if "exosite_mention" in q["sql"]]


def test_related_reading_is_worked_out_once_per_content_version(client, make_article, make_term):
    make_term(name="Exosome", slug="exosome")
    article = make_article(title="Exosomes and skin", body="An exosome is small.", tags=["skin"])
    make_article(title="Exosomes and hair", tags=["skin"])
    first, queried = mention_queries(client, article.get_absolute_url())
    assert queried  # terms used and related reading, from the mentions
    assertContains(first, 'href="/glossary/exosome/"', count=2)  # in the text and the list
    assertContains(first, "Exosomes and hair")
    second, queried = mention_queries(client, article.get_absolute_url())
    assert queried == []
    assert NONCE.sub("", second.content.decode()) == NONCE.sub("", first.content.decode())


def test_an_edit_to_a_related_article_shows_on_the_next_request(client, make_article):
    article = make_article(tags=["skin"])
    other = make_article(title="Exosomes and hair", tags=["skin"])
    assertContains(client.get(article.get_absolute_url()), "Exosomes and hair")
    other.title = "Vesicles and hair"
    other.save()
    response = client.get(article.get_absolute_url())
    assertContains(response, "Vesicles and hair")
    assertNotContains(response, "Exosomes and hair")


def test_unpublishing_a_term_removes_it_from_the_terms_used(client, make_article, make_term):
    term = make_term(name="Exosome", slug="exosome")
    article = make_article(body="An exosome is small.")
    assertContains(client.get(article.get_absolute_url()), 'href="/glossary/exosome/"', count=2)
    term.status = "draft"
    term.save()
    assertNotContains(client.get(article.get_absolute_url()), 'href="/glossary/exosome/"')


def test_a_scheduled_article_joins_related_reading_at_its_time(client, make_article, monkeypatch):
    start = timezone.now()
    article = make_article(tags=["skin"])
    make_article(title="Embargoed study", tags=["skin"], published_at=start + timedelta(hours=1))
    assertNotContains(client.get(article.get_absolute_url()), "Embargoed study")
    before = versions.live()
    monkeypatch.setattr(timezone, "now", lambda: start + timedelta(hours=1, seconds=1))
    assert versions.live() != before  # no write: the schedule moved on
    assertContains(client.get(article.get_absolute_url()), "Embargoed study")


def test_term_backlinks_and_question_neighbours_follow_content(
    client, make_article, make_term, make_question
):
    term = make_term(name="Exosome", slug="exosome", tags=["skin"])
    question = make_question(question="Are exosomes safe?", tags=["skin"])
    article = make_article(title="Exosomes and skin", body="An exosome is small.", tags=["skin"])
    assertContains(client.get(term.get_absolute_url()), "Exosomes and skin")
    assertContains(client.get(question.get_absolute_url()), "Exosomes and skin")
    Article.objects.filter(pk=article.pk).update(title="Vesicles and skin")
    assertContains(client.get(term.get_absolute_url()), "Vesicles and skin")
    assertContains(client.get(question.get_absolute_url()), "Vesicles and skin")


def test_a_term_page_is_rendered_once_per_content_version(client, make_term):
    """The term's page around the row (its linked definition, related terms, where it is
    used, tags, JSON-LD) is kept: a second view costs the row and the versions only, and
    an edit to a related term shows on the next request."""
    other = make_term(name="Vesicle", slug="vesicle")
    term = make_term(name="Exosome", slug="exosome", related=[other], tags=["skin"])
    first = client.get(term.get_absolute_url())
    assertContains(first, 'href="/glossary/vesicle/"')
    with CaptureQueriesContext(connection) as queries:
        second = client.get(term.get_absolute_url())
    assert [q["sql"] for q in queries if "glossary_term_related" in q["sql"]] == []
    assert NONCE.sub("", second.content.decode()) == NONCE.sub("", first.content.decode())
    other.name = "Extracellular vesicle"
    other.save()
    assertContains(client.get(term.get_absolute_url()), "Extracellular vesicle")


@pytest.mark.parametrize("kind", ["article", "term", "question"])
def test_a_detail_pages_item_is_kept_and_follows_content(
    client, make_article, make_term, make_question, kind
):
    """Found once by its slug, the item costs no query on later views; unpublished, it is
    gone at once; given a new slug, its old address redirects and the new one serves."""
    make = {"article": make_article, "term": make_term, "question": make_question}[kind]
    item = make(slug="kept-item")
    table = item._meta.db_table
    assert client.get(item.get_absolute_url() + "?nocache=1").status_code == 200
    with CaptureQueriesContext(connection) as queries:
        assert client.get(item.get_absolute_url() + "?nocache=2").status_code == 200
    assert not [q for q in queries if f'FROM "{table}"' in q["sql"]]
    item.slug = "moved-item"
    item.save()
    old = client.get(item.get_absolute_url().replace("moved-item", "kept-item"))
    assert (old.status_code, old["Location"]) == (301, item.get_absolute_url())
    assert client.get(item.get_absolute_url()).status_code == 200
    item.status = "draft"
    item.save()
    assert client.get(item.get_absolute_url() + "?nocache=3").status_code == 404


def test_a_kept_tag_page_goes_when_its_last_item_does(client, make_article):
    article = make_article(title="Only piece", tags=["rare topic"])
    assertContains(client.get("/tags/rare-topic/?nocache=1"), "Only piece")
    with CaptureQueriesContext(connection) as queries:
        client.get("/tags/rare-topic/?nocache=2")
    assert not [q for q in queries if "taggit_tag" in q["sql"]]  # kept
    article.status = "draft"
    article.save()
    assert client.get("/tags/rare-topic/?nocache=3").status_code == 404


def test_a_kept_page_of_the_article_list_follows_content(client, make_article):
    make_article(title="First piece", tags=["skin"])
    assertContains(client.get("/articles/?tag=skin&nocache=1"), "First piece")
    with CaptureQueriesContext(connection) as queries:
        client.get("/articles/?tag=skin&nocache=2")
    assert not [q for q in queries if "articles_article" in q["sql"]]  # kept
    later = make_article(title="Second piece", tags=["skin"])
    assertContains(client.get("/articles/?tag=skin&nocache=3"), "Second piece")
    later.status = "draft"
    later.save()
    assertNotContains(client.get("/articles/?tag=skin&nocache=4"), "Second piece")


def test_what_a_search_finds_is_kept_until_content_changes(client, make_article, make_term):
    make_article(title="Vesicle release in skin", body="Vesicles are released.")
    assertContains(client.get("/search/?q=vesicle&nocache=1"), "release in skin")
    with CaptureQueriesContext(connection) as queries:
        again = client.get("/search/?q=vesicle&nocache=2")
    assert not [q for q in queries if "exosite_searchdocument" in q["sql"]]  # kept
    assertContains(again, "release in skin")
    make_term(name="Vesicle budding", definition="How a vesicle buds.")
    assertContains(client.get("/search/?q=vesicle&nocache=3"), "</mark> budding")


@pytest.mark.parametrize("page_cache", [True, False])
def test_a_page_view_reads_the_content_version_once(
    client, settings, make_article, make_term, make_question, page_cache
):
    """The page cache, the kept parts, the link versions and the library's version all use
    the one reading a page view takes, cold or warm."""
    settings.EXOSITE_PAGE_CACHE = page_cache
    make_term(name="Exosome", slug="exosome")
    article = make_article(body="An exosome [@ref1].", references=1, tags=["skin"])
    question = make_question(answer="An exosome [@ref1].")
    for url in (article.get_absolute_url(), question.get_absolute_url(), "/glossary/exosome/"):
        for n in range(3):  # cold, then kept parts (and pages, when cached)
            with CaptureQueriesContext(connection) as queries:
                assert client.get(f"{url}?nocache={n}").status_code == 200
            reads = [q["sql"] for q in queries if versions.TABLE in q["sql"]]
            assert len(reads) == 1, (url, n, reads)


def test_a_value_is_kept_until_content_changes(make_article):
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    assert for_content("probe", compute) == 1
    assert for_content("probe", compute) == 1
    make_article()
    assert for_content("probe", compute) == 2


def test_nothing_is_kept_inside_a_transaction(make_article):
    from django.db import transaction

    calls = []
    with transaction.atomic():
        for_content("probe", lambda: calls.append(1))
        for_content("probe", lambda: calls.append(1))
    assert len(calls) == 2


def test_the_live_version_is_one_query_once_the_schedule_is_known(make_article):
    make_article()
    versions.live()
    with CaptureQueriesContext(connection) as queries:
        versions.live()
    assert len(queries) == 1


def test_people_are_content_and_feedback_is_not(make_article):
    person = Person.objects.create(name="Ada Reviewer", slug="ada-reviewer")
    before = versions.current()
    Person.objects.filter(pk=person.pk).update(credentials="MD")
    changed = versions.current()
    assert changed != before
    Feedback.objects.create(kind=Feedback.Kind.HELPFUL, page="/articles/", client="probe")
    assert versions.current() == changed


def test_a_person_edit_shows_on_cached_article_pages(client, make_article, settings):
    settings.EXOSITE_PAGE_CACHE = True
    person = Person.objects.create(name="Ada Reviewer", slug="ada-reviewer", credentials="PhD")
    article = make_article()
    article.author_profiles.set([person])
    assertContains(client.get(article.get_absolute_url()), "Ada Reviewer</a>, PhD")
    assert client.get(article.get_absolute_url())["X-Cache"] == "hit"
    person.credentials = "MD, PhD"
    person.save()
    response = client.get(article.get_absolute_url())
    assert response["X-Cache"] == "miss"
    assertContains(response, "Ada Reviewer</a>, MD, PhD")


def test_terms_keep_their_own_link_version_between_other_changes(make_article, make_term):
    from exosite.kernel import kinds

    source = kinds.get("glossary")
    term = make_term()
    first = source.version()
    make_article()  # the content changes, the glossary does not
    assert source.version() == first
    term.short_definition = "Changed."
    term.save()
    assert source.version() != first


def test_a_tag_page_lists_a_new_item_on_the_next_request(client, make_article):
    make_article(title="Exosomes and skin", tags=["skin"])
    assertContains(client.get("/tags/skin/"), "1 item")
    make_article(title="Vesicles and hair", tags=["skin"])
    response = client.get("/tags/skin/")
    assertContains(response, "2 items")
    assertContains(response, "Vesicles and hair")


def test_the_glossary_index_lists_a_new_term_on_the_next_request(client, make_term, settings):
    make_term(name="Antigen")
    assertContains(client.get("/glossary/"), "Antigen")
    make_term(name="Apoptosis")
    assertContains(client.get("/glossary/"), "Apoptosis")
    settings.EXOSITE_GLOSSARY_ONE_PAGE_LIMIT = 1  # now a page per letter
    make_term(name="Bone marrow")
    response = client.get("/glossary/", {"letter": "B"})
    assertContains(response, "Bone marrow")
    assertNotContains(response, "Apoptosis")


def test_the_home_page_shows_a_new_article_on_the_next_request(client, make_article):
    make_article(title="Exosomes and skin")
    assertContains(client.get("/"), "Exosomes and skin")
    make_article(title="Vesicles and hair")
    assertContains(client.get("/"), "Vesicles and hair")


def test_a_new_release_renders_parts_afresh(make_article, monkeypatch):
    from exosite.kernel import parts as cache_module

    calls = []
    make_article()
    for_content("probe", lambda: calls.append(1) or len(calls))
    for_content("probe", lambda: calls.append(1) or len(calls))
    assert len(calls) == 1
    monkeypatch.setattr(cache_module, "release", lambda: "next-release")
    for_content("probe", lambda: calls.append(1) or len(calls))
    assert len(calls) == 2
