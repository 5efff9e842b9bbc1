"""Spreadsheet import and export of glossary terms and FAQ entries in the admin
(exosite.kernel.importing): preview, confirm, drafts, the published rule, errors by row and
column, malformed files, permissions per group, and the export that imports back unchanged."""

import io
import re
import zipfile

import openpyxl
import pytest
from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from exosite.models import Status
from faq.models import Question, Topic
from glossary.models import Term

pytestmark = pytest.mark.django_db

CSV_FORMAT = "0"  # the admin's formats: CSV, then XLSX
XLSX_FORMAT = "1"

TERM_FIELDS = (
    "name",
    "slug",
    "language",
    "translation_of",
    "abbreviation",
    "aliases",
    "short_definition",
    "definition",
    "technical_definition",
    "pronunciation",
    "related",
    "tags",
)
QUESTION_FIELDS = (
    "question",
    "slug",
    "language",
    "translation_of",
    "topic",
    "position",
    "answer",
    "tags",
)
HEADINGS = (
    "Name,Slug,Abbreviation,Synonyms and other spellings,Short definition,"
    "Full definition (Markdown),Related terms,Tags\n"
)


def staff(name, group):
    user = User.objects.create_user(name, password="x", is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def editor_client(client):
    client.force_login(staff("eddie", "Editors"))
    return client


@pytest.fixture
def faq_client(client):
    client.force_login(staff("fay", "FAQ staff"))
    return client


def upload(client, model, content, name="terms.csv", fmt=CSV_FORMAT):
    url = reverse(f"admin:{model}_import")
    data = content.encode() if isinstance(content, str) else content
    return client.post(
        url,
        {"format": fmt, "resource": "0", "import_file": SimpleUploadedFile(name, data)},
        follow=True,
    )


def confirm(client, model, preview):
    form = preview.context["confirm_form"]
    data = {name: form[name].value() for name in form.fields}
    return client.post(reverse(f"admin:{model}_process_import"), data, follow=True)


def text_of(response):
    html = response.content.decode()
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def terms_csv(*rows):
    return HEADINGS + "".join(rows)


NEW_ROWS = terms_csv(
    "Exosome,exosome,,extracellular nanovesicle,A small vesicle cells release.,"
    '"Made in **endosomes**.",Microvesicle,vesicles; Biology\n',
    "Microvesicle,,,,A vesicle that buds from the cell membrane.,,,vesicles\n",
)


# -- preview and confirm -------------------------------------------------------------------


def test_preview_shows_creates_and_saves_nothing(editor_client):
    response = upload(editor_client, "glossary_term", NEW_ROWS)
    assert response.status_code == 200
    text = text_of(response)
    assert "2 new, 0 updated, 0 unchanged, 0 with errors" in text
    assert "New (draft)" in text
    assert "confirm the import" in text
    assert not Term.objects.exists()


def test_confirm_saves_drafts_with_tags_related_and_history(editor_client):
    preview = upload(editor_client, "glossary_term", NEW_ROWS)
    response = confirm(editor_client, "glossary_term", preview)
    assert "Import finished: 2 new, 0 updated, 0 unchanged" in text_of(response)
    exosome = Term.objects.get(slug="exosome")
    microvesicle = Term.objects.get(name="Microvesicle")
    assert microvesicle.slug == "microvesicle"  # made from the name
    assert {exosome.status, microvesicle.status} == {Status.DRAFT}
    assert exosome.alias_list == ["extracellular nanovesicle"]
    assert "<strong>endosomes</strong>" in exosome.definition_html
    assert sorted(t.name for t in exosome.tags.all()) == ["Biology", "vesicles"]
    # Related both ways, though the related term is a later row of the file.
    assert list(exosome.related.all()) == [microvesicle]
    assert list(microvesicle.related.all()) == [exosome]
    record = exosome.history.first()
    assert record.history_user.username == "eddie"
    assert record.history_change_reason == "Imported from terms.csv"


def test_reimport_of_the_same_file_is_unchanged(editor_client):
    confirm(editor_client, "glossary_term", upload(editor_client, "glossary_term", NEW_ROWS))
    versions = dict(Term.objects.values_list("slug", "edit_version"))
    history = Term.history.count()
    preview = upload(editor_client, "glossary_term", NEW_ROWS)
    assert "0 new, 0 updated, 2 unchanged, 0 with errors" in text_of(preview)
    confirm(editor_client, "glossary_term", preview)
    assert dict(Term.objects.values_list("slug", "edit_version")) == versions
    assert Term.history.count() == history


def test_update_of_a_draft_lists_the_changed_columns(editor_client, make_term):
    make_term(name="Exosome", slug="exosome", status=Status.REVIEW, short_definition="Old.")
    rows = terms_csv("Exosome,exosome,,,New definition.,,,\n")
    preview = upload(editor_client, "glossary_term", rows)
    text = text_of(preview)
    assert "0 new, 1 updated" in text
    assert "Updated (draft) Exosome Short definition" in text
    confirm(editor_client, "glossary_term", preview)
    term = Term.objects.get(slug="exosome")
    assert term.short_definition == "New definition."
    assert term.status == Status.DRAFT  # its text changed since it was sent for review


def test_a_row_without_slug_finds_the_term_by_name(editor_client, make_term):
    make_term(name="Dendritic cell", slug="dendritic-cells", status=Status.DRAFT)
    rows = "Name,Short definition\ndendritic cell,An immune cell.\n"
    confirm(editor_client, "glossary_term", upload(editor_client, "glossary_term", rows))
    assert Term.objects.count() == 1
    assert Term.objects.get().short_definition == "An immune cell."


# -- the published rule -------------------------------------------------------------------


def test_a_change_to_a_published_term_is_refused_and_nothing_is_saved(editor_client, make_term):
    make_term(name="Exosome", slug="exosome", short_definition="As published.")
    rows = terms_csv(
        "Exosome,exosome,,,Changed by a spreadsheet.,,,\n",
        "Microvesicle,,,,A vesicle.,,,\n",
    )
    preview = upload(editor_client, "glossary_term", rows)
    text = text_of(preview)
    assert "Row 2: “Exosome” is published: an import does not change what visitors see" in text
    assert "confirm the import" not in text
    assert Term.objects.get(slug="exosome").short_definition == "As published."
    assert not Term.objects.filter(name="Microvesicle").exists()


def test_an_unchanged_published_term_is_fine_and_stays_published(editor_client, make_term):
    term = make_term(name="Exosome", slug="exosome", short_definition="As published.")
    rows = terms_csv(
        "Exosome,exosome,,,As published.,The full definition of term 0.,,\n".replace(
            "The full definition of term 0.", term.definition
        )
    )
    preview = upload(editor_client, "glossary_term", rows)
    assert "0 new, 0 updated, 1 unchanged, 0 with errors" in text_of(preview)
    confirm(editor_client, "glossary_term", preview)
    assert Term.objects.get(slug="exosome").status == Status.PUBLISHED


# -- errors by row and column ----------------------------------------------------------------


def test_row_errors_name_the_row_and_the_column(editor_client, make_term):
    make_term(name="Exosome", slug="exosome", aliases="EV vesicle", status=Status.DRAFT)
    rows = terms_csv(
        "Good term,,,,Fine.,,,\n",
        "No definition,,,,,,,\n",
        "Taken synonym,,,EV vesicle,Fine.,,,\n",
        "Unknown related,,,,Fine.,,Nonexistent thing,\n",
        f"Too long,,{'X' * 31},,Fine.,,,\n",
        f'Deep markdown,,,,Fine.,"{"> " * 60}deep",,\n',
    )
    preview = upload(editor_client, "glossary_term", rows)
    text = text_of(preview)
    assert "1 new, 0 updated, 0 unchanged, 5 with errors" in text
    assert "Row 3, column “Short definition”: This field cannot be blank." in text
    assert "Row 4, column “Synonyms and other spellings”: “EV vesicle” is already a synonym" in text
    assert "Row 5, column “Related terms”: “Nonexistent thing” is not a glossary term" in text
    assert "Row 6, column “Abbreviation”: Ensure this value has at most 30 characters" in text
    assert "Row 7, column “Full definition (Markdown)”:" in text
    assert "confirm the import" not in text
    assert Term.objects.count() == 1


def test_blank_rows_keep_the_spreadsheet_numbering(editor_client):
    rows = terms_csv("A term,,,,Fine.,,,\n", ",,,,,,,\n", "Bad,,,,,,,\n")
    assert "Row 4, column “Short definition”" in text_of(
        upload(editor_client, "glossary_term", rows)
    )


# -- malformed files --------------------------------------------------------------------------


def zipped(name):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(name, "not a workbook")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("content", "name", "fmt", "message"),
    [
        (
            HEADINGS.encode() + "Caf\xe9,,,,A caf\xe9.,,,\n".encode("latin-1"),
            "latin.csv",
            CSV_FORMAT,
            f"The file is not UTF-8 text: byte {len(HEADINGS) + 4} (row 2) cannot be read.",
        ),
        (
            "Name,Definiton\nExosome,A vesicle.\n",
            "typo.csv",
            CSV_FORMAT,
            "Column B (row 1), “Definiton”, is not a column this import knows.",
        ),
        ("Slug,Short definition\nx,y\n", "noname.csv", CSV_FORMAT, "The file has no column “Name”"),
        (
            "Name,Short definition\nA,b,extra\n",
            "ragged.csv",
            CSV_FORMAT,
            "Row 2 has more cells than there are headings (column C has no heading).",
        ),
        (zipped("hello.txt"), "broken.xlsx", XLSX_FORMAT, "The Excel workbook could not be read"),
        (b"just text", "text.xlsx", XLSX_FORMAT, "The file is not an Excel workbook (.xlsx)"),
        (b"\xef\xbb\xbf", "empty.csv", CSV_FORMAT, "empty.csv is empty"),
    ],
)
def test_a_malformed_file_is_refused_with_what_and_where(
    editor_client, content, name, fmt, message
):
    response = upload(editor_client, "glossary_term", content, name=name, fmt=fmt)
    text = text_of(response)
    assert f"{name} was not imported" in text
    assert message in text
    assert not Term.objects.exists()


