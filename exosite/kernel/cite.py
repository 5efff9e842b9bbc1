"""Citing a page and its references: "Cite this page" in Vancouver, APA and AMA (formatted
by citeproc-py from the Citation Style Language's own style files, exosite/kernel/csl/), and
BibTeX and RIS files of the page or of its reference list.

Everything goes through CSL-JSON items (the format reference managers exchange). A
reference is any object with the library's fields (`authors` as printed, "Welsh JA,
Goberdhan DCI, et al." or an organisation; `title`, `journal`, `year`, `volume`, `issue`,
`pages`, `doi`, `pmid`, `url`, `key`): the kernel imports no app.

Left out on purpose: the date the reader read the page ("cited", "Accessed"). A page's
citation is kept until its content changes, so any date in it would be wrong the next day;
the box tells readers to add it where their style asks for it.
"""

import re
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

import bibtexparser
import nh3
import rispy
from bibtexparser.middlewares import LatexEncodingMiddleware
from bibtexparser.model import Entry, Field
from citeproc import (
    Citation,
    CitationItem,
    CitationStylesBibliography,
    CitationStylesStyle,
    formatter,
)
from citeproc.source.json import CiteProcJSON
from django.utils.translation import get_language

STYLE_DIR = Path(__file__).parent / "csl"
# Label and CSL file of each style offered, in the order shown.
STYLES = {
    "vancouver": ("Vancouver", "nlm-citation-sequence.csl"),
    "apa": ("APA", "apa.csl"),
    "ama": ("AMA", "american-medical-association.csl"),
}
# The CSL locale of each interface language other than English ("Disponible en:", month
# names); English keeps each style's own default, as before.
CSL_LOCALES = {"es": "es-ES"}
# "Welsh JA", "O'Driscoll L", "van der Pol E": a family name and up to four initials.
PERSON_RE = re.compile(r"^(?P<family>\S.*?)\s+(?P<initials>[A-Z]{1,4})$")
ET_AL = {"et al", "et al.", "others"}
PAGES_RE = re.compile(r"^\s*(\w+)\s*[-–—]+\s*(\w+)\s*$")


@dataclass(frozen=True)
class Page:
    """A page of this site, as its citation needs it."""

    key: str
    title: str
    authors: tuple  # people's names as written: ("Daniel Reyes", "Amara Okafor")
    site: str
    url: str
    published: date | None = None


def page_item(page):
    item = {
        "id": page.key,
        "type": "webpage",
        "title": page.title,
        "publisher": page.site,
        "URL": page.url,
    }
    if page.authors:
        item["author"] = [person_name(name) for name in page.authors]
    if page.published:
        item["issued"] = {
            "date-parts": [[page.published.year, page.published.month, page.published.day]]
        }
    return item


def person_name(name):
    """A person's name as written ("Daniel Reyes") as CSL: the last word is the family."""
    given, _, family = name.strip().rpartition(" ")
    return {"family": family, "given": given} if given else {"literal": family}


def reference_item(reference):
    # The library's "journal or publisher": a journal when the reference has a journal's
    # marks (volume, pages, a PubMed ID), otherwise the publisher of a web page or report.
    journal = bool(reference.journal and (reference.volume or reference.pages or reference.pmid))
    item = {
        "id": reference.key,
        "type": "article-journal" if journal else "webpage",
        "title": reference.title.rstrip("."),
    }
    authors = reference_authors(reference.authors)
    if authors:
        item["author"] = authors
    for field, value in (
        ("container-title" if journal else "publisher", reference.journal),
        ("volume", reference.volume),
        ("issue", reference.issue),
        ("page", reference.pages),
        ("DOI", reference.doi),
        ("PMID", reference.pmid),
        ("URL", reference.url),
    ):
        if value:
            item[field] = str(value)
    if reference.year:
        item["issued"] = {"date-parts": [[int(reference.year)]]}
    return item


def reference_authors(written):
    """ "Welsh JA, Goberdhan DCI, et al." as CSL names; an organisation ("US Food and Drug
    Administration") as one literal name. "et al." is dropped: CSL has no way to say it."""
    parts = [part.strip() for part in written.rstrip(".").split(",")]
    parts = [part for part in parts if part and part.lower() not in ET_AL]
    people = [PERSON_RE.match(part) for part in parts]
    if parts and all(people):
        return [
            {
                "family": match["family"],
                "given": " ".join(f"{letter}." for letter in match["initials"]),
            }
            for match in people
        ]
    return [{"literal": written.strip().rstrip(".")}] if written.strip() else []


