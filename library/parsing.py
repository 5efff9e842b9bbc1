"""Pasted text -> Reference fields.

An editor pastes whatever they have: a DOI or doi.org address, a PubMed ID or pubmed
address, BibTeX, RIS or CSL-JSON exported from a reference manager or a publisher's page,
or a printed citation that ends in "doi: ..." or "PMID: ...". `parse()` says which it is
and gives each record as a dict of `Reference` fields: authors in the house (Vancouver)
style, DOI and PMID in their stored spelling (library.identifiers), every value cut to its
column's length. What cannot be read is a `ParseError` whose message is for the editor.

The work is bounded whatever is pasted: at most MAX_TEXT characters and MAX_ENTRIES
records, and the parsers used are linear in their input.
"""

import contextlib
import json
import re
from dataclasses import dataclass, field
from html import unescape

import bibtexparser
import rispy
from bibtexparser.middlewares import LatexDecodingMiddleware, SeparateCoAuthors, SplitNameParts
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.html import strip_tags

from .identifiers import DOI_PREFIXES, PMID_PREFIXES, normalise_doi, normalise_pmid

MAX_TEXT = 100_000
MAX_ENTRIES = 50
# More authors than this: the first SHOWN, then "et al." (as PubMed prints citations).
MAX_AUTHORS = 6
SHOWN_AUTHORS = 3

# The Reference columns' lengths (library.models), so a fill never fails on length.
LIMITS = {
    "authors": 500,
    "title": 2000,
    "journal": 300,
    "volume": 30,
    "issue": 30,
    "pages": 60,
    "url": 500,
}

EXAMPLES = (
    "Paste a DOI (10.1002/jev2.12404), a PubMed ID (38326288), or a record exported from "
    "a reference manager: BibTeX (@article{…}), RIS (lines such as “TY  - JOUR”) or CSL-JSON."
)

BIBTEX_RE = re.compile(r"^\s*@\s*[A-Za-z]+\s*[{(]", re.MULTILINE)
RIS_TAG_RE = re.compile(r"^([A-Z][A-Z0-9])[ \t]+-(?:[ \t]|$)", re.MULTILINE)
RIS_START_RE = re.compile(r"^TY  - ", re.MULTILINE)
# A DOI inside other text ("... 2024;13(2):e12404. doi: 10.1002/jev2.12404. PMID: ...").
DOI_IN_TEXT_RE = re.compile(r"\b10\.\d{4,9}/[^\s\"'<>]+")
PMID_IN_TEXT_RE = re.compile(
    r"(?:\bPMID:?\s*|pubmed\.ncbi\.nlm\.nih\.gov/|ncbi\.nlm\.nih\.gov/pubmed/)(\d{1,9})\b",
    re.IGNORECASE,
)
PUBMED_URL_RE = re.compile(
    r"^(?:https?://)?(?:www\.)?(?:pubmed\.ncbi\.nlm\.nih\.gov/|ncbi\.nlm\.nih\.gov/pubmed/)"
    r"(\d{1,9})/?(?:[?#]\S*)?$",
    re.IGNORECASE,
)
YEAR_RE = re.compile(r"(?<!\d)(1[5-9]\d\d|20\d\d|21\d\d)(?!\d)")
INITIALS_RE = re.compile(r"^[A-Z]{1,4}$")
VANCOUVER_RE = re.compile(r"^\S.* [A-Z]{1,4}(?: (?:Jr|Sr|II|III|IV|2nd|3rd))?$")


class ParseError(ValueError):
    """Text the library cannot read; str() is the message for the editor."""


@dataclass
class Parsed:
    """What was pasted: its format, its records (Reference field dicts, only the fields it
    gives) and what was wrong with parts of them (e.g. a DOI that is not one)."""

    format: str
    entries: list = field(default_factory=list)
    problems: list = field(default_factory=list)


def parse(text):
    text = (text or "").replace("\ufeff", "").replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        raise ParseError(f"Nothing was pasted. {EXAMPLES}")
    if len(text) > MAX_TEXT:
        raise ParseError(
            f"The text is too long ({len(text):,} characters; at most {MAX_TEXT:,}). "
            "Paste one reference at a time."
        )
    if text[0] in "[{":
        parsed = parse_csl_json(text)
    elif BIBTEX_RE.search(text):
        parsed = parse_bibtex(text)
    elif RIS_START_RE.search(RIS_TAG_RE.sub(r"\1  - ", text)):
        parsed = parse_ris(text)
    else:
        parsed = parse_identifiers(text)
    if not parsed.entries:
        raise ParseError(f"No reference was found in the {parsed.format}. {EXAMPLES}")
    return parsed


# -- identifiers ----------------------------------------------------------------------


