"""DOIs and PubMed ids: what a valid one looks like, and its one stored spelling."""

import re
import unicodedata

from django.core.exceptions import ValidationError

# Crossref's own pattern for the DOIs it registers (10.prefix/suffix, no spaces).
DOI_RE = re.compile(r"^10\.\d{4,9}/[^\s]+$")
DOI_PREFIXES = (
    "https://doi.org/",
    "http://doi.org/",
    "https://dx.doi.org/",
    "http://dx.doi.org/",
    "doi.org/",
    "doi:",
)
PMID_RE = re.compile(r"^[1-9][0-9]{0,8}$")
PMID_PREFIXES = ("https://pubmed.ncbi.nlm.nih.gov/", "pmid:", "pmid ")


def normalise_doi(text):
    """The DOI in `text` in its stored spelling (lower case: DOIs ignore case), or raise
    ValidationError saying what a DOI looks like. Empty stays empty."""
    doi = (text or "").strip()
    lowered = doi.lower()
    for prefix in DOI_PREFIXES:
        if lowered.startswith(prefix):
            doi = doi[len(prefix) :].strip()
            break
    if not doi:
        return ""
    if not DOI_RE.match(doi) or len(doi) > 200:
        raise ValidationError(
            "“%(value)s” is not a DOI. A DOI starts with 10. and a prefix, then a slash, "
            "e.g. 10.1002/jev2.12404.",
            code="invalid_doi",
            params={"value": text.strip()[:100]},
        )
    return doi.lower()


def normalise_pmid(text):
    """The PubMed id in `text` as digits, or raise ValidationError. Empty stays empty."""
    pmid = (text or "").strip()
    lowered = pmid.lower()
    for prefix in PMID_PREFIXES:
        if lowered.startswith(prefix):
            pmid = pmid[len(prefix) :].strip().rstrip("/")
            break
    if not pmid:
        return ""
    if not PMID_RE.match(pmid):
        raise ValidationError(
            "“%(value)s” is not a PubMed ID: it is a number of up to nine digits, e.g. 38326288.",
            code="invalid_pmid",
            params={"value": text.strip()[:100]},
        )
    return pmid


def key_base(authors, year):
    """The start of a citation key: the first author's surname (or an organisation's
    initials) and the year. "van Niel G, D'Angelo G" 2018 -> vanniel2018; "US Food and Drug
    Administration" 2019 -> usfda2019."""
    first = re.split(r"[,;]", authors or "", maxsplit=1)[0].strip().rstrip(".")
    words = first.split()
    if len(words) >= 2 and re.fullmatch(r"[A-Z]{1,4}", words[-1]):
        name = "".join(words[:-1])  # "van Niel G": surname, then initials
    elif len(words) >= 3:
        name = "".join(w if w.isupper() else w[0] for w in words if w[:1].isupper())
    else:
        name = words[0] if words else "ref"
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    letters = re.sub(r"[^a-z0-9]", "", ascii_name.lower())[:40] or "ref"
    return letters + (str(year) if year else "")
