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


MEASURE_SCRIPT = """
() => {
  // Characters per line of each paragraph, list item and definition with text: its width
  // over its own font's average character width (canvas measureText of its text).
  const canvas = document.createElement("canvas").getContext("2d");
  const widest = [];
  for (const el of document.querySelectorAll("main p, main li, main dd")) {
    const text = el.textContent.replace(/\\s+/g, " ").trim();
    if (text.length < 120) continue;  // only text long enough to wrap
    const style = getComputedStyle(el);
    canvas.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
    const average = canvas.measureText(text).width / text.length;
    widest.push([Math.round(el.clientWidth / average), text.slice(0, 40)]);
  }
  return widest.sort((a, b) => b[0] - a[0]).slice(0, 3);
}
"""


@pytest.mark.parametrize("width", [375, 1280])
def test_running_text_keeps_a_readable_measure(page, width):
    """At most 75 characters a line (issue 13): article prose, glossary definitions, FAQ
    answers and the lead paragraphs, on a phone and a wide screen."""
    page.set_viewport_size({"width": width, "height": 900})
    pages = public_pages()
    for name in ("article", "glossary", "faq", "term", "home"):
        page.goto(pages[name])
        page.evaluate("() => document.querySelectorAll('details').forEach(d => d.open = true)")
        widest = page.evaluate(MEASURE_SCRIPT)
        assert widest, name
        assert widest[0][0] <= 75, (name, widest)


def test_one_named_search_on_every_page(page):
    """One search landmark a page, named: the home and search pages have their own search
    box, so the header's is left out there."""
    pages = {**public_pages(), "search": "/search/?q=exosome"}
    for name, url in pages.items():
        page.goto(url)
        landmarks = page.get_by_role("search")
        assert landmarks.count() == 1, name
        assert landmarks.get_attribute("aria-label") == "Site search", name


def test_the_consent_box_comes_before_its_label_and_is_big_enough(page):
    page.goto("/faq/ask/")
    box = page.get_by_role("checkbox")
    label = page.locator(f"label[for='{box.get_attribute('id')}']")
    box_area, label_area = box.bounding_box(), label.bounding_box()
    assert box_area["x"] < label_area["x"]
    assert box_area["width"] >= 24 and box_area["height"] >= 24
    assert box.evaluate("el => el.compareDocumentPosition(el.nextElementSibling) & 4") == 4
    assert box.evaluate("el => el.nextElementSibling.tagName") == "LABEL"
