"""Import and export in the admin, in the browser (issue 14, part 3): an Editor imports a
small CSV of glossary terms (the form, the preview with its counts, a file with one bad
row refused by row and column, the confirmation, the new terms as drafts in the list),
exports the list as CSV, and imports a .bib file into the reference library. The import
form and the preview pass axe at 1280 and 375 px."""

import csv
import io
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, User

from exosite.models import Status
from glossary.models import Term
from library.models import Reference

from .conftest import log_in

pytestmark = pytest.mark.usefixtures("demo")

HEADINGS = "Name,Slug,Short definition,Full definition (Markdown),Tags\n"
# Two new terms and a change to a draft term the test makes: 2 new, 1 updated.
GOOD = HEADINGS + (
    "Exomere,,A non-vesicular nanoparticle smaller than an exosome.,,particles\n"
    "Supermere,,A particle isolated from the supernatant of exomeres.,,particles\n"
    "Draft vesicle term,draft-vesicle-term,A new short definition.,,\n"
)
# The same with a blank short definition on row 3 (the headings are row 1).
BAD = HEADINGS + (
    "Exomere,,A non-vesicular nanoparticle smaller than an exosome.,,particles\n"
    "Supermere,,,,particles\n"
)
NEW_NAMES = ("Exomere", "Supermere")

# A new reference and one the demo library holds already (the same DOI, written as a link).
BIB = """@article{yanez,
  author = {Y{\\'a}{\\~n}ez-M{\\'o}, Mar{\\'i}a and Siljander, Pia R.-M.},
  title = {Biological properties of extracellular vesicles and their physiological functions},
  journal = {J Extracell Vesicles},
  year = {2015}, volume = {4}, pages = {27066},
  doi = {10.3402/jev.v4.27066}
}
@article{welsh,
  author = {Welsh, Joshua A.},
  title = {Minimal information for studies of extracellular vesicles ({MISEV2023})},
  journal = {J Extracell Vesicles},
  year = {2024},
  doi = {https://doi.org/10.1002/jev2.12404}
}
"""


def expect(locator):
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(locator)


@pytest.fixture
def editor(page):
    """`page`, logged in as a staff member of the Editors group (not a superuser)."""
    user = User.objects.create_user("edna", password="a-long-passphrase", is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    return log_in(page, "edna")


def fits_the_width(tab):
    """The page does not scroll sideways (a wide table may scroll inside its own box)."""
    return tab.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )


def download_text(download):
    """A finished download's content, as text (an export starts with a byte-order mark)."""
    return Path(download.path()).read_text(encoding="utf-8-sig")


def search(tab, text):
    """The admin list's search box, as an editor uses it."""
    tab.locator("#searchbar").fill(text)
    tab.locator("#searchbar").press("Enter")
    tab.wait_for_url("**?q=*")


def choose_file(tab, path):
    """From the term list: follow Import, choose `path` as CSV, submit."""
    tab.goto("/admin/glossary/term/")
    tab.get_by_role("link", name="Import", exact=True).click()
    tab.wait_for_url("**/admin/glossary/term/import/")
    tab.get_by_label("File to import").set_input_files(path)
    tab.get_by_label("Format").select_option(label="csv")
    tab.get_by_role("button", name="Submit").click()