@cache
def style(name, locale=None):
    return CitationStylesStyle(str(STYLE_DIR / STYLES[name][1]), validate=False, locale=locale)


def formatted(item):
    """The item in each style: [(label, safe HTML)], italics kept, nothing else; the
    words the styles add ("Available from:", months) in the active language."""
    locale = CSL_LOCALES.get((get_language() or "").split("-")[0])
    out = []
    for name, (label, _) in STYLES.items():
        styled = dict(item)
        if name == "ama" and item["type"] == "webpage" and "publisher" in item:
            # AMA names a web page's site as its container; NLM and APA as its publisher.
            styled["container-title"] = item["publisher"]
        bibliography = CitationStylesBibliography(
            style(name, locale), CiteProcJSON([styled]), formatter.html
        )
        bibliography.register(Citation([CitationItem(item["id"])]))
        text = str(bibliography.bibliography()[0])
        # Numeric styles number their one entry "1.": a citation of one page has none.
        text = re.sub(r"^\s*1\.\s*", "", text)
        # A title ending in "?" or "!" takes no full stop after it (citeproc-py adds one).
        text = re.sub(r"([?!])(</i>)?\.(?=\s)", r"\1\2", text)
        out.append((label, nh3.clean(text, tags={"i", "b", "sup", "sub"}, attributes={})))
    return out


# -- files for reference managers ----------------------------------------------------------


def bibtex(items):
    """BibTeX entries of CSL items (special characters as LaTeX)."""
    library = bibtexparser.Library()
    for item in items:
        fields = {
            "author": " and ".join(bibtex_name(name) for name in item.get("author", ())),
            "title": item.get("title", ""),
            "year": issued(item)[0] if issued(item) else "",
            "volume": item.get("volume", ""),
            "number": item.get("issue", ""),
            "pages": PAGES_RE.sub(r"\1--\2", item.get("page", "")),
            "doi": item.get("DOI", ""),
            "pmid": item.get("PMID", ""),
            "url": item.get("URL", ""),
        }
        if item["type"] == "article-journal":
            entry_type = "article"
            fields["journal"] = item.get("container-title", "")
        else:
            entry_type = "online"
            fields["organization"] = item.get("publisher") or item.get("container-title", "")
            if issued(item) and len(issued(item)) == 3:
                fields["date"] = date(*issued(item)).isoformat()
        library.add(
            Entry(
                entry_type,
                item["id"],
                [Field(key, str(value)) for key, value in fields.items() if value],
            )
        )
    encoded = LatexEncodingMiddleware(keep_math=False, enclose_urls=False).transform(library)
    return bibtexparser.write_string(encoded)


def bibtex_name(name):
    if "literal" in name:
        return "{" + name["literal"] + "}"  # braces: an organisation is not split
    return f"{name['family']}, {name['given']}" if name.get("given") else name["family"]


def ris(items):
    """RIS records of CSL items."""
    records = []
    for item in items:
        record = {
            "type_of_reference": "JOUR" if item["type"] == "article-journal" else "ELEC",
            "title": item.get("title", ""),
            "authors": [ris_name(name) for name in item.get("author", ())],
            "journal_name": item.get("container-title", ""),
            "publisher": item.get("publisher", ""),
            "volume": item.get("volume", ""),
            "number": item.get("issue", ""),
            "doi": item.get("DOI", ""),
            "accession_number": item.get("PMID", ""),
            "urls": [item["URL"]] if item.get("URL") else [],
            "id": item["id"],
        }
        if item.get("PMID"):
            record["name_of_database"] = "PubMed"
        if parts := issued(item):
            record["year"] = str(parts[0])
            if len(parts) == 3:
                record["date"] = f"{parts[0]:04d}/{parts[1]:02d}/{parts[2]:02d}"
        if page := item.get("page"):
            pages = PAGES_RE.match(page)
            record["start_page"], record["end_page"] = pages.groups() if pages else (page, "")
        records.append({key: value for key, value in record.items() if value})
    return rispy.dumps(records, implementation=PlainRisWriter)


class PlainRisWriter(rispy.RisWriter):
    """RIS as the specification has it: records only, without rispy's "1.", "2." above
    each (a few readers take that line for a broken record)."""

    def set_header(self, count):
        return ""


def ris_name(name):
    if "literal" in name:
        return name["literal"]
    return f"{name['family']}, {name['given']}" if name.get("given") else name["family"]


def issued(item):
    parts = item.get("issued", {}).get("date-parts") or [[]]
    return tuple(parts[0])
