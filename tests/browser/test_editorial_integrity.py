"""The journeys of the editorial policy, in a real browser: an editor writes, cites a paper
by its DOI and adds it to the library, sends the article to review and is refused a publish
with the reasons; a reviewer records the review; the editor publishes. Someone who is both
editor and reviewer sees each reason next to its field and fixes them in one form. And an
override with a stated reason, visible afterwards. Each page passes axe."""

import pytest

from articles.models import Article
from exosite.models import Status
from library.models import Reference
from tests.library.conftest import MISEV_DOI
from tests.site.test_review_gate import user_in  # password: PASSWORD
from trust.models import Person

PASSWORD = "a-long-passphrase"


def expect(locator):
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(locator)


@pytest.fixture
def log_in(browser, live_server):
    """log_in(username) -> a tab of their own, signed in to the admin. Each tab's console
    errors fail the test."""
    tabs = []

    def sign_in(username):
        context = browser.new_context(
            base_url=live_server.url, viewport={"width": 1280, "height": 900}
        )
        tab = context.new_page()
        tab.console_errors = []
        tab.on("console", lambda m: tab.console_errors.append(m.text) if m.type == "error" else 0)
        tab.on("pageerror", lambda exc: tab.console_errors.append(str(exc)))
        tab.goto("/admin/login/")
        tab.get_by_label("Username").fill(username)
        tab.get_by_label("Password").fill(PASSWORD)
        tab.get_by_role("button", name="Log in").click()
        tab.wait_for_url("**/admin/")
        tabs.append(tab)
        return tab

    yield sign_in
    errors = [error for tab in tabs for error in tab.console_errors]
    for tab in tabs:
        tab.context.close()
    assert errors == [], errors


def save_and_continue(tab):
    tab.get_by_role("button", name="Save and continue editing").click()


@pytest.fixture
def people(transactional_db):
    return (
        Person.objects.create(name="Maya Writer", slug="maya-writer", credentials="PhD"),
        Person.objects.create(name="Lena Reviewer", slug="lena-reviewer", credentials="MD"),
    )


@pytest.fixture
def misev(transactional_db):
    return Reference.objects.create(
        key="welsh2024",
        doi=MISEV_DOI,
        pmid="38326288",
        authors="Welsh JA, Goberdhan DCI, O'Driscoll L, et al.",
        title="Minimal information for studies of extracellular vesicles (MISEV2023): from "
        "basic to advanced approaches",
        journal="J Extracell Vesicles",
        year=2024,
        volume="13",
        issue="2",
        pages="e12404",
    )


