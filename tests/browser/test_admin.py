import pytest
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType

from articles.models import Article
from library.models import Citation

from .conftest import log_in

pytestmark = pytest.mark.usefixtures("demo")


def expect(locator):
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(locator)


@pytest.fixture
def editor_page(page):
    get_user_model().objects.create_superuser("editor", "editor@example.org", "a-long-passphrase")
    return log_in(page, "editor")


def test_admin_works_under_the_csp(editor_page):
    # The page fixture fails the test on any console error, CSP violations included; the
    # scripts loaded as files (live preview, autocomplete and its labels) all run.
    article = Article.objects.get(slug="what-are-exosomes")
    cited = Citation.objects.filter(
        content_type=ContentType.objects.get_for_model(Article), object_id=article.pk
    )
    editor_page.goto(f"/admin/articles/article/{article.pk}/change/")
    assert editor_page.locator("#id_title").input_value() == article.title
    # The live preview lists the library references the body cites, in citation order.
    references = editor_page.locator(".markdown-preview-references li")
    assert cited.count() > 1
    expect(references).to_have_count(cited.count())
    first = cited.select_related("reference").get(position=1).reference
    expect(references.first).to_contain_text(f"[@{first.key}]")
    expect(editor_page.get_by_role("searchbox", name="Search Authors")).to_be_attached()


def test_slug_is_prepopulated_from_the_title(editor_page):
    editor_page.goto("/admin/articles/article/add/")
    editor_page.locator("#id_title").press_sequentially("Exosomes in wound healing")
    assert editor_page.locator("#id_slug").input_value() == "exosomes-in-wound-healing"
