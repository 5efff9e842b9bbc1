"""The insight dashboard in the browser (issue 16): an Editor reaches it from the admin
index, moves through it with the keyboard (the period, the contents, a search that found
nothing turned into a glossary term), and it passes axe at 1280 and 375 px, the charts
named and their tables beside them; so does the "add as an alias" form."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, User
from django.utils import timezone

from articles.models import Article
from exosite.insight.models import ItemDay, SearchDay
from exosite.models import Status
from glossary.models import Term
from trust.models import Feedback

from .conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def editor(transactional_db):
    user = User.objects.create_user("edna", password="a-long-passphrase", is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    today = timezone.localdate()
    for n in range(4):
        article = Article.objects.create(
            title=f"Exosomes and wound healing, part {n + 1}",
            slug=f"wound-healing-{n + 1}",
            summary="A summary.",
            body="Exosomes carry proteins between cells.",
            status=Status.PUBLISHED,
        )
        for days_ago in range(0, 40, 3):
            ItemDay.objects.create(
                day=today - timedelta(days=days_ago),
                kind="article",
                object_id=article.pk,
                language="en",
                views=10 * (n + 1) + days_ago,
            )
        for kind in ("helpful", "not-helpful", "not-helpful", "problem"):
            Feedback.objects.create(kind=kind, page=article.get_absolute_url(), client="x")
    Term.objects.create(
        name="Zebrafish",
        slug="zebrafish",
        short_definition="A small fish used in research.",
        definition="A small fish.",
    )
    SearchDay.objects.create(
        day=today, query="zebrafish lanterns", language="en", searches=6, empty=6, results=0
    )
    SearchDay.objects.create(day=today, query="vesicle", language="en", searches=9, results=12)
    return user


def focus_by_tab(tab, text, presses=150):
    """Press Tab until a link whose text contains `text` has the focus; return its text."""
    for _ in range(presses):
        tab.keyboard.press("Tab")
        focused = tab.evaluate(
            "document.activeElement && document.activeElement.tagName === 'A'"
            " ? document.activeElement.textContent : ''"
        )
        if text in focused:
            return focused
    raise AssertionError(f"{text!r} never got the keyboard focus")


def test_the_dashboard_by_keyboard(page, editor):
    log_in(page, "edna")
    focus_by_tab(page, "What visitors read, search for and cannot find")
    page.keyboard.press("Enter")
    page.wait_for_url("**/admin/insight/dashboard/")
    assert page.get_by_role("heading", name="Most read", exact=True).is_visible()
    # The period, by keyboard.
    focus_by_tab(page, "Last 7 days")
    page.keyboard.press("Enter")
    page.wait_for_url("**/admin/insight/dashboard/?days=7")
    assert page.get_by_role("link", name="Last 7 days").get_attribute("aria-current") == "page"
    # The contents lead to each part.
    focus_by_tab(page, "Searches with no results")
    page.keyboard.press("Enter")
    page.wait_for_url("**#no-results")
    # Each chart is an image with a name; its figures are in the table under it.
    chart = page.locator("#chart-most-read")
    assert chart.get_attribute("role") == "img"
    assert "Most read items" in page.locator("#chart-most-read-title").text_content()
    table = page.locator("#most-read-table")
    assert table.locator("tbody tr").count() == 4
    # A search that found nothing becomes a draft glossary term, by keyboard.
    focus_by_tab(page, "Create a glossary term")
    page.keyboard.press("Enter")
    page.wait_for_url("**/admin/glossary/term/add/**")
    assert page.locator("#id_name").input_value() == "Zebrafish lanterns"


def test_the_dashboard_passes_axe(page, editor, axe_check):
    log_in(page, "edna")
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto("/admin/insight/dashboard/?days=30")
        assert axe_check(page) == [], width
        page.goto("/admin/insight/dashboard/alias/?query=zebrafish+lanterns&language=en")
        assert axe_check(page) == [], width


def test_an_alias_from_the_dashboard(page, editor):
    log_in(page, "edna")
    page.goto("/admin/insight/dashboard/")
    page.locator("#no-results").get_by_role("link", name="Add as an alias of a term").click()
    page.get_by_label("Zebrafish", exact=True).check()
    page.get_by_role("button", name="Add the alias").click()
    page.wait_for_url("**/admin/insight/dashboard/")
    assert "is now an alias of" in page.locator(".messagelist").text_content()
    assert Term.objects.get(slug="zebrafish").alias_list == ["zebrafish lanterns"]


def test_csv_downloads(page, editor):
    log_in(page, "edna")
    page.goto("/admin/insight/dashboard/")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download “Most read” as CSV").click()
    path = download.value.path()
    text = path.read_text(encoding="utf-8")
    assert text.splitlines()[0].startswith("Item,Kind,Language")
    assert "Exosomes and wound healing, part 4" in text


def test_a_recommended_suggestion_chosen_by_keyboard_is_counted(page, editor):
    from exosite.insight.counting import counters
    from exosite.insight.models import Promotion

    article = Article.objects.get(slug="wound-healing-2")
    Promotion.objects.create(query="zebrafish", kind="article", object_id=article.pk)
    counters.flush()
    ItemDay.objects.all().delete()
    # Headless Chromium says so in its user agent, and is not counted: a person's browser.
    page.context.set_extra_http_headers(
        {"User-Agent": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/131.0"}
    )
    page.goto("/glossary/")
    box = page.locator("#header-q")
    box.press_sequentially("zebrafish")
    first = page.get_by_role("option").first
    first.wait_for()
    assert "Recommended" in first.text_content()
    assert "Exosomes and wound healing, part 2" in first.text_content()
    box.press("ArrowDown")
    box.press("Enter")
    page.wait_for_url("**/articles/wound-healing-2/")
    page.wait_for_load_state("networkidle")
    counters.flush()  # the live server runs in this process
    row = ItemDay.objects.get(object_id=article.pk)
    assert (row.views, row.picks) == (1, 1)
