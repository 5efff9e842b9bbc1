"""/sitemap.xml lists every published page with its last change; /robots.txt points to it."""

import re
import xml.etree.ElementTree as ET
from datetime import datetime

import pytest
from django.urls import reverse

from exosite.models import Status
from trust.models import Page, Person

pytestmark = pytest.mark.django_db

NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}
# W3C datetime, as the sitemap protocol requires for <lastmod>.
W3C_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$")


def sitemap(client):
    response = client.get(reverse("sitemap"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    root = ET.fromstring(response.content)
    assert root.tag == f"{{{NS['sm']}}}urlset"
    entries = {}
    for url in root.findall("sm:url", NS):
        children = {child.tag.split("}")[1] for child in url}
        # "link": xhtml:link, the page in another language (hreflang).
        assert children <= {"loc", "lastmod", "changefreq", "priority", "link"}
        loc = url.findtext("sm:loc", namespaces=NS)
        assert loc.startswith("http://testserver/"), loc
        assert loc not in entries, f"{loc} listed twice"
        lastmod = url.findtext("sm:lastmod", namespaces=NS)
        if lastmod is not None:
            assert W3C_DATE.match(lastmod), lastmod
        priority = url.findtext("sm:priority", namespaces=NS)
        if priority is not None:
            assert 0.0 <= float(priority) <= 1.0
        entries[loc.removeprefix("http://testserver")] = lastmod
    return entries


def test_sitemap_lists_every_published_page_with_its_last_change(
    client, make_article, make_term, make_question, future
):
    article = make_article(slug="live-article", tags=["lung"])
    term = make_term(slug="live-term", tags=["lung"])
    question = make_question(slug="live-question")
    make_article(slug="draft-article", status=Status.DRAFT, tags=["secret"])
    make_term(slug="scheduled-term", published_at=future)
    make_question(slug="review-question", status=Status.REVIEW)
    person = Person.objects.create(name="Ada Reviewer", slug="ada-reviewer")
    Person.objects.create(name="Former Editor", slug="former-editor", is_public=False)
    Page.objects.filter(slug="funding").update(status=Status.DRAFT)
    policy_pages = {
        page.get_absolute_url() for page in Page.objects.published().exclude(slug="funding")
    }
    assert "/pages/editorial-policy/" in policy_pages
    entries = sitemap(client)
    # Public profiles are pages: the articles' default author (make_article) and Ada; the
    # hidden profile is not.
    author = Person.objects.get(slug="edna-editor")
    assert author.is_public
    assert set(entries) == policy_pages | {
        "/people/",
        "/people/edna-editor/",
        "/people/ada-reviewer/",
        "/",
        "/articles/",
        "/glossary/",
        "/faq/",
        "/tags/",
        # The section pages exist in Spanish too (with hreflang alternates).
        "/es/",
        "/es/articles/",
        "/es/glossary/",
        "/es/faq/",
        "/es/tags/",
        "/articles/live-article/",
        "/glossary/live-term/",
        "/faq/live-question/",
        "/tags/lung/",
    }
    for item in (article, term, question):
        lastmod = datetime.fromisoformat(entries[item.get_absolute_url()])
        assert lastmod == item.updated_at
    assert entries["/tags/lung/"] is not None
    assert entries["/glossary/"] == entries["/glossary/live-term/"]
    assert datetime.fromisoformat(entries["/people/ada-reviewer/"]) == person.updated_at
    assert datetime.fromisoformat(entries["/people/edna-editor/"]) == author.updated_at
    assert author.updated_at < person.updated_at
    assert entries["/people/"] == entries["/people/ada-reviewer/"]  # the latest change


def test_robots_txt_points_to_the_sitemap_and_keeps_private_urls_out(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert lines[0] == "User-agent: *"
    assert "Disallow: /admin/" in lines
    assert "Disallow: /preview/" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    # Public pages stay crawlable.
    assert not any(line in lines for line in ("Disallow: /", "Disallow: /articles/"))


@pytest.mark.parametrize("size", [3, 30])
def test_sitemap_query_count_does_not_grow(
    client, make_article, make_term, make_question, django_assert_max_num_queries, size
):
    for n in range(size):
        make_article(tags=[f"t{n}"])
        make_term(tags=[f"t{n}"])
        make_question()
    # Per section: a count and a page of items; for the sections and tags, one
    # aggregate per kind.
    with django_assert_max_num_queries(18):
        assert client.get(reverse("sitemap")).status_code == 200
