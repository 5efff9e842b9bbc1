import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from pytest_django.asserts import assertContains

from articles.models import Article
from exosite.models import Status
from library.models import Citation, Reference
from tests.conftest import library_reference
from tests.site.test_review_gate import form_data
from trust.models import Person

pytestmark = pytest.mark.django_db

ADMIN_PAGES = [
    "admin:index",
    "admin:articles_article_changelist",
    "admin:articles_article_add",
    "admin:glossary_term_changelist",
    "admin:glossary_term_add",
    "admin:faq_topic_changelist",
    "admin:faq_question_changelist",
    "admin:faq_question_add",
    "admin:faq_submission_changelist",
    "admin:taggit_tag_changelist",
    "admin:library_reference_changelist",
    "admin:library_reference_add",
]

FIGURES = {
    "figures-TOTAL_FORMS": "0",
    "figures-INITIAL_FORMS": "0",
    "figures-MIN_NUM_FORMS": "0",
    "figures-MAX_NUM_FORMS": "1000",
}


def cited_by(article):
    """The library references `article` cites, in its numbering (1, 2, ...)."""
    rows = Citation.objects.filter(
        content_type=ContentType.objects.get_for_model(Article), object_id=article.pk
    ).order_by("position")
    return [(row.position, row.reference.key) for row in rows]


@pytest.fixture
def author(db):
    return Person.objects.create(name="An Editor", slug="an-editor")


@pytest.mark.parametrize("name", ADMIN_PAGES)
def test_admin_pages_open(admin_client, name, make_article, make_term, make_question):
    make_article(tags=["lung"], references=2)
    make_term(tags=["lung"])
    make_question(tags=["lung"])
    assert admin_client.get(reverse(name)).status_code == 200


def test_article_change_form_has_prepopulated_slug_tags_and_ordered_references(
    admin_client, make_article, reviewer
):
    # References are numbered in the order the text first cites them: 3, then 1 and 2.
    article = make_article(
        tags=["lung", "biology"], references=3, body="First [3]. Then [1, 2], and [3] again."
    )
    url = reverse("admin:articles_article_change", args=[article.pk])
    response = admin_client.get(url)
    assertContains(response, "data-prepopulated-field")
    assertContains(response, 'name="tags"')
    assertContains(response, "biology, lung")
    assertContains(response, "First [@ref3]. Then [@ref1; @ref2], and [@ref3] again.")
    # The live preview beside the body lists the references as the page will.
    preview = admin_client.post(
        reverse("admin:articles_article_markdown_preview"), {"text": article.body}
    ).json()
    assert preview["references"] == [
        f"{library_reference(n).citation} [@ref{n}]" for n in (3, 1, 2)
    ]
    assert preview["warnings"] == []
    # Saving from the form (a reviewer checks it: it stays published) records that
    # numbering with the article.
    data = form_data(admin_client, url, reviewer=reviewer.pk, record_review="on")
    saved = admin_client.post(url, data)
    assert saved.status_code == 302, saved.context["adminform"].form.errors
    assert cited_by(article) == [(1, "ref3"), (2, "ref1"), (3, "ref2")]


def test_editor_can_create_and_publish_an_article_with_references(
    admin_client, client, author, reviewer
):
    # The reference goes into the library once; its DOI is stored bare.
    added = admin_client.post(
        reverse("admin:library_reference_add"),
        {
            "authors": "Someone S",
            "title": "A paper",
            "year": "2020",
            "doi": "https://doi.org/10.1000/xyz",
            "pmid": "123",
            "_save": "1",
        },
    )
    assert added.status_code == 302, added.context["adminform"].form.errors
    reference = Reference.objects.get()
    assert (reference.doi, reference.pmid) == ("10.1000/xyz", "123")
    data = {
        "title": "A new article",
        "slug": "a-new-article",
        "summary": "A summary.",
        "body": f"Some **text** [@{reference.key}].",
        "author_profiles": [str(author.pk)],
        "autolink_terms": "on",
        "reviewer": str(reviewer.pk),
        "record_review": "on",
        "status": Status.PUBLISHED,
        "tags": "Lung, biology",
        **FIGURES,
    }
    response = admin_client.post(reverse("admin:articles_article_add"), data)
    assert response.status_code == 302, response.context["adminform"].errors
    article = Article.objects.get(slug="a-new-article")
    assert article.body_html == f"<p>Some <strong>text</strong> [@{reference.key}].</p>"
    assert article.published_at is not None
    assert article.review_current and article.reviewer == reviewer
    assert list(article.author_profiles.all()) == [author]
    assert set(article.tags.names()) == {"biology", "Lung"}
    assert cited_by(article) == [(1, reference.key)]
    page = client.get(article.get_absolute_url())
    assertContains(page, "A new article")
    assertContains(page, 'href="#ref-1"')
    assertContains(page, reference.citation)
    assertContains(page, 'href="https://doi.org/10.1000/xyz"')


def test_lead_image_needs_a_description(admin_client, author):
    from io import BytesIO

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buffer = BytesIO()
    Image.new("RGB", (4, 4), "teal").save(buffer, "PNG")
    png = buffer.getvalue()
    data = {
        "title": "With image",
        "slug": "with-image",
        "summary": "S.",
        "body": "B.",
        "author_profiles": [str(author.pk)],
        "status": Status.DRAFT,
        "lead_image": SimpleUploadedFile("lead.png", png, content_type="image/png"),
        "lead_image_alt": "",
        **FIGURES,
    }
    response = admin_client.post(reverse("admin:articles_article_add"), data)
    assert response.status_code == 200
    assert list(response.context["adminform"].form.errors) == ["lead_image_alt"]
    assertContains(response, "Describe the lead image")
    assertContains(response, 'value="With image"')
    assert not Article.objects.exists()


def test_invalid_pmid_is_explained(admin_client):
    # PubMed IDs are kept with the reference, in the library.
    data = {"authors": "C", "title": "C.", "pmid": "PMID: abc", "_save": "1"}
    response = admin_client.post(reverse("admin:library_reference_add"), data)
    assert response.status_code == 200
    assert list(response.context["adminform"].form.errors) == ["pmid"]  # the one to fix
    assertContains(response, "is not a PubMed ID: it is a number of up to nine digits")
    assert not Reference.objects.exists()
