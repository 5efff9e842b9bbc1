"""`manage.py import_content`: progress, a one-line summary, exit codes, and nothing
written for a bad file."""

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
