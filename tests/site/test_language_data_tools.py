"""Tools that find content by slug or name outside the public views, in two languages
(issue 17): each finds the item of the right language, never its namesake in the other."""

import io

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.urls import reverse

from articles.models import Article
from exosite.kernel import languages, linking, mentions
from exosite.kernel.frontmatter import FrontMatterError
from exosite.management.commands import generate_synthetic
from exosite.models import Mention, Status
from faq.models import Question, Topic
from glossary.models import Term
from tests.glossary.test_semantics import alias_errors, form_data
from trust.models import Page
from trust.policy_pages import all_policy_pages, ensure_policy_pages, policy_pages

pytestmark = pytest.mark.django_db


def test_a_topic_translation_can_be_saved(topic):
    # Topics keep no edit version: a translation of one is made from its text alone.
    tema = Topic.objects.create(
        name="Conceptos básicos", slug="conceptos-basicos", language="es", translation_of=topic
    )
    assert tema.translated_fingerprint and not tema.translation_outdated
    topic.name = "The basics"
    topic.save()
    tema.refresh_from_db()
    assert tema.translation_outdated


def test_the_admins_synonym_rule_is_per_language(admin_client, make_term):
    """A Spanish term may go by a name an English term has (each language links its own
    glossary), never by another Spanish term's."""
    make_term(name="Extracellular vesicle", abbreviation="EV", status=Status.DRAFT)
    url = reverse("admin:glossary_term_add")
    data = form_data(admin_client, url)
    data.update(
        name="Vesícula extracelular",
        slug="vesicula-extracelular",
        language="es",
        short_definition="Una vesícula.",
        aliases="EV",
        status=Status.DRAFT,
    )
    response = admin_client.post(url, data)
    assert response.status_code == 302, alias_errors(response)
    assert Term.objects.get(language="es").alias_list == ["EV"]
    data.update(name="Otra vesícula", slug="otra")
    response = admin_client.post(url, data)
    assert alias_errors(response) == [
        "“EV” is already a synonym of “Vesícula extracelular”: a name can stand for one term "
        "only. If they are different ideas, link “Vesícula extracelular” under Related terms "
        "instead."
    ]
    data.update(language="en", name="Yet another vesicle", slug="yet-another")
    response = admin_client.post(url, data)
    assert alias_errors(response)[0].startswith("“EV” is the abbreviation of “Extracellular")


# -- mentions: what links to what ---------------------------------------------------------------


@pytest.fixture
def cd9_twins(make_term):
    """A term of the same slug in each language."""
    english = make_term(name="CD9 protein", slug="cd9", short_definition="A tetraspanin.")
    spanish = make_term(
        name="Proteína CD9",
        slug="cd9",
        language="es",
        translation_of=english,
        short_definition="Una tetraspanina.",
    )
    return english, spanish


def test_mentions_are_of_the_linking_items_language(
    make_article, cd9_twins, django_capture_on_commit_callbacks
):
    english, spanish = cd9_twins
    with django_capture_on_commit_callbacks(execute=True):
        articulo = make_article(
            title="Artículo", slug="articulo", language="es", body="Véase [[glossary:cd9]]."
        )
        article = make_article(title="Article", slug="article", body="See [[glossary:cd9]].")
    assert list(mentions.mentioned_by(articulo, Term)) == [spanish]
    assert list(mentions.mentioning(spanish, Article)) == [articulo]
    assert list(mentions.mentioning(english, Article)) == [article]
    stored = Mention.objects.filter(target_type=ContentType.objects.get_for_model(Term))
    assert sorted((m.source_id, m.target_id) for m in stored) == sorted(
        [(articulo.pk, spanish.pk), (article.pk, english.pk)]
    )


