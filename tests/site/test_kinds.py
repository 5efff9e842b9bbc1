"""The content-kind registry: a new kind, declared once in its own app, is linked, searched,
listed on tag pages, put in the sitemap, previewed, counted by the health panel and
guarded by restore, with no change anywhere else (the test-only "note" kind of
tests/kindapp)."""

import pytest
from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from pytest_django.asserts import assertContains, assertNotContains

from exosite.kernel import kinds
from exosite.management.commands.restore import guarded
from exosite.models import Mention, SearchDocument, Status
from exosite.ops import versions
from tests.kindapp.kinds import NoteKind
from tests.kindapp.models import Note

pytestmark = pytest.mark.django_db


@pytest.fixture
def note_kind(settings):
    kind = kinds.register(NoteKind())
    versions.install_triggers()  # its app's tables now feed public pages
    settings.ROOT_URLCONF = "tests.kindapp.urls"
    yield kind
    kinds.unregister("note")


@pytest.fixture
def make_note(django_capture_on_commit_callbacks):
    def factory(*, tags=(), **fields):
        fields.setdefault("status", Status.PUBLISHED)
        fields.setdefault("body", "A note.")
        with django_capture_on_commit_callbacks(execute=True):
            note = Note.objects.create(**fields)
            note.tags.set(tags)
        return note

    return factory


def test_the_sites_kinds_are_registered_once_each_by_their_apps():
    assert kinds.names() == ["article", "glossary", "faq", "page"]
    assert kinds.for_model(Note) is None  # the test kind only inside its tests
    assert kinds.glossary().name == "glossary"


def test_a_new_kind_is_reached_by_cross_links_and_links_to_terms(
    note_kind, make_note, make_article, make_term, client, django_capture_on_commit_callbacks
):
    term = make_term(name="Exosome", slug="exosome")
    make_note(title="Lab note", slug="lab-note", body="Every exosome is small.")
    with django_capture_on_commit_callbacks(execute=True):
        article = make_article(body="See [[note:lab-note]] and [[note:missing|this one]].")
    page = client.get(article.get_absolute_url())
    assertContains(page, '<a class="xref" href="/notes/lab-note/">Lab note</a>', html=True)
    assertNotContains(page, 'href="/notes/missing/"')
    article.refresh_from_db()
    assert article.broken_links == 1
    assert "[[note:missing]]" in article.link_warnings[0]
    # The note's own page auto-links the glossary, and its mentions are recorded.
    note_page = client.get("/notes/lab-note/")
    assertContains(note_page, 'href="/glossary/exosome/"')
    note_type = ContentType.objects.get_for_model(Note)
    assert Mention.objects.filter(source_type=note_type, target_id=term.pk).exists()


def test_a_new_kind_is_searched_listed_on_tag_pages_and_in_the_sitemap(
    note_kind, make_note, client
):
    make_note(title="Vesicle lab note", slug="vesicle-note", tags=["lab"])
    make_note(title="Vesicle draft note", slug="draft-note", tags=["lab"], status=Status.DRAFT)
    assert SearchDocument.objects.filter(kind="note").count() == 1
    results = client.get("/search/", {"q": "vesicle"})
    assert [r.kind_label for r in results.context["results"]] == ["Note"]
    assert ("note", "Notes", 1, "1") in results.context["kind_facets"]
    assert client.get("/search/", {"q": "vesicle", "kind": "note"}).context["total"] == 1
    tag_page = client.get("/tags/lab/")
    assertContains(tag_page, '<h2 id="tag-notes">Notes</h2>', html=True)
    assertContains(tag_page, "Vesicle lab note")
    assertNotContains(tag_page, "draft note")
    sitemap = client.get("/sitemap.xml").content.decode()
    assert "/notes/vesicle-note/" in sitemap
    assert "/notes/draft-note/" not in sitemap


def test_a_new_kind_is_previewed_counted_and_guarded(note_kind, make_note, client):
    draft = make_note(title="Draft note", slug="draft", status=Status.REVIEW)
    assert client.get("/notes/draft/").status_code == 404
    admin = User.objects.create_superuser("admin", "admin@example.org", "pw")
    client.force_login(admin)
    preview = client.get(f"/preview/note/{draft.pk}/")
    assertContains(preview, "Draft note")
    assert preview["X-Robots-Tag"] == "noindex, nofollow"
    health = client.get("/admin/")
    assertContains(health, "<strong>1</strong> note awaiting review")
    assert Note in guarded()
