"""A .bib or .ris file of many references -> what adding them to the library would do.

Each record of the file is read on its own by the same reader as the admin's paste box
(library.parsing), so that a problem names its entry: "Entry 3: ...". An entry whose DOI
or PubMed ID is already in the library (or earlier in the file) is not added again; the
others are checked as the reference form checks them and get a free citation key. No
lookups at Crossref or PubMed: the file is taken as the reference manager wrote it.
"""

import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction

from . import parsing
from .identifiers import key_base
from .models import Reference, next_free

MAX_BYTES = 2_000_000
MAX_ENTRIES = 2_000
RIS_END_RE = re.compile(r"^ER\s{1,2}-.*$", re.MULTILINE)
BIBTEX_SKIPPED = ("comment", "string", "preamble")

NEW, EXISTING, DUPLICATE, ERROR = "new", "existing", "duplicate", "error"


@dataclass
class Entry:
    number: int
    status: str = NEW
    fields: dict = field(default_factory=dict)
    problems: list = field(default_factory=list)  # why it cannot be added (ERROR)
    notes: list = field(default_factory=list)  # what was left out of it
    existing: Reference | None = None
    duplicate_of: int | None = None

    @property
    def reference(self):
        return Reference(**self.fields)


@dataclass
class Reading:
    format: str
    entries: list

    def count(self, status):
        return sum(1 for entry in self.entries if entry.status == status)

    @property
    def summary(self):
        return (
            f"{self.count(NEW)} new, {self.count(EXISTING)} already in the library, "
            f"{self.count(DUPLICATE)} repeated in the file, {self.count(ERROR)} with errors"
        )

    @property
    def errors(self):
        return [entry for entry in self.entries if entry.status == ERROR]


class FileError(ValueError):
    """A file that cannot be read at all; str() is the message for the editor."""


def records(text):
    """("BibTeX" | "RIS", [the text of each record]) of a whole file."""
    text = text.replace("\ufeff", "").replace("\r\n", "\n").replace("\r", "\n")
    starts = [m.start() for m in parsing.BIBTEX_RE.finditer(text)]
    if starts:
        chunks = [text[a:b] for a, b in zip(starts, [*starts[1:], len(text)], strict=True)]
        kept = [
            chunk
            for chunk in chunks
            if chunk.lstrip().lstrip("@").split("{")[0].split("(")[0].strip().lower()
            not in BIBTEX_SKIPPED
        ]
        return "BibTeX", kept
    normal = parsing.RIS_TAG_RE.sub(r"\1  - ", text)
    if parsing.RIS_START_RE.search(normal):
        chunks, start = [], 0
        for end in RIS_END_RE.finditer(normal):
            chunks.append(normal[start : end.end()])
            start = end.end()
        if normal[start:].strip():
            chunks.append(normal[start:])
        return "RIS", [chunk for chunk in chunks if chunk.strip()]
    raise FileError(
        "This is not a BibTeX (.bib) or RIS (.ris) file: no record such as “@article{…}” "
        "or “TY  - JOUR” was found in it."
    )


def decode(data):
    if len(data) > MAX_BYTES:
        raise FileError(
            f"The file is too large ({len(data):,} bytes; at most {MAX_BYTES:,}). Split it."
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise FileError(
            f"The file is not UTF-8 text: byte {error.start + 1} (line {line}) cannot be "
            "read. Export it again as UTF-8 (Unicode) from your reference manager."
        ) from None


def read(text):
    """What adding the file's references would do, entry by entry (nothing is saved)."""
    file_format, chunks = records(text)
    if len(chunks) > MAX_ENTRIES:
        raise FileError(
            f"The file holds {len(chunks):,} records; at most {MAX_ENTRIES:,} at a time."
        )
    entries = []
    for number, chunk in enumerate(chunks, 1):
        entry = Entry(number)
        entries.append(entry)
        try:
            parsed = parsing.parse(chunk)
        except parsing.ParseError as error:
            entry.status, entry.problems = ERROR, [str(error)]
            continue
        entry.fields = dict(parsed.entries[0])
        entry.notes = list(parsed.problems)
    check(entries)
    return Reading(file_format, entries)


def check(entries):
    """Mark what is in the library already (by DOI or PubMed ID) or earlier in the file,
    give the others a free key, and check them as the reference form does."""
    readable = [entry for entry in entries if entry.status != ERROR]
    dois = {e.fields["doi"] for e in readable if e.fields.get("doi")}
    pmids = {e.fields["pmid"] for e in readable if e.fields.get("pmid")}
    stored = {}
    for reference in Reference.objects.filter(doi__in=dois):
        stored[("doi", reference.doi)] = reference
    for reference in Reference.objects.filter(pmid__in=pmids):
        stored[("pmid", reference.pmid)] = reference
    bases = {key_base(e.fields.get("authors", ""), e.fields.get("year")) for e in readable}
    taken = set()
    for base in bases:
        taken |= set(Reference.objects.filter(key__startswith=base).values_list("key", flat=True))
    seen = {}
    for entry in readable:
        identifiers = [(name, entry.fields.get(name)) for name in ("doi", "pmid")]
        identifiers = [pair for pair in identifiers if pair[1]]
        if found := next((stored[pair] for pair in identifiers if pair in stored), None):
            entry.status, entry.existing = EXISTING, found
            continue
        if earlier := next((seen[pair] for pair in identifiers if pair in seen), None):
            entry.status, entry.duplicate_of = DUPLICATE, earlier
            continue
        for pair in identifiers:
            seen[pair] = entry.number
        key = next_free(key_base(entry.fields.get("authors", ""), entry.fields.get("year")), taken)
        entry.fields["key"] = key
        try:
            entry.reference.full_clean(validate_unique=False)
        except ValidationError as error:
            entry.status = ERROR
            entry.problems = [
                f"{label(name)}: {message}"
                for name, messages in error.message_dict.items()
                for message in messages
            ]
            continue
        taken.add(key)


def label(name):
    if name == "__all__":
        return "The record"
    return str(Reference._meta.get_field(name).verbose_name).capitalize()


def add(reading, user=None, file_name=""):
    """Add the new entries, all or none. Returns the references added."""
    added = []
    with transaction.atomic():
        for entry in reading.entries:
            if entry.status != NEW:
                continue
            reference = entry.reference
            reference._history_user = user
            reference._change_reason = f"Imported from {file_name}" if file_name else "Imported"
            reference.save()
            added.append(reference)
    return added
