import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from exosite.kernel.frontmatter import FrontMatterError, parse, read
from trust.models import Page
from trust.policy_pages import PAGES_DIR, policy_pages

ROOT = Path(__file__).resolve().parents[2]

ARTICLE = """+++
title = "What are exosomes?"
published_at = 2026-03-04T09:00:00+00:00
reviewed_at = 2026-10-12
tags = ["biology", "cells"]

[[references]]
citation = "Théry C, et al. MISEV2018."
pmid = ""
+++

Almost every cell releases vesicles [1].

## Key points

- One
  - indented
+++ this line is body text
"""


def test_reads_front_matter_as_toml_and_the_body_as_written(tmp_path):
    path = tmp_path / "what-are-exosomes.md"
    path.write_text(ARTICLE, encoding="utf-8")
    metadata, body = read(path)
    assert metadata == {
        "title": "What are exosomes?",
        "published_at": datetime(2026, 3, 4, 9, tzinfo=UTC),
        "reviewed_at": date(2026, 10, 12),
        "tags": ["biology", "cells"],
        "references": [{"citation": "Théry C, et al. MISEV2018.", "pmid": ""}],
    }
    assert body == (
        "Almost every cell releases vesicles [1].\n\n## Key points\n\n- One\n  - indented\n"
        "+++ this line is body text"
    )


def test_body_keeps_its_first_indent_and_loses_only_blank_lines_around_it():
    assert parse("+++\n+++\n\n  \n    code block\n\ntext  \n\n\n") == ({}, "    code block\n\ntext")


def test_windows_line_endings_and_a_byte_order_mark_are_accepted(tmp_path):
    path = tmp_path / "page.md"
    path.write_bytes('\ufeff+++\r\ntitle = "Privacy"\r\n+++\r\nLine one\r\nLine two\r\n'.encode())
    assert read(path) == ({"title": "Privacy"}, "Line one\nLine two")


def test_empty_front_matter_and_empty_body():
    assert parse("+++\n+++\n") == ({}, "")
    assert parse("+++\n+++") == ({}, "")


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("", 1, "must start with front matter"),
        ("title = 'x'\n+++\nbody\n", 1, "must start with front matter"),
        ("\n+++\ntitle = 'x'\n+++\n", 1, "must start with front matter"),
        ("+++\ntitle = 'x'\nbody\n", 1, "never closed"),
        ("+++\ntitle = 'x'\nslug = \n+++\nbody\n", 3, "not valid TOML: Invalid value"),
        ("+++\ntitle = 'x'\ntitle = 'y'\n+++\n", 3, "not valid TOML: Cannot overwrite a value"),
        ('+++\na = 1\nb = "unterminated\n+++\n', 3, "not valid TOML: Illegal character"),
        ("+++\na = [1,\n\n+++\n", 4, "not valid TOML: Invalid value before the closing +++"),
    ],
)
def test_malformed_front_matter_names_the_file_and_line(tmp_path, text, line, message):
    path = tmp_path / "broken.md"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(FrontMatterError) as error:
        read(path)
    assert error.value.path == str(path)
    assert error.value.line == line
    assert message in error.value.message
    assert str(error.value).startswith(f"{path}:{line}: ")
    assert "(at " not in str(error.value)  # tomllib's own position would contradict ours


def test_a_file_that_is_not_utf8_names_the_file(tmp_path):
    path = tmp_path / "latin1.md"
    path.write_bytes('+++\ntitle = "Caf\xe9"\n+++\n'.encode("latin-1"))
    with pytest.raises(FrontMatterError, match=r"latin1\.md: not UTF-8 text"):
        read(path)


def test_parse_names_what_it_was_given():
    with pytest.raises(FrontMatterError, match=r"^pages/about\.md:1: "):
        parse("no front matter", "pages/about.md")


def test_the_reader_imports_nothing_of_the_project():
    code = (
        "import sys; import exosite.kernel.frontmatter; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in "
        "{'exosite', 'django', 'articles', 'glossary', 'faq', 'trust'}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "['exosite', 'exosite.kernel', 'exosite.kernel.frontmatter']"


# The prose that uses it ------------------------------------------------------------------


def test_every_prose_file_in_the_repository_reads():
    paths = [*ROOT.glob("exosite/demo/*/*.md"), *PAGES_DIR.glob("*.md")]
    assert len(paths) > 80
    for path in paths:
        metadata, body = read(path)
        assert metadata["slug"] == path.stem
        assert body


@pytest.mark.django_db
def test_policy_pages_are_created_from_their_files():
    pages = policy_pages()
    assert [page["slug"] for page in pages] == [
        "about",
        "editorial-policy",
        "medical-disclaimer",
        "privacy",
        "funding",
        "contact",
    ]
    for data in pages:
        page = Page.objects.get(slug=data["slug"])
        stored = {key: getattr(page, key) for key in data}
        assert stored == data
        assert page.body_html.startswith("<")


def test_a_policy_page_file_with_unknown_fields_is_refused(tmp_path):
    (tmp_path / "about.md").write_text(
        '+++\ntitle = "About"\nslug = "about"\nsummary = ""\nposition = 1\nin_footer = true\n'
        "footer = false\n+++\nText\n",
        encoding="utf-8",
    )
    with pytest.raises(FrontMatterError, match=r"about\.md: .*unknown.*footer"):
        policy_pages(tmp_path)
