"""The interface's translation is complete: no template string left unmarked, and every marked
string (templates and Python) translated into Spanish in locale/es/LC_MESSAGES/django.po.

Two checks, each shown to fail on a string that breaks it:

- every template's text outside {% translate %} / {% blocktranslate %} is read as a visitor
  would (tags, URLs, classes, ids, entities and {{ variables }} left out; the human text of
  alt, title, aria-label and placeholder attributes and of the page description kept), and
  any word left is an unmarked string, named by file and line;
- Django's makemessages (GNU gettext's xgettext) gathers the strings of a copy of the
  project into a copy of the catalogue: each must be there, translated and not fuzzy, with
  the same placeholders as its English.
"""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.template.base import Lexer, TokenType

ROOT = Path(settings.BASE_DIR)
CATALOGUE = ROOT / "locale" / "es" / "LC_MESSAGES" / "django.po"

# Proper names and technical names that read the same in every language.
PROPER_NAMES = {
    "Exosite",  # the site's name
    "DOI",
    "doi",  # "doi:10.1000/x", a reference's identifier as written
    "PubMed",
    "ORCID",
    "BibTeX",  # file formats offered for download
    "RIS",
    "SKOS",
    "Turtle",
    "JSON",
    "JSON-LD",
    "summary",  # the twitter:card values ("summary", "summary_large_image")
    "summary_large_image",
}
# Templates the check leaves out, and why.
SKIPPED = (
    # The staff admin stays in English (issue 17 asks for the visitors' interface); our own
    # admin templates are staff pages. Their marked strings (the insight dashboard's) are
    # still gathered and must be translated: see test_every_marked_string_is_translated.
    "admin/",
    # The reference library's paste box: an admin widget.
    "library/paste_widget.html",
)
# Attributes whose values people read or hear.
HUMAN_ATTRIBUTES = ("alt", "title", "aria-label", "placeholder")
# <meta> whose content is shown as text (search results, link previews).
HUMAN_META = re.compile(
    r"""(?:name|property)\s*=\s*["'](?:description|og:title|og:description|og:image:alt)["']""",
    re.I,
)
MASK = "\x00"  # what a tag, a variable or translated text becomes
TAG_RE = re.compile(r"<(?!!--)[^>]*>", re.S)
COMMENT_RE = re.compile(r"<!--.*?-->", re.S)
RAW_ELEMENT_RE = re.compile(r"<(script|style)\b[^>]*>.*?</\1\s*>", re.S | re.I)
ATTRIBUTE_RE = re.compile(r"""([\w:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.S)
ENTITY_RE = re.compile(r"&(?:#\d+|#x[0-9a-f]+|\w+);", re.I)
WORD_RE = re.compile(r"[^\W\d]+(?:[’'_-][^\W\d]+)*")

TRANSLATING = {"blocktranslate": "endblocktranslate", "blocktrans": "endblocktrans"}
OPAQUE = {"comment": "endcomment", "verbatim": "endverbatim"}


def masked(source):
    """The template as a visitor's text: everything Django writes (variables, tags) and all
    text inside blocktranslate, comment and verbatim blocks replaced by MASK, with its line
    breaks kept so that line numbers still match."""
    out, closing = [], None
    for token in Lexer(source).tokenize():
        text = token.contents
        if token.token_type == TokenType.BLOCK:
            name = text.split(maxsplit=1)[0] if text.strip() else ""
            if closing is None and name in TRANSLATING | OPAQUE:
                closing = (TRANSLATING | OPAQUE)[name]
            elif name == closing:
                closing = None
            out.append(MASK + "\n" * text.count("\n"))
        elif token.token_type == TokenType.TEXT and closing is None:
            out.append(text)
        else:
            out.append(MASK + "\n" * text.count("\n"))
    return "".join(out)


def words_of(text):
    text = ENTITY_RE.sub(" ", text.replace(MASK, " "))
    return [word for word in WORD_RE.findall(text) if word not in PROPER_NAMES]


def unmarked(source):
    """[(line, words)] of the text a visitor would read that is not marked for translation."""
    text = masked(source)
    # Blank out what is not human text, keeping the line breaks.
    blank = lambda found: re.sub(r"[^\n]", " ", found.group(0))  # noqa: E731
    text = COMMENT_RE.sub(blank, RAW_ELEMENT_RE.sub(blank, text))
    found = []

    def line_of(offset):
        return text.count("\n", 0, offset) + 1

    def check_attributes(markup, offset):
        attributes = {
            name.lower(): value_dq if value_dq is not None else value_sq
            for name, value_dq, value_sq in ATTRIBUTE_RE.findall(markup)
        }
        human = [attributes[name] for name in HUMAN_ATTRIBUTES if name in attributes]
        if markup[1:5].lower() == "meta" and HUMAN_META.search(markup):
            human += [attributes["content"]] if "content" in attributes else []
        for value in human:
            if words := words_of(value):
                found.append((line_of(offset), words))

    for tag in TAG_RE.finditer(text):
        check_attributes(tag.group(0), tag.start())
    between = TAG_RE.sub(blank, text)
    # Attributes outside a tag: a partial included inside one (includes/typeahead_strings).
    for attribute in ATTRIBUTE_RE.finditer(between):
        check_attributes(attribute.group(0), attribute.start())
    between = ATTRIBUTE_RE.sub(blank, between)
    for number, line in enumerate(between.split("\n"), start=1):
        if words := words_of(line):
            found.append((number, words))
    return sorted(found)


def template_files():
    """Every template of the project: templates/ and each app's templates/ folder."""
    folders = [ROOT / "templates"] + sorted(
        path
        for path in ROOT.glob("*/templates")
        if path.parent.name not in {"tests", "node_modules"}
    )
    folders += sorted(ROOT.glob("exosite/*/templates"))
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            name = path.relative_to(folder).as_posix()
            if path.is_file() and not name.startswith(SKIPPED):
                yield path, name


def test_every_template_string_is_marked_for_translation():
    problems = []
    checked = 0
    for path, _name in template_files():
        checked += 1
        for line, words in unmarked(path.read_text()):
            shown = " ".join(words[:8])
            problems.append(f"{path.relative_to(ROOT)}:{line}: {shown}")
    assert checked > 50, "the check read too few templates: is it looking in the right place?"
    assert not problems, "Text not marked for translation:\n" + "\n".join(problems)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("<p>Hello there</p>", [(1, ["Hello", "there"])]),
        (
            '{% load i18n %}\n<a href="/x/" title="Go home">{% translate "Home" %}</a>',
            [(2, ["Go", "home"])],
        ),
        ('<img src="a.png" alt="A smiling cell">', [(1, ["A", "smiling", "cell"])]),
        (
            '<input placeholder="e.g. vesicles" aria-label="{% translate "Search" %}">',
            [(1, ["e", "g", "vesicles"])],
        ),
        ('<meta name="description" content="About exosomes">', [(1, ["About", "exosomes"])]),
        ("{% if x %}\n  Sorry{% endif %}", [(2, ["Sorry"])]),
        ("{% block title %}Tags · {{ site_name }}{% endblock %}", [(1, ["Tags"])]),
    ],
)
def test_the_check_finds_an_unmarked_string(source, expected):
    assert unmarked(source) == expected