def parse_identifiers(text):
    """A bare DOI or PubMed ID (or address), or a printed citation that names them."""
    single = "\n" not in text and len(text) <= 300
    lowered = text.lower()
    if single and (lowered.startswith(DOI_PREFIXES) or text.startswith("10.")):
        return Parsed("DOI", [{"doi": _identifier(normalise_doi, text)}])
    if single and (match := PUBMED_URL_RE.match(text)):
        return Parsed("PubMed ID", [{"pmid": match.group(1)}])
    if single and (text.isdigit() or lowered.startswith(PMID_PREFIXES)):
        return Parsed("PubMed ID", [{"pmid": _identifier(normalise_pmid, text)}])
    fields = {}
    if match := DOI_IN_TEXT_RE.search(text):
        with contextlib.suppress(ValidationError):
            fields["doi"] = normalise_doi(match.group(0).rstrip(".,;:)]}"))
    if match := PMID_IN_TEXT_RE.search(text):
        with contextlib.suppress(ValidationError):
            fields["pmid"] = normalise_pmid(match.group(1))
    if not fields:
        raise ParseError(
            "This is not a DOI, a PubMed ID, BibTeX, RIS or CSL-JSON, and no DOI or "
            f"PubMed ID was found in it. {EXAMPLES}"
        )
    return Parsed("text", [fields])


def _identifier(normalise, text):
    try:
        return normalise(text)
    except ValidationError as error:
        raise ParseError(error.messages[0]) from None


# -- CSL-JSON ---------------------------------------------------------------------------


def parse_csl_json(text):
    try:
        data = json.loads(text)
    except RecursionError:
        raise ParseError("The JSON is nested too deeply to be CSL-JSON.") from None
    except ValueError as error:
        raise ParseError(
            f"This looks like JSON but could not be read ({error.msg}, line {error.lineno} "
            f"column {error.colno}). Paste CSL-JSON as exported, e.g. from Zotero or "
            "doi.org."
        ) from None
    items = data if isinstance(data, list) else [data]
    if len(items) > MAX_ENTRIES:
        raise _too_many(len(items))
    if not all(isinstance(item, dict) for item in items):
        raise ParseError("This JSON is not CSL-JSON: each record should be an object {…}.")
    parsed = Parsed("CSL-JSON")
    for item in items:
        if not any(key in item for key in ("title", "DOI", "PMID", "author", "URL")):
            raise ParseError(
                "This JSON is not CSL-JSON: a record has none of title, author, DOI, PMID or URL."
            )
        parsed.entries.append(csl_record(item, parsed.problems))
    return parsed


def csl_record(item, problems):
    """Fields from one CSL-JSON item (also the shape of a Crossref work record)."""
    names = item.get("author") or []
    authors = [csl_name(name) for name in names if isinstance(name, dict)]
    return record(
        problems,
        authors=authors,
        title=_first(item.get("title")),
        journal=(
            _first(item.get("container-title-short"))
            or _first(item.get("journalAbbreviation"))
            or _first(item.get("short-container-title"))
            or _first(item.get("container-title"))
            or _first(item.get("publisher"))
        ),
        year=csl_year(item),
        volume=item.get("volume"),
        issue=item.get("issue"),
        pages=item.get("page") or item.get("article-number") or item.get("number"),
        doi=item.get("DOI"),
        pmid=item.get("PMID"),
        url=item.get("URL"),
    )


def csl_name(name):
    if name.get("literal") or name.get("name"):
        return _text(name.get("literal") or name.get("name"))
    particle = " ".join(
        _text(name.get(key)) for key in ("dropping-particle", "non-dropping-particle")
    )
    return vancouver_name(
        family=_text(name.get("family")),
        given=_text(name.get("given")),
        suffix=_text(name.get("suffix")),
        particle=particle,
    )


def csl_year(item):
    for key in ("issued", "published-print", "published-online", "published", "created"):
        date = item.get(key)
        if isinstance(date, dict):
            parts = date.get("date-parts")
            if isinstance(parts, list) and parts and isinstance(parts[0], list) and parts[0]:
                return parts[0][0]
            if date.get("raw") or date.get("literal"):
                return date.get("raw") or date.get("literal")
        elif date:
            return date
    return None


# -- BibTeX ---------------------------------------------------------------------------


