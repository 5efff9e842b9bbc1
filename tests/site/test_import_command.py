"""`manage.py import_content`: progress, a one-line summary, exit codes, and nothing
written for a bad file."""

import re

import pytest
from django.core.management import CommandError, call_command

from exosite.models import Status
from glossary.models import Term

pytestmark = pytest.mark.django_db

ROWS = (
    "Name,Short definition,Tags\nExosome,A small vesicle.,vesicles\nMicrovesicle,A bigger one.,\n"
)


def run(tmp_path, content, *args, name="terms.csv"):
    path = tmp_path / name
    path.write_bytes(content.encode() if isinstance(content, str) else content)
    out, err = __import__("io").StringIO(), __import__("io").StringIO()
    call_command("import_content", *args, str(path), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_import_shows_progress_and_a_summary(tmp_path):
    out, _ = run(tmp_path, ROWS, "glossary")
    assert "rows" in out and "2/2" in out
    assert (
        out.strip()
        .splitlines()[-1]
        .startswith("terms.csv imported: 2 new, 0 updated, 0 unchanged, 0 with errors. (")
    )
    assert set(Term.objects.values_list("status", flat=True)) == {Status.DRAFT}
    again, _ = run(tmp_path, ROWS, "glossary")
    assert "0 new, 0 updated, 2 unchanged, 0 with errors" in again


def test_dry_run_writes_nothing(tmp_path):
    out, _ = run(tmp_path, ROWS, "glossary", "--dry-run")
    assert "terms.csv would import: 2 new" in out
    assert not Term.objects.exists()


def test_a_bad_row_fails_with_row_and_column_and_writes_nothing(tmp_path):
    rows = ROWS + "No definition,,\n"
    with pytest.raises(CommandError) as failure:
        run(tmp_path, rows, "glossary")
    assert failure.value.returncode == 1
    assert str(failure.value) == "Row 4, column “Short definition”: This field cannot be blank."
    assert not Term.objects.exists()


def test_the_problems_are_printed(tmp_path):
    path = tmp_path / "terms.csv"
    path.write_text(ROWS + "No definition,,\n")
    from io import StringIO

    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_content", "glossary", str(path), stdout=StringIO(), stderr=err)
    assert "Row 4, column “Short definition”: This field cannot be blank." in err.getvalue()


def test_a_malformed_file_names_where(tmp_path):
    with pytest.raises(CommandError, match=r"Column B \(row 1\), “Defn”, is not a column"):
        run(tmp_path, "Name,Defn\nA,b\n", "glossary")
    with pytest.raises(CommandError, match="not an Excel workbook"):
        run(tmp_path, b"nope", "glossary", name="terms.xlsx")
    with pytest.raises(CommandError, match="cannot be imported: choose one of faq, glossary"):
        run(tmp_path, ROWS, "articles")


def test_exit_code_from_the_shell(tmp_path):
    import subprocess
    import sys

    path = tmp_path / "bad.csv"
    path.write_text("Name,Defn\nA,b\n")
    done = subprocess.run(
        [sys.executable, "manage.py", "import_content", "glossary", str(path), "--dry-run"],
        capture_output=True,
        text=True,
        env={**__import__("os").environ, "DJANGO_SETTINGS_MODULE": "tests.settings"},
        timeout=120,
    )
    assert done.returncode == 1
    assert "Column B (row 1), “Defn”" in done.stderr


# -- from the command line, a file of a few hundred rows -------------------------------------

MANY = 300


def many_rows(bad_row=None):
    """MANY rows of terms; `bad_row` (a spreadsheet row number) has no short definition."""
    lines = ["Name,Short definition,Tags"]
    for row in range(2, MANY + 2):
        definition = "" if row == bad_row else f"Definition number {row}."
        lines.append(f"Imported term {row},{definition},bulk")
    return "\n".join(lines) + "\n"


def from_the_shell(tmp_path, capsys, content, name="terms.csv"):
    """`manage.py import_content glossary FILE` as the shell runs it (arguments parsed,
    system checks, CommandError turned into an exit status), in this process so that it
    uses the test database: (exit status, stdout, stderr)."""
    from django.core.management import ManagementUtility
    from django.db import connections

    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    # A command run from the shell closes every connection when it ends: on PostgreSQL
    # that would end the test's own transaction (SQLite's in-memory test database ignores
    # it). Everything else runs as the shell runs it.
    close_all, connections.close_all = connections.close_all, lambda: None
    try:
        ManagementUtility(["manage.py", "import_content", "glossary", str(path)]).execute()
        status = 0
    except SystemExit as exit_:
        status = exit_.code
    finally:
        connections.close_all = close_all
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_a_few_hundred_rows_show_progress_and_end_with_one_summary_line(tmp_path, capsys):
    status, out, err = from_the_shell(tmp_path, capsys, many_rows())
    assert status == 0
    assert err == ""
    lines = out.splitlines()
    *progress, last = lines
    # Not a terminal: a progress line at each tenth, then the summary, on one line.
    assert progress and all(line.lstrip().startswith("rows") for line in progress)
    assert progress[-1].endswith(f"{MANY}/{MANY}")
    assert 10 <= len(progress) <= 12
    assert re.fullmatch(
        rf"terms\.csv imported: {MANY} new, 0 updated, 0 unchanged, 0 with errors\. "
        r"\(\d+\.\d s\)",
        last,
    )
    assert Term.objects.filter(name__startswith="Imported term ").count() == MANY
    assert set(Term.objects.values_list("status", flat=True)) == {Status.DRAFT}


def test_a_bad_row_deep_in_the_file_exits_1_naming_it_and_writes_nothing(tmp_path, capsys):
    # Row 250 fails after 248 rows were read and checked: none of them is written.
    status, out, err = from_the_shell(tmp_path, capsys, many_rows(bad_row=250))
    assert status == 1
    assert "Row 250, column “Short definition”: This field cannot be blank." in err
    assert f"terms.csv was not imported, nothing was written: {MANY - 1} new" in out
    assert not Term.objects.exists()


def test_a_malformed_row_exits_1_naming_its_row_and_column(tmp_path, capsys):
    content = many_rows().replace(
        "Imported term 120,Definition number 120.,bulk\n",
        "Imported term 120,Definition number 120.,bulk,stray cell\n",
    )
    status, _, err = from_the_shell(tmp_path, capsys, content)
    assert status == 1
    assert "Row 120 has more cells than there are headings (column D has no heading)." in err
    assert not Term.objects.exists()


def test_a_file_of_both_languages_from_the_command_line(tmp_path):
    rows = (
        "Name,Slug,Language,Translation of,Short definition\n"
        "Exosoma,exosoma,Español,exosome,Una vesícula pequeña.\n"
        "Exosome,exosome,,,A small vesicle.\n"
    )
    out, _ = run(tmp_path, rows, "glossary")
    assert "terms.csv imported: 2 new, 0 updated, 0 unchanged, 0 with errors" in out
    spanish = Term.objects.get(language="es", slug="exosoma")
    assert spanish.translation_of == Term.objects.get(language="en", slug="exosome")
    again, _ = run(tmp_path, rows, "glossary")
    assert "0 new, 0 updated, 2 unchanged, 0 with errors" in again


def test_a_bad_language_fails_naming_row_and_column_and_writes_nothing(tmp_path):
    rows = "Name,Language,Short definition\nExosome,en,A vesicle.\nExosoma,castellano,Una.\n"
    with pytest.raises(CommandError) as failure:
        run(tmp_path, rows, "glossary")
    assert str(failure.value).startswith(
        "Row 3, column “Language”: “castellano” is not a language of this site"
    )
    assert not Term.objects.exists()
