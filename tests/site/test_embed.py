"""The embeddable glossary and cards (issue 14, part 2): the term index and the script
(glossary/embed.py), the iframe cards and oEmbed (exosite/embed.py). The widget itself
runs in tests/browser/test_embed.py."""

import gzip
import json
import re
from datetime import timedelta
from urllib.parse import quote

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from exosite.models import Status
from glossary.models import Term

pytestmark = pytest.mark.django_db

INDEX_PATH = re.compile(r'"(/embed/glossary/index\.[0-9a-f]{32}\.json)"')


def index_path(client):
    script = client.get("/embed/glossary.js")
    return INDEX_PATH.search(script.content.decode()).group(1)


def index_data(client):
    return json.loads(client.get(index_path(client)).content)


def assert_no_cookies(response):
    assert not response.cookies
    assert "Set-Cookie" not in response.headers


# -- the term index ------------------------------------------------------------------------


def test_index_lists_published_auto_linked_terms_only(client, make_term, future):
    make_term(name="Exosome", slug="exosome", short_definition="A small vesicle.")
    make_term(name="Draft term", slug="draft-term", status=Status.DRAFT)
    make_term(name="In review", slug="in-review", status=Status.REVIEW)
    make_term(name="Scheduled term", slug="scheduled-term", published_at=future)
    make_term(name="Not linked", slug="not-linked", autolink=False)

    data = index_data(client)

    assert [entry[0] for entry in data["terms"]] == ["exosome"]
    assert data["url"] == "/glossary/{slug}/"


def test_index_is_compact(client, make_term):
    make_term(
        name="Multivesicular body",
        slug="multivesicular-body",
        abbreviation="MVB",
        aliases="multivesicular endosome\nMVE",
        short_definition="An endosome holding many small vesicles.",
    )
    make_term(name="Exosome", slug="exosome", short_definition="A small vesicle.")

    body = client.get(index_path(client)).content
    data = json.loads(body)

    assert data == {
        "v": 1,
        "url": "/glossary/{slug}/",
        "terms": [
            ["exosome", "Exosome", "A small vesicle.", ""],
            [
                "multivesicular-body",
                "Multivesicular body",
                "An endosome holding many small vesicles.",
                "MVB",
                "multivesicular endosome",
                "MVE",
            ],
        ],
    }
    # No keys per term and no white space between values: the text and little else.
    assert len(body) == len(json.dumps(data, separators=(",", ":")))


def test_index_address_and_etag_change_when_a_term_changes(client, make_term):
    term = make_term(name="Exosome", slug="exosome", short_definition="Before.")
    first_path = index_path(client)
    first = client.get(first_path)

    term.short_definition = "After."
    term.save()
    second_path = index_path(client)
    second = client.get(second_path)

    assert second_path != first_path
    assert second["ETag"] != first["ETag"]
    assert json.loads(second.content)["terms"][0][2] == "After."
    # A page still holding the old address is sent to the current index, never the old one.
    moved = client.get(first_path)
    assert moved.status_code == 302
    assert moved["Location"] == second_path
    assert moved["Access-Control-Allow-Origin"] == "*"


def test_index_changes_when_a_scheduled_term_goes_live(client, make_term):
    make_term(name="Soon", slug="soon", published_at=timezone.now() + timedelta(hours=1))
    assert index_data(client)["terms"] == []

    Term.objects.filter(slug="soon").update(published_at=timezone.now() - timedelta(seconds=1))

    assert [entry[0] for entry in index_data(client)["terms"]] == ["soon"]


def test_versioned_index_is_immutable_and_cross_origin(client, make_term):
    make_term(name="Exosome", slug="exosome")
    path = index_path(client)

    response = client.get(path, headers={"Origin": "https://partner.example"})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Cross-Origin-Resource-Policy"] == "cross-origin"
    assert response["ETag"] == f'"{path.split(".")[1]}"'
    assert_no_cookies(response)


@pytest.mark.parametrize("versioned", [True, False])
def test_index_answers_304_to_if_none_match(client, make_term, versioned):
    make_term(name="Exosome", slug="exosome")
    path = index_path(client) if versioned else "/embed/glossary/index.json"
    etag = client.get(path)["ETag"]

    again = client.get(path, headers={"If-None-Match": etag})

    assert again.status_code == 304
    assert again.content == b""
    assert again["Access-Control-Allow-Origin"] == "*"
    assert_no_cookies(again)


def test_unversioned_index_is_revalidated(client, make_term):
    make_term(name="Exosome", slug="exosome")

    response = client.get("/embed/glossary/index.json")

    assert response["Cache-Control"].startswith("max-age=0, must-revalidate, public")
    assert response.content == client.get(index_path(client)).content


def test_index_costs_the_same_queries_for_few_and_many_terms(client, make_term):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/embed/glossary/index.json").status_code == 200
        return len(captured)

    make_term()
    few = queries()
    for _ in range(30):
        make_term(aliases="another name\nyet another")
    assert queries() == few
    assert few <= 4