def parse_bibtex(text):
    library = bibtexparser.parse_string(text)
    entries = library.entries
    if len(entries) > MAX_ENTRIES:
        raise _too_many(len(entries))
    if not entries and library.failed_blocks:
        block = library.failed_blocks[0]
        reason = str(getattr(block, "error", "") or "").strip().splitlines()
        raise ParseError(
            "This looks like BibTeX but could not be read"
            + (f" ({reason[-1].strip()})" if reason else "")
            + ". Check that every { has its }, and that fields are separated by commas."
        )
    # Identifiers and addresses as written (less LaTeX's escapes): decoding them as LaTeX
    # would end a URL at its first "%".
    raw = {
        entry.key: {f.key.lower(): _unescape_latex(f.value) for f in entry.fields}
        for entry in entries
    }
    for middleware in (
        # Keep {braces}: they protect "{US Food and Drug Administration}" from being split
        # into people at its "and", and are dropped after.
        LatexDecodingMiddleware(keep_braced_groups=True),
        SeparateCoAuthors(),
        SplitNameParts(),
    ):
        library = middleware.transform(library)
    parsed = Parsed("BibTeX")
    for block in library.failed_blocks:
        key = getattr(getattr(block, "ignore_error_block", None), "key", "")
        parsed.problems.append(
            f"The BibTeX entry {key} could not be read and was left out."
            if key
            else "Part of the BibTeX could not be read and was left out."
        )
    for entry in library.entries:
        identifiers = raw.get(entry.key, {})
        fields = {f.key.lower(): f.value for f in entry.fields}
        names = fields.get("author") if isinstance(fields.get("author"), list) else []
        et_al = any(_bib_text(part.last) == "others" for part in names)
        authors = [bibtex_name(part) for part in names if _bib_text(part.last) != "others"]
        pmid = identifiers.get("pmid")
        if not pmid and str(identifiers.get("eprinttype", "")).lower() == "pubmed":
            pmid = identifiers.get("eprint")
        parsed.entries.append(
            record(
                parsed.problems,
                authors=authors,
                et_al=et_al,
                title=_bib_text(fields.get("title")),
                journal=_bib_text(
                    fields.get("shortjournal")
                    or fields.get("journal")
                    or fields.get("journaltitle")
                    or fields.get("booktitle")
                    or fields.get("publisher")
                    or fields.get("institution")
                    or fields.get("organization")
                ),
                year=fields.get("year") or fields.get("date"),
                volume=fields.get("volume"),
                issue=fields.get("number") or fields.get("issue"),
                pages=fields.get("pages") or fields.get("eid"),
                doi=identifiers.get("doi"),
                pmid=pmid,
                url=identifiers.get("url"),
            )
        )
    return parsed


def bibtex_name(parts):
    if not parts.first and not parts.von and not parts.jr:
        return _bib_text(parts.last)  # one braced name: an organisation
    return vancouver_name(
        family=_bib_text(parts.last),
        given=_bib_text(parts.first),
        suffix=_bib_text(parts.jr),
        particle=_bib_text(parts.von),
    )


def _unescape_latex(value):
    return re.sub(r"\\([_%&#$])", r"\1", value) if isinstance(value, str) else value


def _bib_text(value):
    if isinstance(value, list):
        value = " ".join(value)
    return _text(str(value or "").replace("{", "").replace("}", ""))


# -- RIS --------------------------------------------------------------------------------


def parse_ris(text):
    # Exporters differ in the spaces around "-"; rispy reads "TY  - ".
    text = RIS_TAG_RE.sub(r"\1  - ", text)
    if not re.search(r"^ER  -", text, re.MULTILINE):
        text += "\nER  - "
    entries = rispy.loads(text, skip_unknown_tags=True)
    if len(entries) > MAX_ENTRIES:
        raise _too_many(len(entries))
    parsed = Parsed("RIS")
    for entry in entries:
        names = (entry.get("authors") or []) + (entry.get("first_authors") or [])
        start, end = _text(entry.get("start_page")), _text(entry.get("end_page"))
        pages = f"{start}-{end}" if start and end and end != start else start or end
        database = " ".join(
            str(entry.get(key, "")) for key in ("name_of_database", "database_provider")
        ).lower()
        pmid = ""
        accession = _text(entry.get("accession_number"))
        if accession.isdigit() and any(name in database for name in ("pubmed", "medline", "nlm")):
            pmid = accession
        urls = entry.get("urls") or []
        parsed.entries.append(
            record(
                parsed.problems,
                authors=[ris_name(name) for name in names if _text(name)],
                title=entry.get("title") or entry.get("primary_title"),
                journal=(
                    entry.get("alternate_title2")  # JA: the standard abbreviation
                    or entry.get("alternate_title1")  # J2: often the abbreviation
                    or entry.get("journal_name")
                    or entry.get("alternate_title3")
                    or entry.get("secondary_title")
                    or entry.get("publisher")
                ),
                year=entry.get("year") or entry.get("publication_year") or entry.get("date"),
                volume=entry.get("volume"),
                issue=entry.get("number"),
                pages=pages,
                doi=entry.get("doi"),
                pmid=pmid,
                url=urls[0] if urls else "",
            )
        )
    return parsed


