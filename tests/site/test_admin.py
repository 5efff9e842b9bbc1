import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains

from articles.models import Article
from exosite.models import Status

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
]


@pytest.mark.parametrize("name", ADMIN_PAGES)
def test_admin_pages_open(admin_client, name, make_article, make_term, make_question):
    make_article(tags=["lung"], references=2)
    make_term(tags=["lung"])
    make_question(tags=["lung"])
    assert admin_client.get(reverse(name)).status_code == 200


def test_article_change_form_has_prepopulated_slug_tags_and_ordered_references(
    admin_client, make_article
):
    article = make_article(tags=["lung", "biology"], references=3)
    response = admin_client.get(reverse("admin:articles_article_change", args=[article.pk]))
    assertContains(response, "data-prepopulated-field")
    assertContains(response, 'name="tags"')
    assertContains(response, "biology, lung")
    content = response.content.decode()
    positions = [content.index(f"10.1000/test.{n}") for n in (1, 2, 3)]
    assert positions == sorted(positions)


def test_editor_can_create_and_publish_an_article_with_references(admin_client, client):
    data = {
        "title": "A new article",
        "slug": "a-new-article",
        "summary": "A summary.",
        "body": "Some **text** [1].",
        "authors": "An Editor",
        "status": Status.PUBLISHED,
        "tags": "Lung, biology",
        "references-TOTAL_FORMS": "1",
        "references-INITIAL_FORMS": "0",
        "references-MIN_NUM_FORMS": "0",
        "references-MAX_NUM_FORMS": "1000",
        "figures-TOTAL_FORMS": "0",
        "figures-INITIAL_FORMS": "0",
        "figures-MIN_NUM_FORMS": "0",
        "figures-MAX_NUM_FORMS": "1000",
        "references-0-position": "1",
        "references-0-citation": "Someone. A paper. 2020.",
        "references-0-doi": "https://doi.org/10.1000/xyz",
        "references-0-pmid": "123",
    }
    response = admin_client.post(reverse("admin:articles_article_add"), data)
    assert response.status_code == 302, response.context["adminform"].errors
    article = Article.objects.get(slug="a-new-article")
    assert article.body_html == "<p>Some <strong>text</strong> [1].</p>"
    assert article.published_at is not None
    assert set(article.tags.names()) == {"biology", "Lung"}
    assert article.references.get().doi == "10.1000/xyz"
    assertContains(client.get(article.get_absolute_url()), "A new article")


def test_lead_image_needs_a_description(admin_client):
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
        "authors": "A",
        "status": Status.DRAFT,
        "lead_image": SimpleUploadedFile("lead.png", png, content_type="image/png"),
        "lead_image_alt": "",
        "references-TOTAL_FORMS": "0",
        "references-INITIAL_FORMS": "0",
        "references-MIN_NUM_FORMS": "0",
        "references-MAX_NUM_FORMS": "1000",
        "figures-TOTAL_FORMS": "0",
        "figures-INITIAL_FORMS": "0",
        "figures-MIN_NUM_FORMS": "0",
        "figures-MAX_NUM_FORMS": "1000",
    }
    response = admin_client.post(reverse("admin:articles_article_add"), data)
    assert response.status_code == 200
    assertContains(response, "Describe the lead image")
    assertContains(response, 'value="With image"')
    assert not Article.objects.exists()


def test_invalid_pmid_is_explained(admin_client, make_article):
    data = {
        "title": "T",
        "slug": "t",
        "summary": "S.",
        "body": "B.",
        "authors": "A",
        "status": Status.DRAFT,
        "references-TOTAL_FORMS": "1",
        "references-INITIAL_FORMS": "0",
        "references-MIN_NUM_FORMS": "0",
        "references-MAX_NUM_FORMS": "1000",
        "figures-TOTAL_FORMS": "0",
        "figures-INITIAL_FORMS": "0",
        "figures-MIN_NUM_FORMS": "0",
        "figures-MAX_NUM_FORMS": "1000",
        "references-0-position": "1",
        "references-0-citation": "C.",
        "references-0-pmid": "PMID: abc",
    }
    response = admin_client.post(reverse("admin:articles_article_add"), data)
    assert response.status_code == 200
    assertContains(response, "A PubMed ID is a number")