# -- the script ------------------------------------------------------------------------------


def test_script_is_javascript_naming_the_current_index(client, make_term):
    make_term(name="Exosome", slug="exosome")

    response = client.get("/embed/glossary.js")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/javascript; charset=utf-8"
    assert response["Cross-Origin-Resource-Policy"] == "cross-origin"
    assert response["Cache-Control"].startswith("max-age=0, must-revalidate, public")
    source = response.content.decode()
    assert "__EXOSITE_INDEX__" not in source
    assert client.get(INDEX_PATH.search(source).group(1)).status_code == 200
    assert_no_cookies(response)


def test_script_is_under_15_kb_compressed(client):
    plain = client.get("/embed/glossary.js").content
    assert len(gzip.compress(plain, compresslevel=9)) < 15 * 1024

    served = client.get("/embed/glossary.js", headers={"Accept-Encoding": "gzip"})
    assert served["Content-Encoding"] == "gzip"
    assert len(served.content) < 15 * 1024
    assert gzip.decompress(served.content) == plain


def test_script_answers_304_until_the_glossary_changes(client, make_term):
    term = make_term(name="Exosome", slug="exosome")
    etag = client.get("/embed/glossary.js")["ETag"]

    assert client.get("/embed/glossary.js", headers={"If-None-Match": etag}).status_code == 304

    term.name = "Exosomes"
    term.save()
    assert client.get("/embed/glossary.js", headers={"If-None-Match": etag}).status_code == 200


def test_script_and_index_are_read_only(client):
    assert client.post("/embed/glossary.js").status_code == 405
    assert client.post("/embed/glossary/index.json").status_code == 405


# -- cards ------------------------------------------------------------------------------------


def test_term_card(client, make_term):
    make_term(name="Exosome", slug="exosome", short_definition="A small vesicle.")

    response = client.get("/embed/glossary/exosome/")

    assert response.status_code == 200
    html = response.content.decode()
    assert '<h1 id="card-title">Exosome</h1>' in html
    assert "A small vesicle." in html
    assert 'href="http://testserver/glossary/exosome/"' in html
    assert "Read more on Exosite" in html
    assert_no_cookies(response)
    assert "Cookie" not in response.get("Vary", "")


def test_faq_card_summarises_the_answer(client, make_question):
    make_question(
        question="Are exosomes alive?",
        slug="alive",
        answer="No. They are vesicles, not cells.\n\nA second paragraph the card leaves out.",
    )

    response = client.get("/embed/faq/alive/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "Are exosomes alive?" in html
    assert "No. They are vesicles, not cells." in html
    assert "second paragraph" not in html
    assert 'href="http://testserver/faq/alive/"' in html


def test_cards_of_unpublished_items_are_404(client, make_term, make_question, future):
    make_term(slug="draft", status=Status.DRAFT)
    make_term(slug="later", published_at=future)
    make_question(slug="draft-question", status=Status.DRAFT)

    for path in (
        "/embed/glossary/draft/",
        "/embed/glossary/later/",
        "/embed/glossary/missing/",
        "/embed/faq/draft-question/",
    ):
        assert client.get(path).status_code == 404, path


def test_a_renamed_term_s_card_moves_with_it(client, make_term):
    term = make_term(name="Exosome", slug="exosome")
    term.slug = "exosomes"
    term.save()

    response = client.get("/embed/glossary/exosome/")

    assert response.status_code == 301
    assert response["Location"] == "/embed/glossary/exosomes/"


def test_only_cards_may_be_framed(client, make_term, make_question):
    make_term(name="Exosome", slug="exosome")
    make_question(slug="alive")

    for path in ("/embed/glossary/exosome/", "/embed/faq/alive/"):
        card = client.get(path)
        assert "frame-ancestors *" in card["Content-Security-Policy"], path
        assert "X-Frame-Options" not in card.headers, path
        assert card["Cross-Origin-Resource-Policy"] == "cross-origin"
    for path in ("/", "/glossary/exosome/", "/faq/alive/", "/embed/glossary/missing/"):
        page = client.get(path)
        assert "frame-ancestors 'none'" in page["Content-Security-Policy"], path
        assert page["X-Frame-Options"] == "DENY", path


def test_card_queries_do_not_grow(client, make_term):
    term = make_term(name="Exosome", slug="exosome")
    with CaptureQueriesContext(connection) as first:
        client.get("/embed/glossary/exosome/")
    for _ in range(20):
        make_term(related=[term])
    with CaptureQueriesContext(connection) as second:
        client.get("/embed/glossary/exosome/")
    assert len(second) == len(first) <= 4


# -- oEmbed --------------------------------------------------------------------------------------


def oembed(client, url, **params):
    return client.get("/oembed", {"url": url, **params})


def test_oembed_for_a_term(client, make_term):
    make_term(name="Exosome", slug="exosome")

    response = oembed(client, "http://testserver/glossary/exosome/", format="json")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Access-Control-Allow-Origin"] == "*"
    data = response.json()
    assert data["version"] == "1.0"
    assert data["type"] == "rich"
    assert data["title"] == "Exosome"
    assert data["provider_name"] == "Exosite"
    assert data["provider_url"] == "http://testserver/"
    assert (data["width"], data["height"]) == (480, 220)
    assert data["html"] == (
        '<iframe src="http://testserver/embed/glossary/exosome/" width="480" height="220" '
        'title="Exosome (Glossary, Exosite)" loading="lazy"></iframe>'
    )
    assert_no_cookies(response)


def test_oembed_for_an_faq_entry_within_the_size_asked(client, make_question):
    make_question(question="Are exosomes alive?", slug="alive")

    data = oembed(
        client, "https://testserver/faq/alive/?utm=x#top", maxwidth="300", maxheight="200"
    ).json()

    assert data["title"] == "Are exosomes alive?"
    assert (data["width"], data["height"]) == (300, 200)
    assert 'src="http://testserver/embed/faq/alive/"' in data["html"]
    assert 'width="300" height="200"' in data["html"]


def test_oembed_xml_is_not_implemented(client, make_term):
    make_term(slug="exosome")
    assert oembed(client, "http://testserver/glossary/exosome/", format="xml").status_code == 501


@pytest.mark.parametrize(
    "url",
    [
        "http://testserver/glossary/draft/",
        "http://testserver/glossary/missing/",
        "http://testserver/glossary/",
        "http://testserver/",
        "http://testserver/articles/some-article/",
        "http://testserver/nowhere/at/all",
        "https://elsewhere.example/glossary/exosome/",
        "javascript:alert(1)",
        "/glossary/exosome/",
        "glossary/exosome",
        "http:///glossary/exosome/",
    ],
)
def test_oembed_of_anything_else_is_404(client, make_term, url):
    make_term(slug="exosome")
    make_term(slug="draft", status=Status.DRAFT)

    assert oembed(client, url).status_code == 404


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"url": ""},
        {"url": "http://[::1/glossary/exosome/"},
        {"url": "http://testserver:99999/glossary/exosome/"},
        {"url": "http://testserver/glossary/exosome/", "maxwidth": "wide"},
        {"url": "http://testserver/glossary/exosome/", "maxheight": "-5"},
        {"url": "http://testserver/glossary/exosome/", "maxwidth": "0"},
    ],
)
def test_oembed_refuses_malformed_parameters(client, make_term, params):
    make_term(slug="exosome")

    response = client.get("/oembed", params)

    assert response.status_code == 400
    assert response.content


