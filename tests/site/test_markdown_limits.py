"""Bounded work for any Markdown: linear link patterns, size and nesting limits, a time
budget, and the editor told why (issue 18). Timings are in bench/render.py; these tests
check outcomes."""

import threading

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains

from articles.models import Article
from exosite.kernel import markdown
from exosite.kernel.markdown import MarkdownLimitError, render_markdown
from exosite.models import Status
from tests.conftest import library_reference
from trust.models import Person

pytestmark = pytest.mark.django_db

BRACKET_RUNS = ["[[", "[", "![", "[a", "[a](", '[a]("']


# Large enough to take minutes before (54 s for 8,000 characters of "[["), small enough
# to stay well inside the time budget on a busy machine; bench/render.py goes to the limit.
SIZE = 20_000


def run_of(unit, size=SIZE):
    return (unit * (size // len(unit) + 1))[:size]


@pytest.mark.parametrize("unit", BRACKET_RUNS)
def test_bracket_runs_render_within_the_budget_and_keep_the_text(unit):
    html = render_markdown.__wrapped__(run_of(unit))
    assert html.startswith("<p>")
    assert html.count("[") == run_of(unit).count("[")  # every bracket kept as text


def test_deeply_nested_balanced_brackets_render():
    source = "[" * (SIZE // 2) + "x" + "]" * (SIZE // 2)
    assert render_markdown.__wrapped__(source) == f"<p>{source}</p>"


def test_links_still_render_as_before():
    html = render_markdown(
        '[plain](https://example.org/a_(b)) [titled](https://example.org/t "A title") '
        "![pic](/media/x.png 'Alt title') [ref][r] [r] [[not a link]]\n\n"
        "[r]: https://example.org/ref"
    )
    assert '<a href="https://example.org/a_(b)">plain</a>' in html
    assert '<a href="https://example.org/t" title="A title">titled</a>' in html
    assert '<img alt="pic" src="/media/x.png" title="Alt title">' in html
    assert html.count('href="https://example.org/ref"') == 2
    assert "[[not a link]]" in html


def test_an_unclosed_link_title_keeps_the_rest_of_the_text():
    # Before: the rest of the paragraph became the link's address and was lost.
    html = render_markdown('Start [a]("x ( y and more text here.')
    assert "and more text here." in html
    assert "<a " not in html


def test_text_over_the_size_limit_is_refused_with_a_message():
    with pytest.raises(MarkdownLimitError, match="at most 100,000"):
        render_markdown("a" * (markdown.MAX_MARKDOWN_CHARS + 1))


def test_lists_nested_too_deeply_are_refused_not_a_crash():
    # Before: RecursionError (a 500) from 300 nested lists.
    source = "\n".join("\t" * depth + "- item" for depth in range(300))
    with pytest.raises(MarkdownLimitError, match="nested too deeply"):
        render_markdown(source)


def test_nesting_up_to_the_limit_renders():
    source = "\n".join(" " * (4 * depth) + "- item" for depth in range(markdown.MAX_NESTING))
    source += "\n\n" + "> " * markdown.MAX_NESTING + "quoted"
    html = render_markdown(source)
    assert html.count("<ul>") == markdown.MAX_NESTING
    assert html.count("<blockquote>") == markdown.MAX_NESTING


def test_a_render_over_its_time_budget_is_ended_in_any_thread(monkeypatch):
    monkeypatch.setattr(markdown, "RENDER_SECONDS", -1.0)
    errors = []

    def render():
        try:
            render_markdown("Some *text* with a [link](https://example.org) in a thread.")
        except MarkdownLimitError as error:
            errors.append(str(error))

    worker = threading.Thread(target=render)
    worker.start()
    worker.join()
    assert errors and "took more than" in errors[0]
    monkeypatch.undo()
    assert render_markdown("The budget is *per render*.") == (
        "<p>The budget is <em>per render</em>.</p>"
    )


def test_saving_outside_the_admin_is_refused_with_the_same_message(make_article):
    article = make_article(body="Short.")
    article.body = "a" * (markdown.MAX_MARKDOWN_CHARS + 1)
    with pytest.raises(MarkdownLimitError, match="at most 100,000"):
        article.save()


@pytest.fixture
def article_form(db):
    """A draft article's add form, complete but for its body."""
    author = Person.objects.create(name="An Editor", slug="an-editor")
    return {
        "title": "A long one",
        "slug": "a-long-one",
        "summary": "A summary.",
        "author_profiles": [str(author.pk)],
        "status": "draft",
        "tags": "",
        "figures-TOTAL_FORMS": "0",
        "figures-INITIAL_FORMS": "0",
        "figures-MIN_NUM_FORMS": "0",
        "figures-MAX_NUM_FORMS": "1000",
    }


def test_the_admin_shows_the_limit_next_to_the_field_and_keeps_the_text(admin_client, article_form):
    body = "Kept text. " + "a" * markdown.MAX_MARKDOWN_CHARS
    response = admin_client.post(
        reverse("admin:articles_article_add"), {**article_form, "body": body}
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert list(errors) == ["body"]
    assert "at most 100,000" in errors["body"][0]
    assertContains(response, "Kept text. aaaa")
    assert not Article.objects.exists()


def test_the_admin_refuses_deep_nesting_next_to_the_field(admin_client, article_form):
    body = "\n".join("\t" * depth + "- item" for depth in range(300))
    response = admin_client.post(
        reverse("admin:articles_article_add"), {**article_form, "body": body}
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert list(errors) == ["body"]
    assert "nested too deeply" in errors["body"][0]
    assert not Article.objects.exists()


def test_the_same_form_with_a_plain_body_saves(admin_client, article_form):
    # The two refusals above are the body's alone.
    response = admin_client.post(
        reverse("admin:articles_article_add"), {**article_form, "body": "Plain."}
    )
    assert response.status_code == 302
    assert Article.objects.get().body == "Plain."


def test_live_preview_tells_the_editor_about_the_limit(admin_client):
    response = admin_client.post(
        reverse("admin:articles_article_markdown_preview"),
        {"text": "[[" * markdown.MAX_MARKDOWN_CHARS},
    )
    assert response.status_code == 200
    data = response.json()
    assert data["html"] == ""
    assert "at most 100,000" in data["warnings"][0]


def test_live_preview_of_a_bracket_run_answers(admin_client):
    response = admin_client.post(
        reverse("admin:articles_article_markdown_preview"), {"text": run_of("[[")}
    )
    assert response.status_code == 200
    assert response.json()["html"].startswith("<p>[[[[")


@pytest.mark.parametrize(
    ("odd", "a_citation"),
    [
        ("@pmid:²", False),
        ("@pmid:١", True),  # a digit to Python's \d, so read as a citation; no PubMed ID
        ("@pmid:𝟙", True),
        ("@pmid:-1", False),
        ("@pmid:1.5", False),
        ("@pmid:99999999999999999999", False),
        ("@doi:10.5555/test.²", True),
        ("@١", False),
        ("²", False),
        ("١", True),  # read as a numbered citation
        ("99999999999999999999", False),
    ],
)
def test_live_preview_survives_citations_that_name_nothing_plainly(admin_client, odd, a_citation):
    # The preview once read reference numbers from the form's reference rows ("²".isdigit()
    # is true and int("²") raised: a 500). Now it gets only the text, which cites by key:
    # odd keys and numbers stay as written, and the real citation beside them still links.
    library_reference(1)
    response = admin_client.post(
        reverse("admin:articles_article_markdown_preview"),
        {"text": f"A claim [@ref1], another [{odd}] and [@ref1; {odd}]."},
    )
    assert response.status_code == 200
    data = response.json()
    assert data["html"].count('href="#ref-1"') == 1
    assert f"[{odd}]" in data["html"]
    assert 'href="#ref-2"' not in data["html"]
    assert len(data["references"]) == 1 and data["references"][0].endswith("[@ref1]")
    if a_citation:
        assert any(odd in warning for warning in data["warnings"]), data["warnings"]


def test_deeply_indented_code_is_not_taken_for_nesting():
    lines = "\n".join(" " * (4 * depth) + f"level_{depth}: x" for depth in range(40))
    html = render_markdown(f"Config:\n\n```yaml\n{lines}\n```\n")
    assert "level_39" in html


DEEP = "\n".join("    " * depth + "- item" for depth in range(40))


def store_over_the_limits(article):
    """Put text over the limits in `article`, as code or an old import would (no save),
    reviewed as it is: the limits are the only thing wrong with it."""
    article.body = DEEP
    Article.objects.filter(pk=article.pk).update(
        body=DEEP, reviewed_fingerprint=article.content_fingerprint()
    )


def test_a_bulk_publish_skips_an_item_over_the_limits_and_says_so(
    admin_client, make_article, reviewer
):
    over = make_article(title="Too deep", status=Status.DRAFT)
    fine = make_article(title="Fine", status=Status.DRAFT)
    for article in (over, fine):
        article.record_review(reviewer)
        article.save()
    store_over_the_limits(over)
    response = admin_client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "publish", "_selected_action": [over.pk, fine.pk]},
        follow=True,
    )
    assert response.status_code == 200
    messages = [str(m) for m in response.context["messages"]]
    refused = [m for m in messages if m.startswith("“Too deep” was not published")]
    assert len(refused) == 1, messages
    assert "nested too deeply" in refused[0] and "reviewer" not in refused[0]
    assert any(m.startswith("1 published") for m in messages)
    assert Article.objects.get(pk=fine.pk).status == Status.PUBLISHED
    assert Article.objects.get(pk=over.pk).status == Status.DRAFT


def test_a_bulk_action_that_saves_skips_an_item_over_the_limits_and_says_so(
    admin_client, make_article
):
    over = make_article(title="Too deep")
    fine = make_article(title="Fine")
    store_over_the_limits(over)
    response = admin_client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "unpublish", "_selected_action": [over.pk, fine.pk]},
        follow=True,
    )
    assert response.status_code == 200
    messages = [str(m) for m in response.context["messages"]]
    assert any("“Too deep” was not changed" in m for m in messages), messages
    assert any(m.startswith("1 unpublished") for m in messages)
    assert Article.objects.get(pk=fine.pk).status == Status.DRAFT
    assert Article.objects.get(pk=over.pk).status == Status.PUBLISHED
