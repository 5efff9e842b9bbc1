"""Citations and reference lists at 320, 375 and 1280 px (issue 13, item 3): a citation
group never splits across lines, cited lines are as tall as the others, links have names
a screen reader says well, DOIs and addresses wrap only at their "/" and "." and nothing
scrolls sideways.

The demo content gives real references (long DOIs and FDA addresses); an article made
here puts citation groups at every place along a line, so that at a phone's width some
group falls at a line end.
"""

import re

import pytest

pytestmark = pytest.mark.usefixtures("demo")

WIDTHS = [320, 375, 1280]
DEMO_PAGES = [
    "/articles/what-are-exosomes/",
    "/articles/exosome-therapies-evidence/",
    "/faq/are-exosome-therapies-approved/",
    "/glossary/umbilical-cord/",
    "/faq/",
]
# One paragraph per offset: a group ([2, 3], [4–6]) after 0, 1, 2 ... words, so that its
# place along the line moves by a word at a time.
SWEEP = "\n\n".join(
    "Vesicles " + "carry " * words + "cargo [2, 3] and more [4–6], then [1, 5] again [1]."
    for words in range(40)
)


def ordinal(n):
    return f"{n}{'th' if 10 <= n % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"


def expect(locator):
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(locator)


@pytest.fixture
def swept(make_article):
    return make_article(title="Citations at every place", slug="swept", body=SWEEP, references=6)


SPLIT_GROUPS = """
() => [...document.querySelectorAll(".citation")]
  .filter(group => group.getClientRects().length > 1)
  .map(group => group.textContent)
"""

UNEVEN_LINES = """
() => {
  // Each cited paragraph's line boxes, from the tops of its own text (not the citations,
  // nor text in another size): consecutive lines one line-height apart, and the paragraph
  // as tall as its lines. A citation that pushed its line apart breaks one or the other.
  const uneven = [];
  for (const p of document.querySelectorAll("main .prose p")) {
    if (!p.querySelector(".citation")) continue;
    const style = getComputedStyle(p);
    const lineHeight = parseFloat(style.lineHeight);
    const tops = new Set();
    const walker = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
      const node = walker.currentNode;
      if (node.parentElement.closest(".citation")) continue;
      if (getComputedStyle(node.parentElement).fontSize !== style.fontSize) continue;
      const range = document.createRange();
      range.selectNodeContents(node);
      for (const rect of range.getClientRects()) {
        if (rect.width > 0) tops.add(Math.round(rect.top * 4) / 4);
      }
    }
    const sorted = [...tops].sort((a, b) => a - b);
    const gaps = sorted.slice(1).map((top, i) => top - sorted[i]);
    const height = p.getBoundingClientRect().height;
    if (gaps.some(gap => Math.abs(gap - lineHeight) > 0.75)
        || Math.abs(height - sorted.length * lineHeight) > 0.75) {
      uneven.push({text: p.textContent.slice(0, 40), lineHeight, gaps, height});
    }
  }
  return uneven;
}
"""

OVERFLOW = "() => document.documentElement.scrollWidth - window.innerWidth"

# Text pieces of DOIs and addresses split by a line end: the pieces are the text between
# the <wbr> break points, so a piece on two lines is a break where none was offered.
BROKEN_PIECES = """
() => {
  const broken = [];
  let wrapped = 0;
  for (const link of document.querySelectorAll(".references .reference-link")) {
    if (link.getClientRects().length > 1) wrapped += 1;
    const right = link.getBoundingClientRect().right;
    if (right > document.documentElement.clientWidth) broken.push(["overflows", link.textContent]);
    for (const node of link.childNodes) {
      if (node.nodeType !== Node.TEXT_NODE) continue;
      const range = document.createRange();
      range.selectNodeContents(node);
      const lines = new Set([...range.getClientRects()].map(rect => Math.round(rect.top)));
      if (lines.size > 1) broken.push(["split", node.textContent]);
    }
  }
  return {broken, wrapped};
}
"""


