"""Revisions of the whole item: tags, figures and the references cited are kept with each
revision, compare shows their changes, and revert puts them back."""

from io import BytesIO

import pytest
from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image
from pytest_django.asserts import assertContains

from articles.models import Figure
from exosite.models import Status
from tests.conftest import library_reference
from tests.site.test_review_gate import admin_url, form_data

pytestmark = pytest.mark.django_db


def png():
    buffer = BytesIO()
    Image.new("RGB", (8, 6), "teal").save(buffer, "PNG")
    return SimpleUploadedFile("cells.png", buffer.getvalue(), content_type="image/png")


def save(client, obj, **changes):
    url = admin_url(obj)
    response = client.post(url, form_data(client, url, **changes))
    assert response.status_code == 302, response.context["adminform"].form.errors
    return response


def test_each_revision_keeps_tags_and_references(admin_client, make_term):
    library_reference(1), library_reference(2)
    term = make_term(status=Status.DRAFT, definition="Cites [@ref1].", tags=["biology"])
    save(admin_client, term, tags="biology, lung")
    save(admin_client, term, definition="Cites [@ref2] now.", tags="lung")

    newer, older = term.history.all()[:2]
    assert older.related["Tags"] == ["biology", "lung"]
    assert older.related["References"][0].startswith("[1] @ref1: Author 1. A study.")
    assert newer.related["Tags"] == ["lung"]
    assert newer.related["References"][0].startswith("[1] @ref2:")


def test_compare_shows_changed_tags_references_and_figures(admin_client, make_article):
    library_reference(1), library_reference(2)
    article = make_article(status=Status.DRAFT, body="One [@ref1].", tags=["biology"])
    save(admin_client, article)
    Figure.objects.create(article=article, key="cells", image=png(), alt="Cells in a dish")
    save(admin_client, article, body="One [@ref2].", tags="lung")

    newer, older = article.history.all()[:2]
    url = reverse("admin:articles_article_compare", args=[article.pk])
    page = admin_client.get(url, {"a": older.pk, "b": newer.pk})
    assertContains(page, "Tags")
    assertContains(page, "References")
    assertContains(page, "Figures")
    assertContains(page, "Cells&nbsp;in&nbsp;a&nbsp;dish")
    assertContains(page, '@ref<span class="diff_chg">2</span>')


def test_revert_restores_tags_and_figures_and_the_references_follow_the_text(
    admin_client, make_article
):
    library_reference(1), library_reference(2)
    article = make_article(status=Status.DRAFT, body="One [@ref1].", tags=["biology"])
    Figure.objects.create(article=article, key="cells", image=png(), alt="Cells in a dish")
    save(admin_client, article)
    first = article.history.first()
    assert first.related["_figures"][0]["key"] == "cells"

    article.figures.all().delete()
    save(admin_client, article, body="Two [@ref2].", tags="lung")
    article.refresh_from_db()
    assert [t.name for t in article.tags.all()] == ["lung"]

    url = reverse("admin:articles_article_simple_history", args=[article.pk, first.pk])
    shown = admin_client.get(url)
    assert "biology" in str(shown.context["adminform"].form["tags"].value())
    data = form_data(admin_client, url)
    response = admin_client.post(url, data)
    assert response.status_code == 302

    article.refresh_from_db()
    assert article.body == "One [@ref1]."
    assert [t.name for t in article.tags.all()] == ["biology"]
    assert [(f.key, f.alt) for f in article.figures.all()] == [("cells", "Cells in a dish")]
    latest = article.history.first()
    assert latest.related["Tags"] == ["biology"]
    assert latest.related["References"][0].startswith("[1] @ref1:")


def revert(client, obj, record):
    url = reverse(
        f"admin:{obj._meta.app_label}_{obj._meta.model_name}_simple_history",
        args=[obj.pk, record.pk],
    )
    response = client.post(url, form_data(client, url))
    assert response.status_code == 302, response.context["adminform"].form.errors
    obj.refresh_from_db()


def test_reverting_records_no_review_but_keeps_the_revisions_own(client, make_term, reviewer):
    """A revert is not a review: the text of a revision nobody reviewed stays unreviewed
    (and cannot be published by it), the text the reviewer checked is reviewed again."""
    editor = User.objects.create_user("eddie", password="a-long-passphrase", is_staff=True)
    editor.groups.add(Group.objects.get(name="Editors"))  # may not record reviews
    client.force_login(editor)
    term = make_term(status=Status.DRAFT, definition="Reviewed text.")
    term.record_review(reviewer)
    term.save()
    reviewed = term.history.first()
    save(client, term, definition="Unreviewed edit.")
    unreviewed = term.history.first()
    save(client, term, definition="Later edit.")
    term.refresh_from_db()
    assert not term.review_current

    revert(client, term, unreviewed)
    assert term.definition == "Unreviewed edit."
    assert not term.review_current
    revert(client, term, reviewed)
    assert term.definition == "Reviewed text."
    assert term.review_current and term.reviewer == reviewer
