"""Citations: `[@key]` in the text, numbered by the order of first citation.

Text cites references from the shared library by key (`[@welsh2024]`), by DOI
(`[@doi:10.1002/jev2.12404]`) or by PubMed ID (`[@pmid:38326288]`), several at once as
`[@a; @b]`. Linking (exosite.kernel.linking) numbers each item's references in the order
the text first cites them and prints `[1]`, `[2, 3]`, `[4–6]`, each number a link to the
item's reference list, which is printed in the same order. Nobody types a number.

The library is an app (`library`); it registers itself as the source here, so the kernel
imports no app. Without a source nothing resolves, and every citation is reported.
"""

import re
from dataclasses import dataclass

from django.db import connection

from exosite.ops import versions

from . import memo

KEY = r"[A-Za-z0-9][A-Za-z0-9_-]{0,59}"
PART = rf"@(?:doi:10\.\d{{4,9}}/[^\s;\[\]<>]{{1,190}}|pmid:\d{{1,9}}|{KEY})"
CITE_RE = re.compile(rf"\[\s*({PART}(?:\s*;\s*{PART}){{0,49}})\s*\]")
PART_RE = re.compile(PART)
# Brackets that look meant as a citation but are not one ([see @a], [@a, @b], [@a p. 3]):
# an @ starting a word inside [...]. A problem to fix, not text to leave silently.
LOOSE_RE = re.compile(r"\[[^\[\]]{0,300}?(?<![^\s\[;,])@[A-Za-z0-9][^\[\]]{0,300}\]")
# Numbered citations as typed before the library: now a problem to fix.
NUMBERED_RE = re.compile(
    r"\[(\d{1,3}(?:\s*[-–]\s*\d{1,3})?(?:\s*,\s*\d{1,3}(?:\s*[-–]\s*\d{1,3})?)*)\]"
)


@dataclass(frozen=True)
class Cited:
    """A library reference as linking sees it: enough to number it and find it again."""

    pk: int
    key: str


def written_keys(inner):
    """The keys as written inside one citation: "doi:10.1/x", "pmid:1", "welsh2024"."""
    return [part.group(0)[1:] for part in PART_RE.finditer(inner)]


def normal(written):
    """How a written key is looked up: keys and PMIDs as they are, DOIs in lower case."""
    kind, _, value = written.partition(":")
    if kind == "doi" and value:
        return f"doi:{value.lower()}"
    if kind == "pmid" and value:
        return written
    return written.lower()


def keys_in(text):
    """Every key `text` cites, normalised, in order of first citation."""
    found = {}
    for match in CITE_RE.finditer(text):
        for written in written_keys(match.group(1)):
            found.setdefault(normal(written), None)
    return list(found)


_source = None
_version = memo.Memo("library version", size=4)


def register(source):
    """Make `source` the library citations resolve against (the library app's ready()).

    A source has `resolve(keys) -> {normal key: Cited}`, `version() -> str` (changes when
    any reference is added, changed or removed), `record(obj, cited)` (store which
    references `obj` cites, in order) and `records(pks) -> {pk: reference}`."""
    global _source
    _source = source


def source():
    return _source


def resolve(keys):
    return _source.resolve(keys) if _source is not None and keys else {}


def version():
    """Changes whenever a citation could resolve differently. Kept for each live content
    version (the library's tables are content: exosite.ops.versions), like a kind's link
    version (exosite.kernel.kinds.ContentKind.version)."""
    if _source is None:
        return ""
    if connection.in_atomic_block or not versions.supported():
        return _source.version()
    live = versions.live()
    known = _version.get("library")
    if known is not None and known[0] == live:
        return known[1]
    value = _source.version()
    _version.set("library", (live, value))
    return value


def record(obj, cited):
    if _source is not None:
        _source.record(obj, cited)


def records(cited):
    """The reference records for `cited` ([Cited]), in the same order (one query)."""
    if _source is None or not cited:
        return []
    found = _source.records([reference.pk for reference in cited])
    return [found[reference.pk] for reference in cited if reference.pk in found]


def numbers_text(numbers):
    """[1, 2, 3, 5] -> [(1, "–", 3), (5, None, None)]: runs of three or more as ranges."""
    runs = []
    for number in numbers:
        if runs and number == runs[-1][-1] + 1:
            runs[-1].append(number)
        else:
            runs.append([number])
    parts = []
    for run in runs:
        if len(run) >= 3:
            parts.append((run[0], run[-1]))
        else:
            parts.extend((n, None) for n in run)
    return parts


@dataclass(frozen=True)
class Listed:
    """One entry of an item's reference list: its number, the library record, and the ids
    of the places in the text that cite it."""

    number: int
    reference: object
    cited_at: tuple


def listed(rendered):
    """The reference list of a linked fragment (exosite.kernel.linking.Rendered), in
    number order (one query)."""
    return listed_many([rendered])[0]


def listed_many(fragments):
    """The reference lists of several linked fragments, one list each (one query for all:
    a page of FAQ answers asks once)."""
    wanted = {cited.pk for rendered in fragments for cited in rendered.references}
    found = _source.records(sorted(wanted)) if _source is not None and wanted else {}
    return [
        [
            Listed(number, found[cited.pk], tuple(rendered.citations.get(number, ())))
            for number, cited in enumerate(rendered.references, 1)
            if cited.pk in found
        ]
        for rendered in fragments
    ]


ANCHOR_RE = re.compile(r'(id="|href="#)(cite|ref)-(\d{1,7})"')


def scope_anchors(html, prefix):
    """Linked HTML whose citation anchors (`cite-N`, links to `ref-N`) start with `prefix`,
    for a page that shows several items' texts, each with its own references
    (includes/references.html takes the same prefix). Visitors' text cannot hold these:
    sanitising drops ids, and linking writes them."""
    return ANCHOR_RE.sub(lambda found: f'{found[1]}{prefix}{found[2]}-{found[3]}"', html)