@pytest.mark.parametrize("width", WIDTHS)
def test_citation_groups_never_split_and_lines_stay_even(page, swept, width):
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(swept.get_absolute_url())
    assert page.locator(".prose .citation").count() == 40 * 4
    assert page.evaluate(SPLIT_GROUPS) == []
    assert page.evaluate(UNEVEN_LINES) == []
    assert page.evaluate(OVERFLOW) <= 0


def test_the_checks_see_split_groups_and_uneven_lines_when_the_rules_are_gone(page, swept):
    # Guards the checks above: with the citation rules reverted to the browser's own
    # (a plain <sup>), a phone splits groups and cited lines grow taller.
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(swept.get_absolute_url())
    # Through the CSSOM: the page's CSP refuses an added <style>, rightly.
    page.evaluate(
        "() => document.querySelectorAll('.citation').forEach("
        "el => el.style.setProperty('all', 'revert'))"
    )
    assert page.evaluate(SPLIT_GROUPS) != []
    assert page.evaluate(UNEVEN_LINES) != []


@pytest.mark.parametrize("width", WIDTHS)
def test_reference_lists_fit_and_wrap_identifiers_at_their_break_points(page, width):
    page.set_viewport_size({"width": width, "height": 800})
    wrapped = 0
    for url in DEMO_PAGES:
        page.goto(url)
        page.evaluate("() => document.querySelectorAll('details').forEach(d => d.open = true)")
        assert page.evaluate(OVERFLOW) <= 0, url
        found = page.evaluate(BROKEN_PIECES)
        assert found["broken"] == [], url
        wrapped += found["wrapped"]
        assert page.evaluate(SPLIT_GROUPS) == [], url
        # The links back: a line of their own, each link whole on one line.
        for block in page.locator(".references .backrefs").all():
            item = block.locator("xpath=..")
            assert abs(block.bounding_box()["x"] - item.bounding_box()["x"]) < 1, url
            for link in block.get_by_role("link").all():
                assert link.evaluate("el => el.getClientRects().length") == 1, url
    if width < 400:
        assert wrapped, "no address wrapped on a phone: the check above checked nothing"


def test_citations_and_links_back_are_named_in_words(page):
    several = once = 0
    for url in ("/articles/what-are-exosomes/", "/articles/exosome-therapies-evidence/"):
        page.goto(url)
        assert page.locator(".prose .citation a").count(), url
        for link in page.locator(".prose .citation a").all():
            number = link.get_attribute("href").removeprefix("#ref-")
            expect(link).to_have_accessible_name(
                re.compile(rf"^(Reference {number}|References {number} to \d+)$")
            )
        for item in page.locator(".references li").all():
            number = item.get_attribute("id").removeprefix("ref-")
            links = item.locator(".backrefs").get_by_role("link")
            count = links.count()
            assert count >= 1, url
            if count == 1:
                once += 1
                expect(links).to_have_accessible_name(f"Back to citation {number} in the text")
                expect(links).to_have_text("↑ Back to citation")
            else:
                several += 1
                for place, link in enumerate(links.all(), 1):
                    expect(link).to_have_accessible_name(
                        f"Back to citation {number} in the text, {ordinal(place)} of {count}"
                    )
                    expect(link).to_have_text(ordinal(place))
    assert once and several  # references cited once and several times: both checked
    # Following a link back lands on the citation in the text, marked as the target.
    page.set_viewport_size({"width": 375, "height": 700})
    page.locator(".references li").last.locator(".backrefs a").first.click()
    target = page.evaluate("() => location.hash")
    citation = page.locator(f".prose {target}")
    expect(citation).to_be_in_viewport()
    assert citation.evaluate("el => el.matches(':target') && el.matches('.citation')")


@pytest.mark.parametrize("width", WIDTHS)
def test_cited_pages_pass_axe_at_every_width(page, axe_check, swept, width):
    page.set_viewport_size({"width": width, "height": 800})
    for url in [*DEMO_PAGES, swept.get_absolute_url()]:
        page.goto(url)
        assert axe_check(page) == [], url