def test_a_large_file_is_sent_to_the_command(editor_client, settings, monkeypatch):
    monkeypatch.setattr("exosite.kernel.importing.ADMIN_MAX_ROWS", 3)
    rows = terms_csv(*(f"Term {n},,,,Definition {n}.,,,\n" for n in range(5)))
    text = text_of(upload(editor_client, "glossary_term", rows))
    assert "has 5 rows: the admin imports up to 3 at a time" in text
    assert "manage.py import_content glossary terms.csv" in text
    assert not Term.objects.exists()


def test_a_row_failing_at_confirmation_rolls_back_the_whole_file(editor_client, make_term):
    rows = terms_csv("Exosome,exosome,,,New.,,,\n", "Other,,,,Fine.,,,\n")
    make_term(name="Exosome", slug="exosome", status=Status.DRAFT, short_definition="Old.")
    preview = upload(editor_client, "glossary_term", rows)
    Term.objects.filter(slug="exosome").update(status=Status.PUBLISHED)  # published meanwhile
    response = confirm(editor_client, "glossary_term", preview)
    assert "Nothing was imported" in text_of(response)
    assert Term.objects.get(slug="exosome").short_definition == "Old."
    assert not Term.objects.filter(name="Other").exists()


# -- Excel, export and round trip ----------------------------------------------------------------


