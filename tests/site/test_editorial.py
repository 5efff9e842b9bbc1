"""The editorial workflow: publishing, previews, share links, revisions, conflicts,
slug redirects, medical review, images and the content-health panel."""

from datetime import date, timedelta
from io import BytesIO

import pytest
from django.contrib.auth.models import Group, User
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from articles.models import Article, Figure
from exosite.kernel.preview import share_token
from exosite.models import ShareLink, Status
from library.models import Citation
from tests.conftest import library_reference
from tests.site.test_review_gate import form_data

pytestmark = pytest.mark.django_db


def change_url(obj):
    return reverse("admin:articles_article_change", args=[obj.pk])


def article_form(client, article, **changes):
    """The article's change form as `client` is shown it now, with `changes`."""
    return form_data(client, change_url(article), **changes)


@pytest.fixture
def make_reviewed(make_article, reviewer):
    """A published article whose current version Rita Reviewer has reviewed, as every
    published article is (exosite.kernel.review)."""

    def factory(**fields):
        # Created with its reviewer and review date: the review is of this first version
        # (one save, one revision).
        article = make_article(reviewer=reviewer, reviewed_at=timezone.localdate(), **fields)
        assert article.review_current
        return article

    return factory


def member(name, group):
    user = User.objects.create_user(name, password="a-long-passphrase", is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    return user


def png(width=8, height=6, color="teal"):
    buffer = BytesIO()
    Image.new("RGB", (width, height), color).save(buffer, "PNG")
    return buffer.getvalue()


# States and scheduling -----------------------------------------------------------------


def test_publish_unpublish_and_review_actions(admin_client, make_article, reviewer):
    draft = make_article(status=Status.DRAFT)
    url = reverse("admin:articles_article_changelist")
    admin_client.post(url, {"action": "send_for_review", "_selected_action": [draft.pk]})
    draft.refresh_from_db()
    assert draft.status == Status.REVIEW
    awaiting = admin_client.get(url, {"status__exact": "review"}).context["cl"].result_list
    assert list(awaiting) == [draft]
    draft.record_review(reviewer)  # the gate needs a review of this version
    draft.save()
    admin_client.post(url, {"action": "publish", "_selected_action": [draft.pk]})
    draft.refresh_from_db()
    assert draft.is_published
    admin_client.post(url, {"action": "unpublish", "_selected_action": [draft.pk]})
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


def test_publishing_needs_the_publish_permission(client, make_article, reviewer):
    writer = User.objects.create_user("writer", password="pw-long-enough", is_staff=True)
    editors = Group.objects.get(name="Editors")
    writer.user_permissions.set(editors.permissions.exclude(codename__startswith="publish_"))
    client.force_login(writer)
    draft = make_article(status=Status.DRAFT)
    draft.record_review(reviewer)  # reviewed: only the permission is missing
    draft.save()
    url = reverse("admin:articles_article_changelist")
    actions = client.get(url).context["action_form"].fields["action"].choices
    assert "publish" not in [name for name, _ in actions]
    client.post(url, {"action": "publish", "_selected_action": [draft.pk]})
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT
    response = client.post(change_url(draft), article_form(client, draft, status=Status.PUBLISHED))
    assert response.status_code == 200
    assertContains(response, "You may not publish this yourself")
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT
    assert (
        client.post(
            change_url(draft), article_form(client, draft, status=Status.REVIEW)
        ).status_code
        == 302
    )
    draft.refresh_from_db()
    assert draft.status == Status.REVIEW


def test_scheduled_item_goes_live_at_its_time_everywhere(client, make_article, make_term):
    article = make_article(
        title="Scheduled piece", tags=["lung"], published_at=timezone.now() + timedelta(hours=1)
    )
    pages = ["/", "/articles/", "/tags/", "/tags/lung/"]
    for page in pages[:-1]:
        assertNotContains(client.get(page), "Scheduled piece" if page != "/tags/" else "lung")
    # Only the scheduled piece carries the tag: it has no page yet.
    assert client.get("/tags/lung/").status_code == 404
    Article.objects.filter(pk=article.pk).update(published_at=timezone.now() - timedelta(seconds=1))
    for page in pages:
        assertContains(client.get(page), "Scheduled piece" if page != "/tags/" else "lung")


# Previews and share links --------------------------------------------------------------


def test_staff_preview_of_a_draft_is_marked_noindex_and_never_cached(
    admin_client, client, make_article
):
    draft = make_article(
        title="Draft piece", body="A draft [1].", status=Status.DRAFT, references=1
    )
    url = reverse("preview", args=["article", draft.pk])
    response = admin_client.get(url)
    assert response.status_code == 200
    assertContains(response, "Draft piece")
    assertContains(response, 'class="preview-banner"')
    assertContains(response, '<meta name="robots" content="noindex, nofollow">')
    assertContains(response, 'class="citation"')
    assert "no-store" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert client.get(url).status_code == 302  # visitors go to the login page
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_preview_of_unsaved_changes_saves_nothing(admin_client, make_article):
    article = make_article(title="Saved title", body="Saved body.", status=Status.DRAFT)
    reference = library_reference(1)
    reference.title = "A study only the unsaved text cites"
    reference.save()
    data = article_form(
        admin_client, article, title="Unsaved title", body="Unsaved body citing [@ref1]."
    )
    response = admin_client.post(reverse("admin:articles_article_preview", args=[article.pk]), data)
    assert response.status_code == 200
    assertContains(response, "Unsaved title")
    assertContains(response, "Unsaved changes, shown as visitors would see them")
    assertContains(response, "A study only the unsaved text cites")  # the reference list
    assertContains(response, 'href="#ref-1"')
    assert "no-store" in response["Cache-Control"]
    article.refresh_from_db()
    assert (article.title, article.body) == ("Saved title", "Saved body.")
    assert not article.history.filter(title="Unsaved title").exists()
    # Nor which references it cites (written when a save links it).
    assert not Citation.objects.filter(
        content_type=ContentType.objects.get_for_model(Article), object_id=article.pk
    ).exists()


def test_share_links_work_without_an_account_until_revoked_or_expired(
    admin_client, client, make_article
):
    draft = make_article(title="For review", status=Status.DRAFT)
    response = admin_client.post(reverse("admin:articles_article_share", args=[draft.pk]))
    link = ShareLink.objects.get()
    path = reverse("preview-share", args=[share_token(link)])
    assertContains(response, path)
    shared = client.get(path)
    assert shared.status_code == 200
    assertContains(shared, "draft shared with you for review")
    assertContains(shared, '<meta name="robots" content="noindex, nofollow">')
    assert "no-store" in shared["Cache-Control"]
    assert (link.expires_at - timezone.now()).days in (6, 7)
    assert client.get(path[:-3] + "xx/").status_code == 410  # tampered
    admin_client.post(
        reverse("admin:exosite_sharelink_changelist"),
        {"action": "revoke", "_selected_action": [link.pk]},
    )
    assert client.get(path).status_code == 410
    link.revoked_at = None
    link.expires_at = timezone.now() - timedelta(seconds=1)
    link.save()
    assertContains(client.get(path), "no longer valid", status_code=410)


def test_share_link_admin_pages_open_for_live_and_deleted_items(admin_client, make_article):
    draft = make_article(title="For review", status=Status.DRAFT)
    admin_client.post(reverse("admin:articles_article_share", args=[draft.pk]))
    link = ShareLink.objects.get()
    change = reverse("admin:exosite_sharelink_change", args=[link.pk])
    response = admin_client.get(change)
    assertContains(response, reverse("preview-share", args=[share_token(link)]))
    assertNotContains(response, "Preview saved version")
    # The item's own change page keeps its preview tools.
    item_page = admin_client.get(reverse("admin:articles_article_change", args=[draft.pk]))
    assertContains(item_page, "Preview saved version")
    assertContains(item_page, "Make a preview link for a reviewer")
    draft.delete()
    assertContains(admin_client.get(change), "deleted")
    assertContains(admin_client.get(reverse("admin:exosite_sharelink_changelist")), "deleted")


def test_a_share_link_to_a_deleted_item_is_gone(admin_client, client, make_article):
    draft = make_article(title="For review", status=Status.DRAFT)
    admin_client.post(reverse("admin:articles_article_share", args=[draft.pk]))
    path = reverse("preview-share", args=[share_token(ShareLink.objects.get())])
    assert client.get(path).status_code == 200
    draft.delete()
    response = client.get(path)
    assertContains(response, "no longer valid", status_code=410)
    assert "no-store" in response["Cache-Control"]


def test_live_markdown_preview_uses_the_pipeline(admin_client, make_term):
    make_term(name="Exosome", slug="exosome")
    reference = library_reference(1)
    response = admin_client.post(
        reverse("admin:articles_article_markdown_preview"),
        {
            "text": "An exosome [@ref1] and [@ref2], [2]. [[article:nowhere]] <script>x</script>",
        },
    )
    data = response.json()
    assert 'href="/glossary/exosome/"' in data["html"]
    assert 'href="#ref-1"' in data["html"]
    assert 'href="#ref-2"' not in data["html"]
    assert "<script" not in data["html"]
    assert data["references"] == [f"{reference.citation} [@ref1]"]
    assert any("@ref2" in w and "not in the reference library" in w for w in data["warnings"])
    assert any("[2] looks like a numbered citation" in w for w in data["warnings"])
    assert any("[[article:nowhere]]" in w for w in data["warnings"])


# Revisions and conflicts ---------------------------------------------------------------


def test_every_save_keeps_a_revision_that_can_be_compared_and_restored(
    admin_client, admin_user, make_reviewed
):
    article = make_reviewed(title="First title", body="First body.")
    second = article_form(
        admin_client, article, body="Second body with <b>bold</b>.", record_review="on"
    )
    assert admin_client.post(change_url(article), second).status_code == 302
    third = article_form(admin_client, article, title="Third title", record_review="on")
    assert admin_client.post(change_url(article), third).status_code == 302
    article.refresh_from_db()
    revisions = list(article.history.order_by("history_date"))
    assert len(revisions) == 3
    assert revisions[1].history_user == admin_user
    history = admin_client.get(reverse("admin:articles_article_history", args=[article.pk]))
    assertContains(history, "Compare the two chosen revisions")
    compare = admin_client.get(
        reverse("admin:articles_article_compare", args=[article.pk]),
        {"a": revisions[0].pk, "b": revisions[2].pk},
    )
    assertContains(compare, "<h2>Title</h2>", html=True)
    assertContains(compare, "<h2>Body</h2>", html=True)
    assertContains(compare, "&lt;b&gt;bold&lt;/b&gt;")
    # Restore the first revision: it becomes a new, fourth revision.
    restore_url = reverse(
        "admin:articles_article_simple_history", args=[article.pk, revisions[0].pk]
    )
    data = form_data(admin_client, restore_url)  # the first revision, as the form shows it
    assert (data["title"], data["body"]) == ("First title", "First body.")
    # Restored by a reviewer who checks the restored text (the gate stays the gate's test).
    assert admin_client.post(restore_url, {**data, "record_review": "on"}).status_code == 302
    article.refresh_from_db()
    assert (article.title, article.body) == ("First title", "First body.")
    assert article.history.count() == 4


def test_a_second_save_from_an_older_version_is_refused_with_the_text_kept(
    admin_client, make_reviewed
):
    article = make_reviewed(title="Shared article")
    first = article_form(admin_client, article, body="Alice's edit.", record_review="on")
    second = article_form(
        admin_client, article, body="Bob's edit, typed carefully.", record_review="on"
    )
    assert admin_client.post(change_url(article), first).status_code == 302
    response = admin_client.post(change_url(article), second)
    assert response.status_code == 200
    assertContains(response, "Someone saved this article after you opened it")
    assertContains(response, "Bob&#x27;s edit, typed carefully.")
    assertContains(response, f'href="{change_url(article)}"')
    article.refresh_from_db()
    assert article.body == "Alice's edit."
    # Saving again, deliberately, replaces the newer version.
    again = response.context["adminform"].form.data
    assert admin_client.post(change_url(article), again).status_code == 302
    article.refresh_from_db()
    assert article.body == "Bob's edit, typed carefully."


# Slug changes --------------------------------------------------------------------------


def test_changing_a_published_slug_keeps_old_urls_working(client, make_article):
    article = make_article(slug="old-name", title="Moving article")
    linking_article = make_article(body="See [[article:old-name]].")
    article.slug = "middle-name"
    article.save()
    article.slug = "new-name"
    article.save()
    for old in ("old-name", "middle-name"):
        response = client.get(f"/articles/{old}/")
        assertRedirects(response, "/articles/new-name/", status_code=301)  # chains collapse
    body = client.get(linking_article.get_absolute_url()).context["body"].html
    assert '<a class="xref" href="/articles/new-name/">Moving article</a>' in body
    article.slug = "old-name"  # back to the first name: no loop
    article.save()
    assert client.get("/articles/old-name/").status_code == 200
    assertRedirects(client.get("/articles/new-name/"), "/articles/old-name/", status_code=301)


def test_draft_slug_changes_leave_no_redirect(client, make_article):
    draft = make_article(slug="first-draft", status=Status.DRAFT)
    draft.slug = "second-draft"
    draft.save()
    draft.status = Status.PUBLISHED
    draft.save()
    assert client.get("/articles/first-draft/").status_code == 404


def test_old_slugs_of_terms_and_questions_redirect(client, make_term, make_question):
    term = make_term(slug="mvb")
    term.slug = "multivesicular-body"
    term.save()
    assertRedirects(client.get("/glossary/mvb/"), "/glossary/multivesicular-body/", status_code=301)
    question = make_question(slug="q-old")
    question.slug = "q-new"
    question.save()
    assertRedirects(client.get("/faq/q-old/"), "/faq/q-new/", status_code=301)


# Medical review ------------------------------------------------------------------------


def test_next_review_defaults_to_a_year_and_is_shown(client, make_article, reviewer):
    article = make_article()
    article.record_review(reviewer, on=date(2026, 2, 10))
    article.save()
    assert article.next_review_at == date(2027, 2, 10)
    response = client.get(article.get_absolute_url())
    assertContains(
        response,
        '<div><dt>Reviewed</dt><dd><time datetime="2026-02-10">10 February 2026</time> by '
        '<a href="/people/rita-reviewer/">Rita Reviewer</a>, MD</dd></div>',
        html=True,
    )
    assertContains(response, "Next review due")
    assertContains(response, '<time datetime="2027-02-10">February 2027</time>', html=True)
    leap = make_article()
    leap.record_review(reviewer, on=date(2028, 2, 29))
    leap.save()
    assert leap.next_review_at == date(2029, 2, 28)


def test_review_due_list_oldest_first(admin_client, make_article, reviewer):
    today = timezone.localdate()

    def due(title, days):
        # Reviewed a year before, the next review set by hand: the list follows it.
        return make_article(
            title=title,
            reviewer=reviewer,
            reviewed_at=today - timedelta(days=365),
            next_review_at=today + timedelta(days=days),
        )

    overdue_old = due("Overdue long", -40)
    overdue_new = due("Overdue recently", -2)
    soon = due("Due soon", 10)
    due("Fine", 200)
    assert overdue_old.next_review_at == today - timedelta(days=40)
    url = reverse("admin:articles_article_changelist")
    overdue = admin_client.get(url, {"review": "overdue"}).context["cl"].result_list
    assert list(overdue) == [overdue_old, overdue_new]
    assert list(admin_client.get(url, {"review": "soon"}).context["cl"].result_list) == [soon]
    assertContains(client_get := admin_client.get(overdue_old.get_absolute_url()), "(overdue)")
    assert client_get.status_code == 200


# Images --------------------------------------------------------------------------------


def test_figures_render_responsive_lazy_and_described(client, make_article):
    article = make_article(body="Intro.\n\n[[figure:cell]]\n\nAfter.\n\n[[figure:missing]]")
    figure = Figure.objects.create(
        article=article,
        key="cell",
        image=SimpleUploadedFile("cell.png", png(2000, 1000)),
        alt="A cell releasing vesicles",
        caption="Vesicles leave the cell",
        credit="CC BY 4.0",
    )
    assert [width for width, _ in figure.renditions] == [480, 960, 1600]
    assert figure.image.storage.exists(figure.renditions[0][1])
    assert figure.renditions[0][1].endswith("-480w.webp")
    response = client.get(article.get_absolute_url())
    html = response.context["body"].html
    assert '<figure class="figure" id="figure-cell">' in html
    assert 'type="image/webp"' in html and " 960w" in html
    assert 'alt="A cell releasing vesicles"' in html
    assert 'loading="lazy"' in html and 'width="2000" height="1000"' in html
    assert "Vesicles leave the cell" in html and "CC BY 4.0" in html
    assert "[[figure:missing]]" not in html
    article.refresh_from_db()
    assert any("figure:missing" in warning for warning in response.context["body"].warnings)


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            "x.svg",
            "Upload a valid image",
        ),
        (b"just text pretending", "fake.png", "Upload a valid image"),
    ],
)
def test_uploads_that_are_not_raster_images_are_refused(
    admin_client, make_reviewed, content, name, message
):
    article = make_reviewed()
    data = article_form(
        admin_client, article, lead_image=SimpleUploadedFile(name, content), lead_image_alt="x"
    )
    response = admin_client.post(change_url(article), data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert list(errors) == ["lead_image"]
    assert message in str(errors)


def test_image_size_and_pixel_limits(admin_client, make_reviewed, monkeypatch):
    from exosite.kernel import images

    article = make_reviewed()
    monkeypatch.setattr(images, "MAX_PIXELS", 100)
    data = article_form(
        admin_client,
        article,
        lead_image=SimpleUploadedFile("big.png", png(20, 20)),
        lead_image_alt="x",
    )
    response = admin_client.post(change_url(article), data)
    assert response.status_code == 200
    assert "the limit is 0 megapixels" in str(response.context["adminform"].form.errors)
    monkeypatch.setattr(images, "MAX_PIXELS", 40_000_000)
    monkeypatch.setattr(images, "MAX_BYTES", 10)
    data = article_form(
        admin_client,
        article,
        lead_image=SimpleUploadedFile("big.png", png(20, 20)),
        lead_image_alt="x",
    )
    response = admin_client.post(change_url(article), data)
    assert response.status_code == 200
    assert "the limit is 0 MB" in str(response.context["adminform"].form.errors)
    article.refresh_from_db()
    assert not article.lead_image


def test_lead_image_gets_renditions_and_a_picture_element(admin_client, client, make_reviewed):
    article = make_reviewed()
    data = article_form(
        admin_client,
        article,
        lead_image=SimpleUploadedFile("lead.png", png(1200, 600)),
        lead_image_alt="Lead",
    )
    assert admin_client.post(change_url(article), data).status_code == 302
    article.refresh_from_db()
    assert [width for width, _ in article.lead_image_renditions] == [480, 960, 1200]
    response = client.get(article.get_absolute_url())
    assertContains(response, 'type="image/webp"')
    assertContains(response, 'alt="Lead"')


# Content health ------------------------------------------------------------------------


def test_admin_index_shows_content_health_with_links(
    admin_client, make_article, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        make_article(status=Status.REVIEW)
        make_article(body="Broken [[article:nowhere]] and [9].", references=1)
    make_article(next_review_at=timezone.localdate() - timedelta(days=1))
    response = admin_client.get(reverse("admin:index"))
    content = response.content.decode()
    assert "Content health" in content
    assert "<strong>1</strong> article awaiting review" in content
    assert "<strong>1</strong> article with broken cross-links" in content
    assert "<strong>1</strong> article with citation problems" in content
    assert "<strong>1</strong> article overdue for medical review" in content
    assert "?problems=citations" in content and "?review=overdue" in content