def test_write_cite_by_doi_add_to_library_review_and_publish(
    log_in, people, services, axe_check, choose
):
    author, lena = people
    user_in("edith", "Editors")
    user_in("rhea", "Medical reviewers")
    assert not Reference.objects.exists()

    # The editor writes, citing MISEV2023 by its DOI: the library lacks it, the preview says so.
    editor = log_in("edith")
    editor.goto("/admin/articles/article/add/")
    editor.locator("#id_title").fill("How vesicle studies are reported")
    editor.locator("#id_summary").fill("What reporting guidelines ask of a study.")
    body = editor.get_by_role("textbox", name="Body")
    body.fill(f"Studies should say how vesicles were separated [@doi:{MISEV_DOI}].")
    expect(editor.locator(".markdown-preview-warnings")).to_contain_text(MISEV_DOI)
    choose(editor, "Authors", "Maya Writer")
    assert axe_check(editor) == []

    # In another tab the editor pastes the DOI in the library, which fills in the record
    # from PubMed and Crossref; they check it and save.
    library = editor.context.new_page()
    library.goto("/admin/library/reference/add/")
    library.get_by_label("Paste a DOI, PubMed ID, BibTeX, RIS or CSL-JSON").fill(MISEV_DOI)
    library.get_by_role("button", name="Fill in the fields").click()
    expect(library.locator(".messagelist")).to_contain_text("Filled in from PubMed")
    expect(library.get_by_label("Title")).to_contain_text("MISEV2023")
    expect(library.get_by_label("Citation key")).to_have_value("welsh2024")
    assert axe_check(library) == []
    library.get_by_role("button", name="Save", exact=True).click()
    expect(library.locator(".messagelist")).to_contain_text("was added successfully")
    library.close()
    assert Reference.objects.get().doi == MISEV_DOI
    assert "/eutils/esummary.fcgi" in services.paths()

    # Back in the article, the preview numbers the reference and lists it.
    body.press_sequentially(" ")
    expect(editor.locator(".markdown-preview-body sup.citation")).to_contain_text("1")
    expect(editor.locator(".markdown-preview-references")).to_contain_text("MISEV2023")
    expect(editor.locator(".markdown-preview-warnings li")).to_have_count(0)
    editor.get_by_label("Status").select_option(label="In review")
    save_and_continue(editor)
    expect(editor.locator(".messagelist")).to_contain_text("was added successfully")
    article = Article.objects.get(slug="how-vesicle-studies-are-reported")
    assert article.status == Status.REVIEW
    assert list(article.author_profiles.all()) == [author]

    # Publishing before a review, with a citation the library lacks, is refused with both
    # reasons; nothing typed is lost and nothing is saved.
    edited = (
        "Studies should say how vesicles were separated and characterised "
        f"[@doi:{MISEV_DOI}]. Newer guidance exists [@nobody2031]."
    )
    body.fill(edited)
    editor.get_by_label("Status").select_option(label="Published")
    save_and_continue(editor)
    expect(editor.locator(".errornote")).to_be_visible()
    expect(editor.locator(".field-body .errorlist")).to_contain_text("nobody2031")
    # An editor cannot name the reviewer (a reviewer's field): the reason is at the top.
    expect(editor.locator(".errorlist.nonfield")).to_contain_text("nothing is published unreviewed")
    expect(body).to_have_value(edited)
    article.refresh_from_db()
    assert article.status == Status.REVIEW and "characterised" not in article.body
    assert axe_check(editor) == []

    # The editor takes the unknown citation out and leaves it in review.
    body.fill(
        f"Studies should say how vesicles were separated and characterised [@doi:{MISEV_DOI}]."
    )
    editor.get_by_label("Status").select_option(label="In review")
    save_and_continue(editor)
    expect(editor.locator(".messagelist")).to_contain_text("was changed successfully")

    # The reviewer records the review of this version, from the keyboard.
    reviewer = log_in("rhea")
    reviewer.goto(f"/admin/articles/article/{article.pk}/change/")
    expect(reviewer.locator(".field-review_state")).to_contain_text("Not reviewed yet")
    chooser = reviewer.get_by_role("combobox", name="Medical reviewer")
    chooser.focus()
    reviewer.keyboard.press("Enter")
    reviewer.keyboard.type("Lena")
    expect(reviewer.get_by_role("option", name="Lena Reviewer")).to_be_visible()
    assert axe_check(reviewer) == []  # with the list open: its highlight too
    reviewer.keyboard.press("Enter")
    expect(chooser).to_contain_text("Lena Reviewer")
    reviewer.get_by_label("Record a review of this version").focus()
    reviewer.keyboard.press("Space")
    expect(reviewer.get_by_label("Record a review of this version")).to_be_checked()
    save_and_continue(reviewer)
    expect(reviewer.locator(".messagelist")).to_contain_text("was changed successfully")
    expect(reviewer.locator(".field-review_state")).to_contain_text(
        "Reviewed in this version by Lena Reviewer"
    )
    assert axe_check(reviewer) == []
    article.refresh_from_db()
    assert article.review_current and article.reviewer == lena
    assert article.status == Status.REVIEW

    # The editor publishes; the page names the reviewer and numbers the reference.
    editor.goto(f"/admin/articles/article/{article.pk}/change/")
    editor.get_by_label("Status").select_option(label="Published")
    save_and_continue(editor)
    expect(editor.locator(".messagelist")).to_contain_text("was changed successfully")
    article.refresh_from_db()
    assert article.is_published
    editor.goto(article.get_absolute_url())
    expect(editor.locator(".byline")).to_contain_text("Lena Reviewer")
    expect(editor.locator(".byline")).to_contain_text("Maya Writer")
    expect(editor.locator("#ref-1")).to_contain_text("MISEV2023")
    expect(editor.locator("sup.citation a")).to_have_attribute("href", "#ref-1")
    assert axe_check(editor) == []