def test_xlsx_import(editor_client):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Name", "Short definition", "Tags"])
    sheet.append(["Tetraspanin", "A membrane protein family.", "proteins"])
    sheet.append([None, None, None])
    sheet.append(["CD63", "A tetraspanin.", None])
    buffer = io.BytesIO()
    book.save(buffer)
    preview = upload(
        editor_client, "glossary_term", buffer.getvalue(), name="terms.xlsx", fmt=XLSX_FORMAT
    )
    assert "2 new, 0 updated" in text_of(preview)
    confirm(editor_client, "glossary_term", preview)
    assert set(Term.objects.values_list("name", flat=True)) == {"Tetraspanin", "CD63"}


def export(client, model, fmt=CSV_FORMAT, items=()):
    """The admin's export of the whole list (or `items`), every column ticked."""
    resource = {"glossary_term": "termresource", "faq_question": "questionresource"}[model]
    columns = {"glossary_term": TERM_FIELDS, "faq_question": QUESTION_FIELDS}[model]
    data = {"format": fmt, "resource": "0", **{f"{resource}_{name}": "on" for name in columns}}
    if items:
        data["export_items"] = list(items)
    response = client.post(reverse(f"admin:{model}_export"), data)
    assert response.status_code == 200, response.content[:500]
    return response


