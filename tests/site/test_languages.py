"""Two languages (issue 17): one item per language linked as translations, addresses per
language, the switcher and hreflang, the pipeline in the page's language, fallbacks, the
sitemap, feeds and the admin's view of translations."""

import xml.etree.ElementTree as ET
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from articles.models import Article
from exosite.kernel import languages
from exosite.models import Status
from glossary.models import Term

pytestmark = pytest.mark.django_db


@pytest.fixture
def exosome(make_term):
    return make_term(
        name="Exosome",
        slug="exosome",
        aliases="exosomes",
        short_definition="A small vesicle cells release.",
    )


@pytest.fixture
def exosoma(make_term, exosome):
    return make_term(
        name="Exosoma",
        slug="exosoma",
        aliases="",
        short_definition="Una vesícula pequeña que liberan las células.",
        definition="Definición completa.",
        language="es",
        translation_of=exosome,
    )


def test_a_slug_and_a_name_are_unique_within_a_language_only(make_term, exosome):
    same_in_spanish = make_term(name="Exosome", slug="exosome", language="es")
    assert same_in_spanish.pk != exosome.pk
    with pytest.raises(IntegrityError), transaction.atomic():
        make_term(name="Another", slug="exosome")


def test_a_translation_names_an_original_in_another_language(make_term, exosome, exosoma):
    wrong = Term(name="X", slug="x", short_definition="x", language="en", translation_of=exosome)
    with pytest.raises(ValidationError, match="another language"):
        wrong.full_clean()
    chained = Term(name="Y", slug="y", short_definition="y", language="en", translation_of=exosoma)
    with pytest.raises(ValidationError, match="not another translation"):
        chained.full_clean()


def test_a_translation_is_out_of_date_once_its_original_changes(exosome, exosoma):
    assert exosoma.translated_version == exosome.edit_version
    assert not exosoma.translation_outdated
    exosome.status = Status.DRAFT  # not the text: still up to date
    exosome.save()
    exosoma.refresh_from_db()
    assert not exosoma.translation_outdated
    exosome.short_definition = "A vesicle of endosomal origin."
    exosome.save()
    exosoma.refresh_from_db()
    assert exosoma.translation_outdated
    exosoma.mark_translated()
    exosoma.save()
    assert not exosoma.translation_outdated


def test_each_language_has_its_own_address(client, exosome, exosoma):
    assert exosome.get_absolute_url() == "/glossary/exosome/"
    assert exosoma.get_absolute_url() == "/es/glossary/exosoma/"
    english = client.get("/glossary/exosome/")
    spanish = client.get("/es/glossary/exosoma/")
    assert english.status_code == spanish.status_code == 200
    assert b'<html lang="en">' in english.content
    assert b'<html lang="es">' in spanish.content
    assert spanish["Content-Language"] == "es"
    assert "Exosoma" in spanish.text and "Exosoma" not in english.text
    # The English term is not found at a Spanish address under its Spanish slug...
    assert client.get("/glossary/exosoma/").status_code in (301, 404)


def test_a_visitor_never_gets_a_language_from_a_header_or_cookie(client, exosome):
    response = client.get("/glossary/exosome/", headers={"accept-language": "es"})
    assert b'<html lang="en">' in response.content
    assert "Accept-Language" not in response.get("Vary", "")


def test_the_switcher_leads_to_the_same_items_translation(client, exosome, exosoma):
    english = client.get("/glossary/exosome/").text
    assert 'href="/es/glossary/exosoma/" hreflang="es" lang="es">Español</a>' in english
    spanish = client.get("/es/glossary/exosoma/").text
    assert 'href="/glossary/exosome/" hreflang="en" lang="en">English</a>' in spanish
    for page in (english, spanish):
        assert (
            '<link rel="alternate" hreflang="en" href="http://testserver/glossary/exosome/">'
            in page
        )
        assert (
            '<link rel="alternate" hreflang="es" href="http://testserver/es/glossary/exosoma/">'
            in page
        )
        assert 'hreflang="x-default" href="http://testserver/glossary/exosome/"' in page