@pytest.mark.parametrize("width", [1280, 375])
def test_an_editor_imports_glossary_terms_and_exports_them(editor, axe_check, tmp_path, width):
    editor.set_viewport_size({"width": width, "height": 900})
    Term.objects.create(
        name="Draft vesicle term",
        slug="draft-vesicle-term",
        short_definition="The old short definition.",
        definition="A draft.",
        status=Status.DRAFT,
    )
    before = Term.objects.count()

    # The form: what the file should hold.
    editor.goto("/admin/glossary/term/")
    editor.get_by_role("link", name="Import", exact=True).click()
    editor.wait_for_url("**/admin/glossary/term/import/")
    expect(editor.locator(".import-help")).to_contain_text("nothing is published")
    assert axe_check(editor) == []

    # A file with one bad row: its row and column, the counts, and no confirmation.
    bad = tmp_path / "terms-bad.csv"
    bad.write_text(BAD, encoding="utf-8")
    choose_file(editor, bad)
    expect(editor.get_by_role("heading", name="Some rows need correcting")).to_be_visible()
    expect(editor.locator(".import-summary")).to_contain_text(
        "1 new, 0 updated, 0 unchanged, 1 with errors"
    )
    expect(editor.locator(".import-problems li")).to_have_text(
        ["Row 3, column “Short definition”: This field cannot be blank."]
    )
    expect(editor.get_by_role("button", name="Confirm import")).to_have_count(0)
    assert axe_check(editor) == []
    assert Term.objects.count() == before

    # A good file: the preview, row by row; nothing saved until confirmed.
    good = tmp_path / "terms.csv"
    good.write_text(GOOD, encoding="utf-8")
    choose_file(editor, good)
    summary = editor.locator(".import-summary")
    expect(summary).to_contain_text("2 new, 1 updated, 0 unchanged, 0 with errors")
    expect(summary).to_contain_text("Nothing is saved yet")
    rows = editor.locator("table.import-preview tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.nth(0)).to_contain_text("New (draft)")
    expect(rows.nth(0)).to_contain_text(NEW_NAMES[0])
    expect(rows.nth(2)).to_contain_text("Updated (draft)")
    expect(rows.nth(2)).to_contain_text("Short definition")
    confirm = editor.get_by_role("button", name="Confirm import")
    expect(confirm).to_be_visible()
    assert fits_the_width(editor)
    assert axe_check(editor) == []
    assert Term.objects.count() == before

    confirm.click()
    editor.wait_for_url("**/admin/glossary/term/")
    expect(editor.locator(".messagelist")).to_contain_text(
        "Import finished: 2 new, 1 updated, 0 unchanged, 0 with errors."
    )
    for name in NEW_NAMES:
        search(editor, name)
        row = editor.locator("#result_list tbody tr", has_text=name)
        expect(row).to_have_count(1)
        expect(row).to_contain_text("Draft")
    assert set(
        Term.objects.filter(name__in=[*NEW_NAMES, "Draft vesicle term"]).values_list(
            "status", flat=True
        )
    ) == {Status.DRAFT}
    assert Term.objects.get(slug="draft-vesicle-term").short_definition == "A new short definition."

    # Export: the whole list as CSV, the new terms in it (the page fixture fails the test
    # on any console error, a CSP refusal included).
    editor.goto("/admin/glossary/term/")
    editor.get_by_role("link", name="Export", exact=True).click()
    editor.get_by_label("Format").select_option(label="csv")
    with editor.expect_download() as download:
        editor.get_by_role("button", name="Submit").click()
    assert download.value.suggested_filename == "glossary.csv"
    exported = list(csv.DictReader(io.StringIO(download_text(download.value))))
    by_name = {row["Name"]: row for row in exported}
    assert by_name["Exomere"]["Short definition"] == (
        "A non-vesicular nanoparticle smaller than an exosome."
    )
    assert by_name["Supermere"]["Tags"] == "particles"
    assert len(exported) == Term.objects.count()


@pytest.mark.parametrize("width", [1280, 375])
def test_an_editor_imports_a_bib_file_into_the_library(editor, axe_check, tmp_path, width):
    editor.set_viewport_size({"width": width, "height": 900})
    before = Reference.objects.count()
    path = tmp_path / "refs.bib"
    path.write_text(BIB, encoding="utf-8")

    editor.goto("/admin/library/reference/")
    editor.get_by_role("link", name="Import a .bib or .ris file").click()
    editor.wait_for_url("**/admin/library/reference/import-file/")
    assert axe_check(editor) == []
    editor.get_by_label("File").set_input_files(path)
    editor.get_by_role("button", name="Preview").click()

    expect(editor.locator(".import-summary")).to_contain_text(
        "1 new, 1 already in the library, 0 repeated in the file, 0 with errors"
    )
    rows = editor.locator("table.import-preview tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("New")
    expect(rows.nth(0)).to_contain_text("Biological properties of extracellular vesicles")
    expect(rows.nth(1)).to_contain_text("Already in the library")
    expect(rows.nth(1).get_by_role("link", name="welsh2024")).to_be_visible()
    assert Reference.objects.count() == before
    assert fits_the_width(editor)
    assert axe_check(editor) == []

    editor.get_by_role("button", name="Add the new references").click()
    editor.wait_for_url("**/admin/library/reference/")
    expect(editor.locator(".messagelist")).to_contain_text(
        "1 references added from refs.bib; 1 were in the library already."
    )
    assert Reference.objects.count() == before + 1
    added = Reference.objects.get(doi="10.3402/jev.v4.27066")
    assert added.history.first().history_user.username == "edna"
    search(editor, added.key)
    expect(editor.locator("#result_list tbody tr", has_text=added.key)).to_have_count(1)


def test_the_export_page_and_the_list_pass_axe_under_the_csp(editor, axe_check):
    # Our copy of django-import-export's export page (templates/admin/import_export/):
    # no inline style or handler for the CSP to refuse, "Select all" wired from a file.
    editor.goto("/admin/glossary/term/export/")
    expect(editor.get_by_role("button", name="Submit")).to_be_visible()
    select_all = editor.get_by_label("Select all")
    fields = editor.locator("input[type=checkbox]:not(.select-toggle)")
    select_all.uncheck()
    expect(fields.first).not_to_be_checked()
    select_all.check()
    expect(fields.first).to_be_checked()
    assert axe_check(editor) == []
    editor.goto("/admin/glossary/term/")  # its filter links 24 px tall (target size)
    assert axe_check(editor) == []