def test_export_then_import_round_trips_unchanged(editor_client, make_term):
    cd9 = make_term(name="CD9", slug="cd9", tags=["proteins"])
    make_term(
        name="Tetraspanin",
        slug="tetraspanin",
        abbreviation="TSPAN",
        aliases="tetraspanins\ntransmembrane 4 superfamily",
        definition="A protein family; see [[CD9]].\n\nSecond paragraph, “quoted”.",
        related=[cd9],
        tags=["proteins", "Membrane"],
    )
    make_term(name="Draft one", slug="draft-one", status=Status.DRAFT)
    for fmt, name in ((CSV_FORMAT, "glossary.csv"), (XLSX_FORMAT, "glossary.xlsx")):
        exported = export(editor_client, "glossary_term", fmt=fmt)
        assert name in exported["Content-Disposition"]
        preview = upload(editor_client, "glossary_term", exported.content, name=name, fmt=fmt)
        assert "0 new, 0 updated, 3 unchanged, 0 with errors" in text_of(preview)


def test_export_columns(editor_client, make_term):
    cd9 = make_term(name="CD9", slug="cd9")
    make_term(name="Tetraspanin", slug="tetraspanin", related=[cd9], tags=["b", "A"])
    content = export(editor_client, "glossary_term").content.decode("utf-8-sig")
    assert content.splitlines()[0] == HEADINGS.strip().replace(
        "Full definition (Markdown)",
        "Full definition (Markdown),Technical definition (Markdown),Pronunciation",
    ).replace("Slug,", "Slug,Language,Translation of,")
    assert "Tetraspanin,tetraspanin,en,,,,Short definition" in content
    assert ",CD9,A; b" in content


def test_export_of_selected_rows(editor_client, make_term):
    one = make_term(name="One", slug="one")
    make_term(name="Two", slug="two")
    response = editor_client.post(
        reverse("admin:glossary_term_changelist"),
        {"action": "export_admin_action", "_selected_action": [one.pk]},
    )
    assert response.status_code == 200  # the export form, for the selected rows
    content = export(editor_client, "glossary_term", items=[one.pk]).content.decode()
    assert "One,one,en" in content
    assert "Two,two" not in content


# -- FAQ entries ---------------------------------------------------------------------------------


FAQ_ROWS = (
    "Question,Slug,Topic,Position,Answer (Markdown),Tags\n"
    "What is an exosome?,,basics,1,A small **vesicle**.,vesicles\n"
    "Are exosomes safe?,,Basics,,Research is ongoing.,\n"
)