def ris_name(text):
    """ "Welsh, Joshua A." / "Welsh, J. A., Jr." / "Welsh JA" / "Joshua A. Welsh"."""
    text = _text(text)
    if "," in text:
        family, _, rest = text.partition(",")
        given, _, suffix = rest.partition(",")
        if not given.strip():
            return family.strip()  # "US Food and Drug Administration,"
        return vancouver_name(family=family, given=given, suffix=suffix)
    words = text.split()
    middle_ok = len(words) == 2 or (
        len(words) == 3 and (words[1][:1].islower() or re.fullmatch(r"[A-Z]\.?", words[1]))
    )
    if VANCOUVER_RE.match(text) or not middle_ok:
        return text  # one word, already "Welsh JA", or an organisation
    particles = [w for w in words[1:-1] if w[:1].islower()]
    given = [w for w in words[:-1] if w not in particles]
    return vancouver_name(family=words[-1], given=" ".join(given), particle=" ".join(particles))


# -- the house style ----------------------------------------------------------------------


def vancouver_name(family, given="", suffix="", particle=""):
    """("Welsh", "Joshua A.") -> "Welsh JA"; ("Niel", "Guillaume", particle="van") ->
    "van Niel G"; ("Smith", "John", "Jr.") -> "Smith J Jr"."""
    family = " ".join(f"{particle} {family}".split())
    parts = [family, initials(given), (suffix or "").strip().rstrip(".")]
    return " ".join(part for part in parts if part)


def initials(given):
    """ "Deborah C. I." -> "DCI"; "Qing-Ling" -> "QL"; "JA" (already initials) -> "JA"."""
    letters = []
    for word in re.split(r"[\s.\-‐‑]+", given or ""):
        if INITIALS_RE.match(word) and len(word) <= 3:
            letters.append(word)
        elif word[:1].isalpha():
            letters.append(word[0].upper())
    return "".join(letters)


def author_list(names, et_al=False):
    """Vancouver: up to six authors in full; more, the first three and "et al."."""
    names = [name for name in names if name]
    if len(names) > MAX_AUTHORS or (et_al and names):
        names, et_al = names[:SHOWN_AUTHORS], True
    text = ", ".join(names)
    while len(text) > LIMITS["authors"] - len(", et al.") and ", " in text:
        text, et_al = text.rsplit(", ", 1)[0], True
    if et_al and text:
        text += ", et al."
    return text[: LIMITS["authors"]]


def record(problems, *, authors=(), et_al=False, **values):
    """One record's fields, cleaned: only what is given, each value as stored."""
    fields = {"authors": author_list(authors, et_al=et_al)}
    title = _text(strip_tags(_first(values.get("title")) or ""))
    fields["title"] = title.rstrip(".") if not title.endswith("..") else title
    for name in ("journal", "volume", "issue"):
        fields[name] = _text(_first(values.get(name)))
    fields["pages"] = re.sub(r"\s*(?:--|–|—)\s*", "-", _text(values.get("pages")))
    fields["year"] = year(values.get("year"))
    for name, normalise, label in (
        ("doi", normalise_doi, "DOI"),
        ("pmid", normalise_pmid, "PubMed ID"),
    ):
        try:
            fields[name] = normalise(_text(_first(values.get(name))))
        except ValidationError as error:
            problems.append(f"The record’s {label} was left out: {error.messages[0]}")
            fields[name] = ""
    url = _text(_first(values.get("url")))
    if url and not (fields["doi"] or fields["pmid"]):
        try:
            URLValidator(schemes=("http", "https"))(url)
        except ValidationError:
            problems.append(
                f"The record’s address “{url[:100]}” was left out: it is not a web address."
            )
        else:
            fields["url"] = url
    for name, limit in LIMITS.items():
        if name in fields and len(fields[name]) > limit:
            fields[name] = fields[name][:limit].rstrip()
    return {name: value for name, value in fields.items() if value not in ("", None)}


def year(value):
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    match = YEAR_RE.search(value) if isinstance(value, str) else None
    return int(match.group(1)) if match else None


def _first(value):
    """CSL-JSON and Crossref give some values as lists ("title": ["..."])."""
    if isinstance(value, list):
        value = value[0] if value else ""
    return value


def _text(value):
    if value is None or isinstance(value, (dict, list, bool)):
        return ""
    return " ".join(unescape(str(value)).split())


def _too_many(count):
    return ParseError(
        f"The text holds {count} records; at most {MAX_ENTRIES} can be read at once. "
        "Paste them a few at a time."
    )