def test_an_english_slug_at_a_spanish_address_goes_to_the_translation(client, exosome, exosoma):
    response = client.get("/es/glossary/exosome/")
    assert response.status_code == 301
    assert response["Location"] == "/es/glossary/exosoma/"


def test_an_untranslated_page_says_so_in_the_visitors_language(client, make_term):
    term = make_term(name="Tetraspanin", slug="tetraspanin")
    page = client.get("/glossary/tetraspanin/").text
    assert 'hreflang="es"' not in page.split("</head>")[0]  # no alternate that does not exist
    assert 'href="/es/glossary/tetraspanin/"' in page  # the switcher still offers it
    response = client.get("/es/glossary/tetraspanin/")
    assert response.status_code == 404
    assert 'name="robots" content="noindex"' in response.text
    assert (
        f'href="{term.get_absolute_url()}" hreflang="en" lang="en">Tetraspanin</a>' in response.text
    )


def test_lists_show_the_pages_language_only(client, exosome, exosoma):
    english = client.get(reverse("glossary:index")).text
    with languages.active("es"):
        spanish_url = reverse("glossary:index")
    assert spanish_url == "/es/glossary/"
    spanish = client.get(spanish_url).text
    assert "Exosome" in english and "Exosoma" not in english
    assert "Exosoma" in spanish and ">Exosome<" not in spanish


def test_a_spanish_article_links_spanish_terms(client, make_article, exosome, exosoma, make_term):
    make_term(
        name="Vesícula extracelular",
        slug="vesicula-extracelular",
        language="es",
        short_definition="Partícula rodeada de membrana.",
    )
    article = make_article(
        title="Qué son los exosomas",
        slug="que-son-los-exosomas",
        language="es",
        body="Los exosomas son vesículas extracelulares. Exosome es la palabra inglesa.",
    )
    page = client.get(article.get_absolute_url()).text
    # Spanish plural forms of Spanish names; never the English term.
    assert 'href="/es/glossary/vesicula-extracelular/"' in page
    assert ">vesículas extracelulares</a>" in page
    assert 'href="/glossary/exosome/"' not in page.split("<main")[1].split("</main>")[0]
    # A cross-link by slug finds the Spanish item.
    article.body = "Véase [[glossary:exosoma]]."
    article.save()
    page = client.get(article.get_absolute_url()).text
    assert 'class="xref" href="/es/glossary/exosoma/"' in page


def test_feeds_are_per_language(client, make_article):
    make_article(title="English news", slug="english-news")
    make_article(title="Noticias", slug="noticias", language="es")
    english = client.get("/feeds/articles/").text
    spanish = client.get("/es/feeds/articles/").text
    assert "English news" in english and "Noticias" not in english
    assert "Noticias" in spanish and "English news" not in spanish
    assert "<language>es</language>" in spanish
    assert "<language>en-gb</language>" in english


def test_the_sitemap_lists_every_language_with_alternates(client, exosome, exosoma, make_term):
    make_term(name="Only English", slug="only-english")
    root = ET.fromstring(client.get(reverse("sitemap")).content)
    ns = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    entries = {
        url.findtext("sm:loc", namespaces=ns): {
            link.get("hreflang"): link.get("href") for link in url.findall("x:link", ns)
        }
        for url in root.findall("sm:url", ns)
    }
    spanish = entries["http://testserver/es/glossary/exosoma/"]
    assert spanish == {
        "en": "http://testserver/glossary/exosome/",
        "es": "http://testserver/es/glossary/exosoma/",
        "x-default": "http://testserver/glossary/exosome/",
    }
    assert entries["http://testserver/glossary/exosome/"] == spanish
    assert entries["http://testserver/glossary/only-english/"] == {}
    # Section pages exist in both languages.
    assert entries["http://testserver/es/glossary/"]["en"] == "http://testserver/glossary/"


def test_the_page_cache_keeps_one_page_per_language(client, page_cache, exosome, exosoma):
    for _ in range(2):  # the second round comes from the cache
        assert b'lang="en"' in client.get("/glossary/").content
        assert b'<html lang="es">' in client.get("/es/glossary/").content