def test_faq_staff_import_faq_entries_by_topic_name_or_slug(faq_client, topic):
    preview = upload(faq_client, "faq_question", FAQ_ROWS, name="faq.csv")
    assert "2 new, 0 updated, 0 unchanged, 0 with errors" in text_of(preview)
    confirm(faq_client, "faq_question", preview)
    questions = Question.objects.order_by("position")
    assert [(q.question, q.topic, q.position, q.status) for q in questions] == [
        ("Are exosomes safe?", topic, 0, Status.DRAFT),
        ("What is an exosome?", topic, 1, Status.DRAFT),
    ]
    assert Question.objects.get(slug="what-is-an-exosome").tags.get().name == "vesicles"
    again = upload(faq_client, "faq_question", FAQ_ROWS, name="faq.csv")
    assert "0 new, 0 updated, 2 unchanged" in text_of(again)


def test_faq_unknown_topic_is_a_row_error(faq_client, topic):
    rows = "Question,Topic,Answer (Markdown)\nWhy?,Nowhere,Because.\n"
    text = text_of(upload(faq_client, "faq_question", rows, name="faq.csv"))
    assert "Row 2, column “Topic”: There is no FAQ topic “Nowhere”. Use one of: Basics" in text


def test_faq_round_trip(faq_client, make_question):
    make_question(question="What is it?", slug="what", tags=["x"])
    make_question(question="Draft?", slug="draft", status=Status.DRAFT)
    exported = export(faq_client, "faq_question")
    preview = upload(faq_client, "faq_question", exported.content, name="faq.csv")
    assert "0 new, 0 updated, 2 unchanged, 0 with errors" in text_of(preview)


# -- permissions ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("group", "model", "allowed"),
    [
        ("Editors", "glossary_term", True),
        ("Editors", "faq_question", True),
        ("FAQ staff", "faq_question", True),
        ("FAQ staff", "glossary_term", False),
        ("Medical reviewers", "glossary_term", False),  # may change, not add
    ],
)
def test_who_may_import(client, group, model, allowed):
    client.force_login(staff("someone", group))
    response = client.get(reverse(f"admin:{model}_import"))
    assert response.status_code == (200 if allowed else 403)
    content = "Question,Answer (Markdown)\nX?,Y.\n" if model == "faq_question" else NEW_ROWS
    response = client.post(
        reverse(f"admin:{model}_import"),
        {
            "format": CSV_FORMAT,
            "resource": "0",
            "import_file": SimpleUploadedFile("a.csv", content.encode()),
        },
    )
    assert response.status_code == (200 if allowed else 403)
    assert not Term.objects.exists() and not Question.objects.exists()


def test_the_list_offers_import_and_export_to_those_who_may(editor_client):
    page = editor_client.get(reverse("admin:glossary_term_changelist")).content.decode()
    assert reverse("admin:glossary_term_import") in page
    assert reverse("admin:glossary_term_export") in page


def test_faq_staff_cannot_export_terms(faq_client, make_term):
    make_term(status=Status.DRAFT)
    response = faq_client.post(reverse("admin:glossary_term_export"), {"format": CSV_FORMAT})
    assert response.status_code == 403


def test_import_export_leaves_the_content_change_form_its_own(
    admin_client, make_term, make_question
):
    """The library's mixin brings its own change form (an Export button); ours, with the
    live Markdown preview, previews and review, must stay."""
    for obj, name in ((make_term(), "glossary_term"), (make_question(), "faq_question")):
        page = admin_client.get(reverse(f"admin:{name}_change", args=[obj.pk]))
        assert page.status_code == 200
        assert b'id="markdown-preview-config"' in page.content, name


# -- languages -------------------------------------------------------------------------------


def spanish_terms_csv(*rows):
    headings = "Name,Slug,Language,Translation of,Short definition,Related terms,"
    return headings + "Synonyms and other spellings\n" + "".join(rows)


