"""A .bib or .ris file of many references in the library's admin (library/importing.py):
a preview by entry, what is in the library already, errors with their entry number, and
the new ones added together on confirmation."""

import pytest
from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from library.models import Reference

pytestmark = pytest.mark.django_db

BIB = """@comment{exported by a reference manager}
@article{welsh,
  author = {Welsh, Joshua A. and Goberdhan, Deborah C. I.},
  title = {Minimal information for studies of extracellular vesicles ({MISEV2023})},
  journal = {J Extracell Vesicles},
  year = {2024}, volume = {13}, number = {2}, pages = {e12404},
  doi = {10.1002/jev2.12404}
}
@article{thery,
  author = {Th{\\'e}ry, Clotilde},
  title = {Exosomes: secreted vesicles},
  journal = {F1000 Biol Rep}, year = {2011},
  doi = {10.3410/B3-15}
}
@article{broken,
  author = {Nobody, N.},
  year = {2020}
}
@article{again,
  author = {Welsh, J},
  title = {The same paper},
  doi = {https://doi.org/10.1002/JEV2.12404}
}
"""

RIS = """TY  - JOUR
AU  - Kalluri, Raghu
AU  - LeBleu, Valerie S.
TI  - The biology, function, and biomedical applications of exosomes
JO  - Science
PY  - 2020
DO  - 10.1126/science.aau6977
ER  -
TY  - JOUR
AU  - Existing, Author
TI  - Already here
PY  - 2019
DO  - 10.5555/test.1
ER  -
"""


@pytest.fixture
def editor_client(client):
    user = User.objects.create_user("eddie", password="x", is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    client.force_login(user)
    return client


def preview(client, content, name):
    return client.post(
        reverse("admin:library_reference_import_file"),
        {"file": SimpleUploadedFile(name, content.encode())},
    )


def test_bibtex_preview_by_entry_then_nothing_added_while_an_entry_is_wrong(editor_client):
    response = preview(editor_client, BIB, "refs.bib")
    text = response.content.decode()
    assert response.status_code == 200
    assert "2 new, 0 already in the library, 1 repeated in the file, 1 with errors" in text
    reading = response.context["reading"]
    assert [e.status for e in reading.entries] == ["new", "new", "error", "duplicate"]
    assert reading.entries[3].duplicate_of == 1
    assert "Entry 3: Title: This field cannot be blank." in text
    assert "Add the new references" not in text
    assert not Reference.objects.exists()


def test_ris_preview_then_confirm_adds_the_new_ones(editor_client):
    from tests.conftest import library_reference

    existing = library_reference(1)
    response = preview(editor_client, RIS, "refs.ris")
    text = response.content.decode()
    assert "1 new, 1 already in the library, 0 repeated in the file, 0 with errors" in text
    assert "Already in the library" in text
    assert reverse("admin:library_reference_change", args=[existing.pk]) in text
    assert Reference.objects.count() == 1
    form = response.context
    confirmed = editor_client.post(
        reverse("admin:library_reference_import_file"),
        {"text": form["text"], "file_name": form["file_name"], "confirm": "1"},
        follow=True,
    )
    assert "1 references added from refs.ris; 1 were in the library already." in (
        confirmed.content.decode()
    )
    added = Reference.objects.get(doi="10.1126/science.aau6977")
    assert added.key == "kalluri2020"
    assert added.authors == "Kalluri R, LeBleu VS"
    record = added.history.first()
    assert record.history_user.username == "eddie"


def test_a_file_that_is_neither_is_refused(editor_client):
    text = preview(editor_client, "just some words", "notes.bib").content.decode()
    assert "The file notes.bib was not imported: This is not a BibTeX (.bib) or RIS" in text
    bad = editor_client.post(
        reverse("admin:library_reference_import_file"),
        {"file": SimpleUploadedFile("latin.ris", "TI  - Caf\xe9\n".encode("latin-1"))},
    ).content.decode()
    assert "is not UTF-8 text: byte 10 (line 1)" in bad


def test_the_list_links_the_import_and_only_those_who_may_add_use_it(editor_client, client):
    page = editor_client.get(reverse("admin:library_reference_changelist")).content.decode()
    assert reverse("admin:library_reference_import_file") in page
    viewer = User.objects.create_user("val", password="x", is_staff=True)
    client.force_login(viewer)
    assert client.get(reverse("admin:library_reference_import_file")).status_code == 403
