"""An editor at work in the admin, in a real browser."""

from io import BytesIO

import pytest
from django.contrib.auth import get_user_model
from PIL import Image

from articles.models import Article
from exosite.models import ShareLink, Status

pytestmark = pytest.mark.usefixtures("demo")


def expect(locator):
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(locator)


def log_in(context, username):
    tab = context.new_page()
    tab.goto("/admin/login/")
    tab.get_by_label("Username").fill(username)
    tab.get_by_label("Password").fill("a-long-passphrase")
    tab.get_by_role("button", name="Log in").click()
    tab.wait_for_url("**/admin/")
    return tab


def in_review(slug):
    """A demo article taken back to review, where its text may change: a live article's
    text changes only with a new review (tests/site/test_review_gate.py)."""
    article = Article.objects.get(slug=slug)
    article.status = Status.REVIEW
    article.save()
    return article


@pytest.fixture
def editor(browser, live_server):
    get_user_model().objects.create_superuser("editor", "e@example.org", "a-long-passphrase")
    context = browser.new_context(base_url=live_server.url)
    errors = []
    tab = log_in(context, "editor")
    tab.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    yield tab
    context.close()
    assert errors == [], errors


def test_draft_with_a_figure_preview_share_publish(
    editor, browser, live_server, tmp_path, axe_check, choose
):
    # Draft an article with a figure, citing a paper the library does not have yet.
    editor.goto("/admin/articles/article/add/")
    editor.locator("#id_title").press_sequentially("Exosomes and wound healing")
    editor.locator("#id_summary").fill("What animal studies suggest about skin repair.")
    body = "Early studies in mice [@mouse2020].\n\n[[figure:wound]]\n\nMore work is needed."
    editor.locator("#id_body").fill(body)
    expect(editor.locator(".markdown-preview-body")).to_contain_text("Early studies in mice")
    expect(editor.locator(".markdown-preview-warnings")).to_contain_text("mouse2020")
    choose(editor, "Authors", "Maya Okafor")
    # The editor adds the paper to the library in another tab; the preview then finds it.
    library = editor.context.new_page()
    library.goto("/admin/library/reference/add/")
    library.get_by_label("Citation key").fill("mouse2020")
    library.get_by_label("Authors").fill("Doe J, Roe R")
    library.get_by_label("Title").fill("A study of wound healing in mice")
    library.get_by_label("Journal or publisher").fill("Wound Repair Regen")
    library.get_by_label("Year").fill("2020")
    library.get_by_label("DOI:", exact=True).fill("10.1000/wound.2020.17")
    library.get_by_role("button", name="Save", exact=True).click()
    expect(library.locator(".messagelist")).to_contain_text("was added successfully")
    library.close()
    editor.locator("#id_body").press_sequentially(" ")
    expect(editor.locator(".markdown-preview-warnings")).not_to_contain_text("mouse2020")
    expect(editor.locator(".markdown-preview-references")).to_contain_text(
        "A study of wound healing in mice"
    )
    assert axe_check(editor) == []
    editor.get_by_role("button", name="Add another Figure").click()
    image = tmp_path / "wound.png"
    buffer = BytesIO()
    Image.new("RGB", (1200, 800), "teal").save(buffer, "PNG")
    image.write_bytes(buffer.getvalue())
    editor.locator("#id_figures-0-key").fill("wound")
    editor.locator("#id_figures-0-image").set_input_files(str(image))
    editor.locator("#id_figures-0-alt").fill("A healing wound under the microscope")
    editor.locator("#id_figures-0-caption").fill("Skin closing over a wound")
    editor.get_by_role("button", name="Save and continue editing").click()
    expect(editor.locator(".messagelist")).to_contain_text("was added successfully")
    article = Article.objects.get(slug="exosomes-and-wound-healing")
    assert article.status == "draft"
    assert [person.name for person in article.author_profiles.all()] == ["Maya Okafor"]
    # Preview the unsaved change in a new tab: exactly the public page, marked.
    editor.locator("#id_title").fill("Exosomes and wound healing: early evidence")
    with editor.context.expect_page() as new_tab:
        editor.get_by_role("button", name="Preview unsaved changes").click()
    preview = new_tab.value
    preview.wait_for_load_state()
    expect(preview.locator("h1")).to_have_text("Exosomes and wound healing: early evidence")
    expect(preview.locator(".preview-banner")).to_be_visible()
    expect(preview.locator("figure.figure img")).to_have_attribute(
        "alt", "A healing wound under the microscope"
    )
    expect(preview.locator("sup.citation a")).to_have_attribute("href", "#ref-1")
    assert axe_check(preview) == []
    preview.close()
    article.refresh_from_db()
    assert article.title == "Exosomes and wound healing"
    # Share it with a reviewer who has no account.
    with editor.context.expect_page() as share_tab:
        editor.get_by_role("button", name="Make a preview link for a reviewer").click()
    share_page = share_tab.value
    share_page.wait_for_load_state()
    link = share_page.get_by_label("Preview link").input_value()
    share_page.close()
    # The unsaved title is still in the form: nothing typed was lost.
    expect(editor.locator("#id_title")).to_have_value("Exosomes and wound healing: early evidence")
    assert ShareLink.objects.count() == 1
    reviewer = browser.new_context(base_url=live_server.url).new_page()
    reviewer.goto(link)
    expect(reviewer.locator(".preview-banner")).to_contain_text("shared with you for review")
    assert axe_check(reviewer) == []
    reviewer.context.close()
    # Publish: the editor, a medical reviewer too, records the review of this version
    # (unsaved title included) and publishes in the same save; visitors can read it.
    choose(editor, "Medical reviewer", "Lena Hartmann")
    editor.get_by_label("Record a review of this version").check()
    editor.locator("#id_status").select_option("published")
    editor.get_by_role("button", name="Save", exact=True).click()
    expect(editor.locator(".messagelist")).to_contain_text("was changed successfully")
    article.refresh_from_db()
    assert article.is_published and article.review_current
    visitor = browser.new_context(base_url=live_server.url).new_page()
    visitor.goto(article.get_absolute_url())
    expect(visitor.locator("h1")).to_have_text("Exosomes and wound healing: early evidence")
    expect(visitor.locator("figure.figure img")).to_have_attribute("loading", "lazy")
    expect(visitor.locator(".byline")).to_contain_text("Lena Hartmann")
    expect(visitor.locator("#ref-1")).to_contain_text("A study of wound healing in mice")
    assert axe_check(visitor) == []
    visitor.context.close()