def test_a_spanish_file_makes_spanish_drafts_linked_to_their_originals(editor_client, make_term):
    exosome = make_term(name="Exosome", slug="exosome")
    rows = spanish_terms_csv(
        "Exosoma,exosoma,es,exosome,Una vesícula pequeña.,Microvesícula,\n",
        "Microvesícula,,Español,,Una vesícula mayor.,,\n",
    )
    preview = upload(editor_client, "glossary_term", rows)
    assert "2 new, 0 updated, 0 unchanged, 0 with errors" in text_of(preview)
    confirm(editor_client, "glossary_term", preview)
    exosoma = Term.objects.get(language="es", slug="exosoma")
    microvesicula = Term.objects.get(name="Microvesícula")
    assert (microvesicula.language, microvesicula.slug) == ("es", "microvesicula")
    assert exosoma.translation_of == exosome
    assert exosoma.translated_version == exosome.edit_version  # made from it as it is
    assert not exosoma.translation_outdated
    assert microvesicula.translation_of is None
    assert list(exosoma.related.all()) == [microvesicula]
    assert {exosoma.status, microvesicula.status} == {Status.DRAFT}
    assert Term.objects.get(slug="exosome").language == "en"  # the original is untouched
    again = upload(editor_client, "glossary_term", rows)
    assert "0 new, 0 updated, 2 unchanged, 0 with errors" in text_of(again)


@pytest.mark.parametrize("written", ["es", "ES", "Español", "español", "ESPANOL", "Spanish"])
def test_the_language_cell_takes_a_code_or_a_name_in_any_case(editor_client, written):
    rows = spanish_terms_csv(f"Exosoma,,{written},,Una vesícula.,,\n")
    confirm(editor_client, "glossary_term", upload(editor_client, "glossary_term", rows))
    assert Term.objects.get().language == "es"


def test_both_languages_with_the_same_slug_are_two_items(editor_client, make_term):
    make_term(name="CD9", slug="cd9", status=Status.DRAFT, short_definition="Old.")
    rows = spanish_terms_csv(
        "CD9,cd9,en,,A tetraspanin.,,\n",
        "CD9,cd9,es,cd9,Una tetraspanina.,,\n",
        "CD63,,English,,Another tetraspanin.,,\n",
        "CD63,,es,cd63,Otra tetraspanina.,,\n",
    )
    preview = upload(editor_client, "glossary_term", rows)
    text = text_of(preview)
    assert "3 new, 1 updated, 0 unchanged, 0 with errors" in text
    assert "2 Updated (draft) CD9 Short definition" in text
    assert "3 New (draft) CD9 (Español)" in text
    confirm(editor_client, "glossary_term", preview)
    english = Term.objects.get(language="en", slug="cd9")
    spanish = Term.objects.get(language="es", slug="cd9")
    assert english.short_definition == "A tetraspanin."  # updated in place
    assert spanish.short_definition == "Una tetraspanina."
    assert spanish.translation_of == english
    # The same name in both languages, slugs made per language.
    cd63 = Term.objects.filter(name="CD63").order_by("language")
    assert [(t.language, t.slug) for t in cd63] == [("en", "cd63"), ("es", "cd63")]
    assert cd63[1].translation_of == cd63[0]  # an original further up the same file
    again = upload(editor_client, "glossary_term", rows)
    assert "0 new, 0 updated, 4 unchanged, 0 with errors" in text_of(again)
    # A row without a slug finds the item of its own language by name.
    rows = spanish_terms_csv("CD9,,es,cd9,Una tetraspanina de la membrana.,,\n")
    confirm(editor_client, "glossary_term", upload(editor_client, "glossary_term", rows))
    assert Term.objects.get(pk=spanish.pk).short_definition == "Una tetraspanina de la membrana."
    assert Term.objects.get(pk=english.pk).short_definition == "A tetraspanin."
    assert Term.objects.count() == 4


def test_a_translation_may_come_before_its_original_in_the_file(editor_client):
    rows = spanish_terms_csv(
        "Exosoma,exosoma,es,exosome,Una vesícula.,,\n",
        "Bad row,,,,,,\n",
        "Exosome,exosome,en,,A vesicle.,,\n",
    )
    text = text_of(upload(editor_client, "glossary_term", rows))
    # Each error still names its own row of the spreadsheet.
    assert "2 new, 0 updated, 0 unchanged, 1 with errors" in text
    assert "Row 3, column “Short definition”: This field cannot be blank." in text
    rows = rows.replace("Bad row,,,,,,\n", "")
    confirm(editor_client, "glossary_term", upload(editor_client, "glossary_term", rows))
    assert Term.objects.get(language="es").translation_of == Term.objects.get(language="en")