def test_spanish_pages_cost_the_queries_english_ones_do(
    client, exosome, exosoma, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from exosite.kernel import memo

    def cold(url):
        from django.core.cache import cache

        cache.clear()
        memo.forget_all()
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    assert cold("/es/glossary/exosoma/") == cold("/glossary/exosome/")
    assert cold("/es/glossary/") == cold("/glossary/")


# The admin -------------------------------------------------------------------------


@pytest.fixture
def editor(admin_client):
    return admin_client


def test_the_admin_lists_each_items_languages(editor, exosome, exosoma, make_term):
    make_term(name="Lonely", slug="lonely")
    page = editor.get(reverse("admin:glossary_term_changelist")).text
    assert "ES: published" in page and "ES: missing" in page
    missing = editor.get(reverse("admin:glossary_term_changelist"), {"missing": "es"}).text
    assert "Lonely" in missing and ">Exosome<" not in missing


def test_adding_a_translation_starts_from_the_original(editor, exosome):
    url = reverse("admin:glossary_term_add")
    page = editor.get(url, {"language": "es", "translation_of": exosome.pk}).text
    assert "A small vesicle cells release." in page
    assert f'<option value="{exosome.pk}" selected>Exosome</option>' in page
    assert '<option value="es" selected>Español</option>' in page


def test_an_outdated_translation_shows_the_originals_change_side_by_side(editor, exosome, exosoma):
    exosome.short_definition = "A vesicle of endosomal origin."
    exosome.save()
    change = editor.get(reverse("admin:glossary_term_change", args=[exosoma.pk])).text
    assert "Out of date:" in change
    url = reverse("admin:glossary_term_translation", args=[exosoma.pk])
    page = editor.get(url).text
    assert "When last translated" in page and "The original now" in page
    assert "cells&nbsp;release" in page and "endosomal&nbsp;origin" in page
    response = editor.post(url)
    assert response.status_code == 302
    exosoma.refresh_from_db()
    assert not exosoma.translation_outdated
    assert (
        "Out of date:"
        not in editor.get(reverse("admin:glossary_term_change", args=[exosoma.pk])).text
    )


def test_the_translation_page_is_for_staff_who_may_see_the_item(client, exosome, exosoma):
    exosome.short_definition = "A vesicle of endosomal origin."
    exosome.save()
    url = reverse("admin:glossary_term_translation", args=[exosoma.pk])
    assert client.get(url).status_code == 302  # to the log-in page
    assert client.post(url).status_code == 302
    exosoma.refresh_from_db()
    assert exosoma.translation_outdated  # a visitor cannot mark it up to date


def test_article_translation_out_of_date(make_article):
    original = make_article(title="Original", slug="original")
    spanish = make_article(
        title="Original ES", slug="original-es", language="es", translation_of=original
    )
    assert not spanish.translation_outdated
    original.body = "New text."
    original.save()
    assert Article.objects.get(pk=spanish.pk).translation_outdated


def test_people_are_described_in_the_pages_language(client, make_article, reviewer):
    from trust.models import PersonTranslation

    PersonTranslation.objects.create(
        person=reviewer, language="es", credentials="Médica", bio="Revisora médica."
    )
    today = date.today()
    english = make_article(title="Reviewed", slug="reviewed", reviewer=reviewer, reviewed_at=today)
    spanish = make_article(
        title="Revisado",
        slug="revisado",
        language="es",
        reviewer=reviewer,
        reviewed_at=today,
        translation_of=english,
    )
    assert "Médica" in client.get(spanish.get_absolute_url()).text
    assert "Médica" not in client.get(english.get_absolute_url()).text
    assert "Revisora médica." in client.get(f"/es/people/{reviewer.slug}/").text
    assert "Revisora médica." not in client.get(f"/people/{reviewer.slug}/").text


def test_a_spanish_feed_is_titled_in_spanish(client, make_article):
    make_article(title="Noticias", slug="noticias", language="es")
    assert "<title>Exosite: últimos artículos</title>" in client.get("/es/feeds/articles/").text
    assert "<title>Exosite: latest articles</title>" in client.get("/feeds/articles/").text