def test_oembed_queries_do_not_grow(client, make_term):
    make_term(name="Exosome", slug="exosome")
    with CaptureQueriesContext(connection) as first:
        oembed(client, "http://testserver/glossary/exosome/")
    for _ in range(20):
        make_term()
    with CaptureQueriesContext(connection) as second:
        oembed(client, "http://testserver/glossary/exosome/")
    assert len(second) == len(first) <= 3


def test_term_and_faq_pages_advertise_oembed(client, make_term, make_question, make_article):
    make_term(name="Exosome", slug="exosome")
    make_question(slug="alive")
    make_article(slug="an-article")

    for page_url in ("http://testserver/glossary/exosome/", "http://testserver/faq/alive/"):
        html = client.get(page_url).content.decode()
        href = f"http://testserver/oembed?url={quote(page_url, safe='')}&amp;format=json"
        assert f'<link rel="alternate" type="application/json+oembed" href="{href}"' in html
    assert "json+oembed" not in client.get("/articles/an-article/").content.decode()


# -- through the page cache -------------------------------------------------------------------


def test_page_cache_keeps_script_and_index_until_the_glossary_changes(client, settings, make_term):
    settings.EXOSITE_PAGE_CACHE = True
    term = make_term(name="Exosome", slug="exosome")
    path = index_path(client)

    for address in ("/embed/glossary.js", path):
        first = client.get(address)
        again = client.get(address, headers={"If-None-Match": first["ETag"]})
        assert client.get(address)["X-Cache"] == "hit", address
        assert again.status_code == 304, address
        hit = client.get(address)
        assert hit["Access-Control-Allow-Origin"] == "*"
        assert hit["Cross-Origin-Resource-Policy"] == "cross-origin"
        assert hit["Cache-Control"] == first["Cache-Control"]
        assert hit["ETag"] == first["ETag"]
        assert_no_cookies(hit)

    term.short_definition = "Changed."
    term.save()
    assert index_path(client) != path
    assert json.loads(client.get(index_path(client)).content)["terms"][0][2] == "Changed."


def test_cards_are_valid_html(client, make_term, make_question, tmp_path):
    from tests.site.test_html_validity import vnu_errors

    make_term(name="Exosome", slug="exosome")
    make_question(slug="alive")
    files = []
    for name, path in (
        ("term-card", "/embed/glossary/exosome/"),
        ("faq-card", "/embed/faq/alive/"),
    ):
        file = tmp_path / f"{name}.html"
        file.write_bytes(client.get(path).content)
        files.append(file)

    assert vnu_errors(files) == []