def test_an_unknown_language_is_an_error_naming_row_and_column(editor_client):
    rows = spanish_terms_csv(
        "Exosome,,en,,A vesicle.,,\n",
        "Exosoma,,Frañol,,Una vesícula.,,\n",
    )
    text = text_of(upload(editor_client, "glossary_term", rows))
    assert "1 new, 0 updated, 0 unchanged, 1 with errors" in text
    assert (
        "Row 3, column “Language”: “Frañol” is not a language of this site: use en (English) "
        "or es (Español), or leave the cell empty for English." in text
    )
    assert "confirm the import" not in text
    assert not Term.objects.exists()


def test_a_translation_of_nothing_is_an_error_naming_row_and_column(editor_client, make_term):
    make_term(name="Exosoma", slug="exosoma", language="es")
    rows = spanish_terms_csv(
        "Vesícula,,es,vesicle,Una vesícula.,,\n",
        "Microvesícula,,es,exosoma,Una vesícula mayor.,,\n",  # a Spanish slug: not English
    )
    text = text_of(upload(editor_client, "glossary_term", rows))
    assert "0 new, 0 updated, 0 unchanged, 2 with errors" in text
    assert (
        "Row 2, column “Translation of”: There is no term with the slug “vesicle” in English "
        "to translate" in text
    )
    assert "Row 3, column “Translation of”: There is no term with the slug “exosoma”" in text
    assert Term.objects.count() == 1


def test_a_translation_in_its_originals_language_is_refused(editor_client, make_term):
    make_term(name="Exosome", slug="exosome")
    rows = spanish_terms_csv("Exosome body,,en,exosome,A vesicle.,,\n")
    text = text_of(upload(editor_client, "glossary_term", rows))
    assert "Row 2, column “Translation of”: Choose the original in another language" in text
    assert Term.objects.count() == 1


def test_related_terms_and_synonyms_are_of_the_rows_language(editor_client, make_term):
    make_term(name="Microvesicle", slug="microvesicle", aliases="EV")
    rows = spanish_terms_csv("Exosoma,,es,,Una vesícula.,Microvesicle,\n")
    text = text_of(upload(editor_client, "glossary_term", rows))
    assert (
        "Row 2, column “Related terms”: “Microvesicle” is not a glossary term in Español, nor "
        "a row of this file" in text
    )
    # An English synonym does not stop a Spanish term going by the same name.
    rows = spanish_terms_csv("Vesícula extracelular,,es,,Una vesícula.,,EV\n")
    confirm(editor_client, "glossary_term", upload(editor_client, "glossary_term", rows))
    assert Term.objects.get(language="es").alias_list == ["EV"]
    rows = spanish_terms_csv("Otra vesícula,,es,,Otra.,,EV\n")
    text = text_of(upload(editor_client, "glossary_term", rows))
    assert "“EV” is already a synonym of “Vesícula extracelular”" in text


def test_an_import_never_changes_a_published_spanish_item(editor_client, make_term):
    make_term(name="Exosoma", slug="exosoma", language="es", short_definition="Publicada.")
    rows = spanish_terms_csv("Exosoma,exosoma,es,,Cambiada.,,\n")
    text = text_of(upload(editor_client, "glossary_term", rows))
    assert "Row 2: “Exosoma” is published: an import does not change what visitors see" in text
    assert Term.objects.get().short_definition == "Publicada."