def test_a_saved_items_address_refreshes_what_links_to_it_in_its_language(
    make_article, make_term, cd9_twins, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        articulo = make_article(
            title="Artículo", slug="articulo", language="es", body="Véase [[glossary:cd63]]."
        )
        article = make_article(title="Article", slug="article", body="See [[glossary:cd63]].")
    assert not mentions.mentioned_by(articulo, Term).exists()
    # A Spanish term takes the address: the Spanish article links it, the English one
    # still links nothing (no English term has it).
    with django_capture_on_commit_callbacks(execute=True):
        cd63 = make_term(name="CD63 español", slug="cd63", language="es")
    assert list(mentions.mentioned_by(articulo, Term)) == [cd63]
    assert not mentions.mentioned_by(article, Term).exists()


def test_the_terms_a_page_links_are_of_its_language(cd9_twins, make_article):
    english, spanish = cd9_twins
    articulo = make_article(
        title="Artículo", slug="articulo", language="es", body="Véase [[glossary:cd9]]."
    )
    rendered = linking.rendered(articulo)
    assert list(mentions.linked_in(rendered, Term, "es")) == [spanish]
    with languages.active("es"):
        assert list(mentions.linked_in(rendered, Term)) == [spanish]


# -- previews -------------------------------------------------------------------------------------


def test_a_spanish_draft_is_previewed_in_spanish_with_its_languages_terms(
    admin_client, cd9_twins, make_article
):
    english, spanish = cd9_twins
    borrador = make_article(
        title="Borrador",
        slug="borrador",
        language="es",
        body="Sobre [[glossary:cd9]].",
        status=Status.DRAFT,
    )
    response = admin_client.get(f"/preview/article/{borrador.pk}/")
    assert response.status_code == 200
    assert response["Content-Language"] == "es"
    html = response.content.decode()
    assert '<html lang="es"' in html
    assert 'href="/es/glossary/cd9/"' in html
    assert "Proteína CD9" in html and "CD9 protein" not in html
    draft = make_article(title="Draft", slug="draft", body="On [[glossary:cd9]].", status="draft")
    html = admin_client.get(f"/preview/article/{draft.pk}/").content.decode()
    assert '<html lang="en"' in html
    assert 'href="/glossary/cd9/"' in html and "Proteína CD9" not in html


# -- policy pages -------------------------------------------------------------------------------


def page_file(folder, slug, position, translation_of=None, title=None):
    folder.mkdir(parents=True, exist_ok=True)
    extra = f'translation_of = "{translation_of}"\n' if translation_of else ""
    (folder / f"{slug}.md").write_text(
        f'+++\ntitle = "{title or slug.title()}"\nslug = "{slug}"\nsummary = "S."\n'
        f"position = {position}\nin_footer = true\n{extra}+++\nText of {slug}.\n",
        encoding="utf-8",
    )


def test_policy_pages_are_read_and_created_per_language(tmp_path):
    page_file(tmp_path, "about", 1)
    page_file(tmp_path, "contact", 2)
    page_file(tmp_path / "es", "contacto", 2, translation_of="contact", title="Contacto")
    page_file(tmp_path / "es", "about", 1, translation_of="about", title="Acerca de")
    assert [p["slug"] for p in policy_pages(tmp_path)] == ["about", "contact"]
    assert [(p["slug"], p["language"]) for p in policy_pages(tmp_path, "es")] == [
        ("about", "es"),
        ("contacto", "es"),
    ]
    Page.objects.filter(slug__in=["about", "contact", "contacto"]).delete()
    ensure_policy_pages(Page, tmp_path)
    english = Page.objects.get(language="en", slug="about")
    spanish = Page.objects.get(language="es", slug="about")  # the same slug: two pages
    assert (spanish.title, spanish.translation_of) == ("Acerca de", english)
    assert spanish.is_published and spanish.translated_fingerprint
    contacto = Page.objects.get(language="es", slug="contacto")
    assert contacto.translation_of == Page.objects.get(language="en", slug="contact")
    # Run again (every migrate does): nothing is added or changed.
    count = Page.objects.count()
    Page.objects.filter(pk=spanish.pk).update(title="Acerca de Exosite")
    ensure_policy_pages(Page, tmp_path)
    assert Page.objects.count() == count
    assert Page.objects.get(pk=spanish.pk).title == "Acerca de Exosite"


def test_a_policy_page_translating_no_page_is_refused(tmp_path):
    page_file(tmp_path, "about", 1)
    page_file(tmp_path / "es", "privacidad", 1, translation_of="privacy")
    with pytest.raises(FrontMatterError, match=r"es/privacidad\.md: translation_of: 'privacy'"):
        all_policy_pages(tmp_path)
    # An English file may not name one: English pages are the originals.
    page_file(tmp_path, "contact", 2, translation_of="about")
    with pytest.raises(FrontMatterError, match=r"contact\.md: .*unknown \['translation_of'\]"):
        policy_pages(tmp_path)


def test_the_shipped_policy_pages_of_every_language_read():
    pages = all_policy_pages()
    english = {p["slug"] for p in pages if p["language"] == "en"}
    assert {"about", "privacy", "editorial-policy"} <= english
    for page in pages:
        stored = Page.objects.get(language=page["language"], slug=page["slug"])
        assert stored.title == page["title"]


# -- bench data ---------------------------------------------------------------------------------


def test_synthetic_content_is_english_beside_spanish_items_of_the_same_slugs(make_term):
    """Spanish items that happen to have synthetic slugs and names stay as they are: the
    synthetic content is English, with unique slugs, and links English terms only."""
    first = generate_synthetic.term_name(0)
    spanish = [
        make_term(name=generate_synthetic.term_name(n), slug=f"syn-term-{n + 1}", language="es")
        for n in range(8)
    ]
    tema = Topic.objects.create(name="Basics (sintético)", slug="syn-basics", language="es")
    call_command(
        "generate_synthetic",
        profile="load",
        processes=1,
        force=True,
        articles=4,
        terms=8,
        questions=3,
        tags=3,
        stdout=io.StringIO(),
    )
    english = Term.objects.filter(language="en", slug__startswith="syn-")
    assert english.count() == 8
    assert english.filter(name=first).exists()  # a Spanish namesake does not take it
    for model in (Article, Term, Question):
        slugs = list(model.objects.filter(language="en").values_list("slug", flat=True))
        assert len(slugs) == len(set(slugs))
    assert Article.objects.filter(language="en", slug__startswith="syn-").count() == 4
    assert Question.objects.exclude(topic=tema).count() == 3
    term_type = ContentType.objects.get_for_model(Term)
    targets = Mention.objects.filter(target_type=term_type).values("target_id")
    assert Term.objects.filter(pk__in=targets, language="en").exists()
    assert not Term.objects.filter(pk__in=targets, language="es").exists()
    assert all(Term.objects.filter(pk=term.pk).exists() for term in spanish)
    # And removed again without touching them.
    call_command(
        "generate_synthetic",
        profile="search",
        force=True,
        clear=True,
        articles=1,
        terms=1,
        questions=1,
        tags=1,
        stdout=io.StringIO(),
    )
    assert Term.objects.filter(language="es").count() == 8
    assert Topic.objects.filter(pk=tema.pk).exists()
