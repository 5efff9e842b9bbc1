import pytest
from django.contrib.auth import get_user_model

from articles.models import Article

pytestmark = pytest.mark.usefixtures("demo")


@pytest.fixture
def editor_page(page):
    get_user_model().objects.create_superuser("editor", "editor@example.org", "a-long-passphrase")
    page.goto("/admin/login/")
    page.get_by_label("Username").fill("editor")
    page.get_by_label("Password").fill("a-long-passphrase")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/admin/")
    return page


def test_admin_works_under_the_csp(editor_page):
    # The page fixture fails the test on any console error, CSP violations included.
    article = Article.objects.get(slug="what-are-exosomes")
    editor_page.goto(f"/admin/articles/article/{article.pk}/change/")
    assert editor_page.locator("#id_title").input_value() == article.title
    assert editor_page.locator("#references-group tbody tr.has_original").count() == (
        article.references.count()
    )


def test_slug_is_prepopulated_from_the_title(editor_page):
    editor_page.goto("/admin/articles/article/add/")
    editor_page.locator("#id_title").press_sequentially("Exosomes in wound healing")
    assert editor_page.locator("#id_slug").input_value() == "exosomes-in-wound-healing"
