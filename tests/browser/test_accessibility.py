import pytest
from taggit.models import Tag

from articles.models import Article
from faq.models import Question
from glossary.models import Term

pytestmark = pytest.mark.usefixtures("demo")


def public_pages():
    """One URL of each public page type, from the demo content."""
    return {
        "home": "/",
        "article list": "/articles/",
        "article list by tag": f"/articles/?tag={Tag.objects.order_by('name').first().slug}",
        "article": Article.objects.published().first().get_absolute_url(),
        "glossary": "/glossary/",
        "term": Term.objects.published().filter(related__isnull=False).first().get_absolute_url(),
        "faq": "/faq/",
        "question": Question.objects.published().first().get_absolute_url(),
        "tags": "/tags/",
        "tag": f"/tags/{Tag.objects.order_by('name').first().slug}/",
        "not found": "/no-such-page/",
        "ask": "/faq/ask/",
        "people": "/people/",
        "person": "/people/daniel-reyes/",
        "policy page": "/pages/editorial-policy/",
        "report a problem": "/feedback/problem/?page=/faq/",
        "ask thanks": "/faq/ask/thanks/",
    }


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_public_page_type_passes_axe(page, axe_check, scheme):
    page.emulate_media(color_scheme=scheme)
    failures = {}
    for name, url in public_pages().items():
        page.goto(url)
        violations = axe_check(page)
        if violations:
            failures[name] = violations
    assert failures == {}


def test_faq_page_with_answers_open_passes_axe(page, axe_check):
    page.goto("/faq/")
    for summary in page.locator("details.faq-item summary").all()[:5]:
        summary.click()
    assert axe_check(page) == []


def test_the_axe_harness_reports_real_violations(page, axe_check):
    # Guards the harness itself: a page with known faults must not pass.
    page.set_content('<html><body><img src="data:,"><a href="/x"></a></body></html>')
    found = {violation["id"] for violation in axe_check(page)}
    assert {"image-alt", "html-has-lang", "link-name"} <= found