def test_a_refused_publish_shows_each_reason_next_to_its_field(
    log_in, people, misev, axe_check, choose
):
    author, lena = people
    # Someone who both edits and reviews: every field the gate names is theirs to fix.
    user_in("erin", "Editors", "Medical reviewers")
    article = Article.objects.create(
        title="Isolating vesicles from plasma",
        slug="isolating-vesicles-from-plasma",
        summary="Methods compared.",
        body="Compare [[article:no-such-article]] and cite [@nobody2031].",
        status=Status.DRAFT,
    )
    article.author_profiles.set([author])

    tab = log_in("erin")
    tab.goto(f"/admin/articles/article/{article.pk}/change/")
    tab.get_by_label("Status").select_option(label="Published")
    save_and_continue(tab)
    expect(tab.locator(".errornote")).to_be_visible()
    expect(tab.locator(".field-reviewer .errorlist")).to_contain_text(
        "nothing is published unreviewed"
    )
    body_errors = tab.locator(".field-body .errorlist")
    expect(body_errors).to_contain_text("no-such-article")
    expect(body_errors).to_contain_text("nobody2031")
    assert axe_check(tab) == []
    article.refresh_from_db()
    assert article.status == Status.DRAFT

    # Each fixed where it is shown: the text, then the review of this version; one save.
    tab.get_by_role("textbox", name="Body").fill(
        "Separation methods are compared in the guidelines [@welsh2024]."
    )
    choose(tab, "Medical reviewer", "Lena Reviewer")
    tab.get_by_label("Record a review of this version").check()
    save_and_continue(tab)
    expect(tab.locator(".messagelist")).to_contain_text("was changed successfully")
    expect(tab.locator(".field-review_state")).to_contain_text("Reviewed in this version")
    article.refresh_from_db()
    assert article.is_published and article.review_current and article.reviewer == lena
    tab.goto(article.get_absolute_url())
    expect(tab.locator("#ref-1")).to_contain_text("MISEV2023")


def test_an_override_with_a_stated_reason(log_in, people, axe_check):
    author, _ = people
    user_in("olga", "Editors", permissions=["publish_unreviewed_article"])
    article = Article.objects.create(
        title="Warning about an unlicensed clinic",
        slug="warning-unlicensed-clinic",
        summary="A safety notice.",
        body="A clinic is offering unapproved injections.",
        status=Status.DRAFT,
    )
    article.author_profiles.set([author])

    tab = log_in("olga")
    tab.goto(f"/admin/articles/article/{article.pk}/change/")
    tab.get_by_label("Status").select_option(label="Published")
    tab.get_by_label("Publish without a current review").check()
    save_and_continue(tab)
    expect(tab.locator(".field-unreviewed_reason_text .errorlist")).to_contain_text(
        "Say why this is published before a review"
    )
    assert axe_check(tab) == []
    article.refresh_from_db()
    assert article.status == Status.DRAFT
    reason = "Urgent safety notice; the medical review is booked for Monday."
    tab.get_by_label("Publish without a current review").check()
    tab.get_by_label("Why it is published without review").fill(reason)
    save_and_continue(tab)
    expect(tab.locator(".messagelist")).to_contain_text("was changed successfully")
    expect(tab.locator(".field-review_state")).to_contain_text(
        f"Not reviewed yet. Published without review because: {reason}"
    )
    assert axe_check(tab) == []
    article.refresh_from_db()
    assert article.is_published and article.unreviewed_reason == reason
    # The history keeps who published it unreviewed, and why.
    tab.goto(f"/admin/articles/article/{article.pk}/history/")
    latest = tab.locator("#change-history tbody tr").first
    expect(latest).to_contain_text("olga")
    expect(latest).to_contain_text(f"Published without a current review: {reason}")
    assert axe_check(tab) == []
    tab.goto(article.get_absolute_url())
    expect(tab.locator(".byline")).to_contain_text("Not yet reviewed")
    assert axe_check(tab) == []