@pytest.mark.parametrize(
    "source",
    [
        '{% load i18n %}<p>{% translate "Hello there" %}</p>',
        "{% load i18n %}<p>{% blocktranslate trimmed %}Hello <b>{{ name }}</b>"
        "{% endblocktranslate %}</p>",
        '<a class="tag big" href="/tags/x-y/" id="top" rel="tag">{{ tag.name }}</a>',
        "{% comment %}Notes for developers.{% endcomment %}{# a comment #}<!-- html note -->",
        "<p>{{ a }} · {{ b }}: PubMed&nbsp;{{ c }} — DOI</p>",
        '<meta name="twitter:card" content="summary"><meta property="og:type" content="website">',
        '<link rel="stylesheet" href="{% static \'css/site.css\' %}" media="print">',
    ],
)
def test_the_check_passes_what_needs_no_translation(source):
    assert unmarked(source) == []


PLACEHOLDER_RE = re.compile(r"%\(\w+\)[sd]|\{n\}")


def placeholders(text):
    return sorted(PLACEHOLDER_RE.findall(text))


def problems_in(catalogue):
    """What keeps a catalogue from being complete: untranslated, fuzzy, a placeholder lost."""
    problems = []
    for entry in catalogue:
        if entry.obsolete:
            continue
        where = f"{entry.msgid!r} ({entry.occurrences[0][0] if entry.occurrences else '?'})"
        if "fuzzy" in entry.flags:
            problems.append(f"fuzzy: {where}")
        if entry.msgid_plural:
            forms = [entry.msgstr_plural.get(n, "") for n in range(2)]
            if not all(forms):
                problems.append(f"untranslated: {where}")
            elif placeholders(forms[1]) != placeholders(entry.msgid_plural):
                problems.append(f"placeholders differ: {where}")
        elif not entry.msgstr:
            problems.append(f"untranslated: {where}")
        elif placeholders(entry.msgstr) != placeholders(entry.msgid):
            problems.append(f"placeholders differ: {where}")
    return problems


def test_the_committed_catalogue_is_spanish_with_two_plural_forms():
    catalogue = polib.pofile(str(CATALOGUE))
    assert catalogue.metadata["Language"] == "es"
    assert catalogue.metadata["Plural-Forms"] == "nplurals=2; plural=(n != 1);"
    assert not catalogue.metadata_is_fuzzy
    assert len(catalogue) > 300
    assert problems_in(catalogue) == []


def copy_project(into):
    """A copy of the project's source in `into`, so that makemessages leaves the working
    tree and its catalogue alone."""
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.mo", "media", "staticfiles")
    for name in ("exosite", "articles", "glossary", "faq", "trust", "library", "templates"):
        shutil.copytree(ROOT / name, into / name, ignore=ignore)
    shutil.copytree(ROOT / "locale", into / "locale", ignore=ignore)
    shutil.copy(ROOT / "manage.py", into / "manage.py")


def gather_strings(project):
    """`make messages`' makemessages run in `project`; its catalogue afterwards."""
    if not shutil.which("xgettext"):
        pytest.fail("xgettext (GNU gettext) is missing: scripts/system-deps installs it")
    result = subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "es", "--verbosity", "0"],
        cwd=project,
        capture_output=True,
        text=True,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "exosite.settings", "DJANGO_DEBUG": "1"},
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    return polib.pofile(str(project / "locale" / "es" / "LC_MESSAGES" / "django.po"))


def test_every_marked_string_is_translated(tmp_path):
    copy_project(tmp_path)
    gathered = gather_strings(tmp_path)
    assert len([entry for entry in gathered if not entry.obsolete]) > 300
    problems = problems_in(gathered)
    assert not problems, (
        "Run `make messages` and translate these in locale/es/LC_MESSAGES/django.po:\n"
        + "\n".join(problems)
    )


def test_the_catalogue_check_fails_on_a_string_nobody_translated(tmp_path):
    copy_project(tmp_path)
    (tmp_path / "templates" / "zz_new.html").write_text(
        '{% load i18n %}<p>{% translate "A sentence nobody translated" %}</p>'
    )
    problems = problems_in(gather_strings(tmp_path))
    assert "untranslated: 'A sentence nobody translated' (templates/zz_new.html)" in problems