def test_two_editors_saving_the_same_article(browser, live_server):
    user = get_user_model()
    user.objects.create_superuser("alice", "a@example.org", "a-long-passphrase")
    user.objects.create_superuser("bob", "b@example.org", "a-long-passphrase")
    article = in_review("what-are-exosomes")
    url = f"/admin/articles/article/{article.pk}/change/"
    alice_context = browser.new_context(base_url=live_server.url)
    bob_context = browser.new_context(base_url=live_server.url)
    alice, bob = log_in(alice_context, "alice"), log_in(bob_context, "bob")
    alice.goto(url)
    bob.goto(url)
    alice.locator("#id_summary").fill("Alice's new summary.")
    alice.get_by_role("button", name="Save and continue editing").click()
    expect(alice.locator(".messagelist")).to_contain_text("was changed successfully")
    bob.locator("#id_summary").fill("Bob's summary, written at the same time.")
    bob.get_by_role("button", name="Save and continue editing").click()
    expect(bob.locator(".errorlist.nonfield")).to_contain_text(
        "Someone saved this article after you opened it"
    )
    expect(bob.locator("#id_summary")).to_have_value("Bob's summary, written at the same time.")
    expect(bob.get_by_role("link", name="the newer version")).to_be_visible()
    article.refresh_from_db()
    assert article.summary == "Alice's new summary."
    # The same editor in two tabs is protected too.
    second_tab = alice_context.new_page()
    second_tab.goto(url)
    alice.locator("#id_summary").fill("Alice again, first tab.")
    alice.get_by_role("button", name="Save and continue editing").click()
    second_tab.locator("#id_summary").fill("Alice, second tab.")
    second_tab.get_by_role("button", name="Save and continue editing").click()
    expect(second_tab.locator(".errorlist.nonfield")).to_be_visible()
    article.refresh_from_db()
    assert article.summary == "Alice again, first tab."
    alice_context.close()
    bob_context.close()


def test_compare_and_restore_a_revision(editor):
    article = in_review("what-are-exosomes")
    original_title = article.title
    editor.goto(f"/admin/articles/article/{article.pk}/change/")
    editor.locator("#id_title").fill("A title that was a mistake")
    editor.get_by_role("button", name="Save and continue editing").click()
    editor.goto(f"/admin/articles/article/{article.pk}/history/")
    editor.get_by_role("button", name="Compare the two chosen revisions").click()
    expect(editor.locator(".compare")).to_contain_text("A title that was a mistake")
    editor.get_by_role("link", name="View or restore the older revision").click()
    expect(editor.locator("#id_title")).to_have_value(original_title)
    editor.get_by_role("button", name="Revert").first.click()
    article.refresh_from_db()
    assert article.title == original_title
    assert article.history.count() >= 3