def test_export_writes_language_and_translation_and_imports_back_unchanged(
    editor_client, make_term
):
    cd9 = make_term(name="CD9", slug="cd9", tags=["proteins"])
    tetraspanin = make_term(name="Tetraspanin", slug="tetraspanin", related=[cd9])
    cd9_es = make_term(name="CD9", slug="cd9", language="es", translation_of=cd9)
    make_term(
        name="Tetraspanina",
        slug="tetraspanina",
        language="es",
        translation_of=tetraspanin,
        related=[cd9_es],
        status=Status.DRAFT,
    )
    make_term(name="Sólo en español", slug="solo", language="es", status=Status.DRAFT)
    content = export(editor_client, "glossary_term").content.decode("utf-8-sig")
    rows = {tuple(line.split(",")[:4]) for line in content.splitlines()[1:]}
    assert {
        ("CD9", "cd9", "en", ""),
        ("CD9", "cd9", "es", "cd9"),
        ("Tetraspanina", "tetraspanina", "es", "tetraspanin"),
        ("Sólo en español", "solo", "es", ""),
    } <= rows
    for fmt, name in ((CSV_FORMAT, "glossary.csv"), (XLSX_FORMAT, "glossary.xlsx")):
        exported = export(editor_client, "glossary_term", fmt=fmt)
        preview = upload(editor_client, "glossary_term", exported.content, name=name, fmt=fmt)
        assert "0 new, 0 updated, 5 unchanged, 0 with errors" in text_of(preview)


def test_an_original_in_another_language_is_named_with_its_code(editor_client, make_term):
    original = make_term(name="Exosoma", slug="exosoma", language="es")
    rows = spanish_terms_csv("Exosome,,en,es:exosoma,A vesicle.,,\n")
    confirm(editor_client, "glossary_term", upload(editor_client, "glossary_term", rows))
    english = Term.objects.get(language="en")
    assert english.translation_of == original
    content = export(editor_client, "glossary_term").content.decode("utf-8-sig")
    assert "Exosome,exosome,en,es:exosoma," in content


@pytest.fixture
def tema(db, topic):
    return Topic.objects.create(
        name="Conceptos básicos",
        slug="conceptos-basicos",
        language="es",
        translation_of=topic,
        position=1,
    )


def test_a_spanish_faq_entry_names_a_spanish_topic(faq_client, topic, tema, make_question):
    original = make_question(question="What is an exosome?", slug="what-is-an-exosome")
    rows = (
        "Question,Slug,Language,Translation of,Topic,Answer (Markdown)\n"
        "¿Qué es un exosoma?,,es,what-is-an-exosome,conceptos-basicos,Una **vesícula**.\n"
        "¿Son seguros?,,es,,Conceptos Básicos,Se investiga.\n"
        "What is an exosome?,what-is-an-exosome,es,,Basics,Same slug in Spanish.\n"
    )
    text = text_of(upload(faq_client, "faq_question", rows, name="faq.csv"))
    # The English topic is no Spanish entry's topic.
    assert (
        "Row 4, column “Topic”: There is no FAQ topic “Basics” in Español. Use one of: "
        "Conceptos básicos" in text
    )
    rows = rows.replace(",Basics,", ",Conceptos básicos,")
    preview = upload(faq_client, "faq_question", rows, name="faq.csv")
    assert "3 new, 0 updated, 0 unchanged, 0 with errors" in text_of(preview)
    confirm(faq_client, "faq_question", preview)
    spanish = Question.objects.filter(language="es")
    assert {q.topic for q in spanish} == {tema}
    assert spanish.get(slug="que-es-un-exosoma").translation_of == original
    assert spanish.get(slug="what-is-an-exosome").translation_of is None
    assert Question.objects.get(language="en").topic == topic
    exported = export(faq_client, "faq_question")
    assert "¿Qué es un exosoma?,que-es-un-exosoma,es,what-is-an-exosome,Conceptos básicos," in (
        exported.content.decode("utf-8-sig")
    )
    again = upload(faq_client, "faq_question", exported.content, name="faq.csv")
    assert "0 new, 0 updated, 4 unchanged, 0 with errors" in text_of(again)
