"""Reference fields from a DOI (Crossref) or a PubMed ID (NCBI E-utilities).

`complete(fields)` is what the admin's "Fill in the fields" uses: it looks up what
`fields` identifies and fills what they leave empty, PubMed first for the house style
(its authors and journal abbreviations are the ones Vancouver citations print), then
Crossref. A DOI without a PubMed ID gets one from PubMed when PubMed has the article.

Nothing here raises for a service that is slow, down or unknown: each problem is a
sentence for the editor ("Crossref could not be reached (timed out after 5 s): fill in
the fields by hand."), and the editor fills in by hand what the services did not give.

Settings: EXOSITE_REFERENCE_LOOKUP (off: no lookups), EXOSITE_LOOKUP_TIMEOUT (seconds per
request, and for reading its whole answer), EXOSITE_CROSSREF_URL, EXOSITE_EUTILS_URL.
"""

import http.client
import json
import logging
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field

from django.conf import settings

from .identifiers import normalise_doi, normalise_pmid
from .parsing import csl_record, record, year

logger = logging.getLogger(__name__)

# A work's record with its reference list can run to a few megabytes at Crossref.
MAX_ANSWER = 8 * 1024 * 1024
CROSSREF = "Crossref"
PUBMED = "PubMed"
# A PubMed record with these needs nothing from Crossref.
COMPLETE = ("authors", "title", "journal", "year")
FIELDS = ("authors", "title", "journal", "year", "volume", "issue", "pages", "doi", "pmid")


class LookupProblem(Exception):
    """A lookup that gave nothing; str() is the sentence for the editor."""


class NotFound(LookupProblem):
    pass


@dataclass
class Found:
    """The fields after a lookup, which services gave some, and what went wrong."""

    fields: dict
    sources: list = field(default_factory=list)
    problems: list = field(default_factory=list)


def enabled():
    return getattr(settings, "EXOSITE_REFERENCE_LOOKUP", True)


def timeout():
    return float(getattr(settings, "EXOSITE_LOOKUP_TIMEOUT", 5))


def complete(fields):
    """`fields` with the gaps filled from PubMed and Crossref (by its DOI and PubMed ID).
    What `fields` already has is kept, except the journal: PubMed's abbreviation wins."""
    fields = dict(fields)
    found = Found(fields)
    doi, pmid = fields.get("doi", ""), fields.get("pmid", "")
    if not (doi or pmid):
        return found
    if not enabled():
        found.problems.append(
            "Looking up DOIs and PubMed IDs is turned off on this site: fill in the fields by hand."
        )
        return found
    answers = []
    pubmed_down = searched = False
    if doi and not pmid:
        try:
            pmid, searched = pmid_for_doi(doi), True
        except NotFound:
            pass  # not in PubMed: Crossref's record is all there is
        except LookupProblem as problem:
            found.problems.append(str(problem))
            pubmed_down = True
    if pmid and not pubmed_down:
        try:
            answer = pubmed(pmid)
        except LookupProblem as problem:
            found.problems.append(str(problem))
        else:
            # A PubMed ID found by searching for the DOI must give that DOI back.
            if not (searched and answer.get("doi") != doi):
                answers.append((PUBMED, answer))
    # Crossref only for what PubMed did not give (one request fewer, most of the time).
    if doi and not (answers and all(answers[0][1].get(name) for name in COMPLETE)):
        try:
            answers.append((CROSSREF, crossref(doi)))
        except LookupProblem as problem:
            found.problems.append(str(problem))
    for name in FIELDS:
        given = [values[name] for _source, values in answers if values.get(name)]
        if name == "journal" and given and answers[0][0] == PUBMED and answers[0][1].get(name):
            fields[name] = given[0]  # PubMed's abbreviation, whatever was pasted
        elif not fields.get(name) and given:
            fields[name] = given[0]
    found.sources = [source for source, values in answers if values]
    return found


# -- Crossref ---------------------------------------------------------------------------


def crossref(doi):
    """The fields of a DOI's Crossref record (its "message", CSL-JSON-like)."""
    doi = normalise_doi(doi)
    base = settings.EXOSITE_CROSSREF_URL.rstrip("/")
    answer = get_json(
        CROSSREF, f"{base}/works/{urllib.parse.quote(doi, safe='/')}", what=f"the DOI {doi}"
    )
    work = answer.get("message") if isinstance(answer, dict) else None
    if not isinstance(work, dict):
        raise LookupProblem(_unreadable(CROSSREF))
    fields = csl_record(work, [])
    fields.pop("url", None)
    return fields


# -- PubMed (E-utilities) ---------------------------------------------------------------


def pubmed(pmid):
    """The fields of a PubMed record (esummary)."""
    pmid = normalise_pmid(pmid)
    answer = eutils("esummary", {"db": "pubmed", "id": pmid}, what=f"the PubMed ID {pmid}")
    try:
        summary = answer["result"][pmid]
    except (KeyError, TypeError):
        raise NotFound(_not_found(PUBMED, f"the PubMed ID {pmid}")) from None
    if not isinstance(summary, dict) or summary.get("error"):
        raise NotFound(_not_found(PUBMED, f"the PubMed ID {pmid}"))
    ids = {
        item.get("idtype"): item.get("value")
        for item in summary.get("articleids") or []
        if isinstance(item, dict)
    }
    authors = [
        person.get("name", "")
        for person in summary.get("authors") or []
        if isinstance(person, dict) and person.get("authtype") in ("Author", "CollectiveName")
    ]
    return record(
        [],
        authors=authors,
        title=summary.get("title"),
        journal=summary.get("source") or summary.get("fulljournalname"),
        year=year(summary.get("pubdate")) or year(summary.get("sortpubdate")),
        volume=summary.get("volume"),
        issue=summary.get("issue"),
        pages=summary.get("pages") or _elocation(summary.get("elocationid")),
        doi=ids.get("doi", ""),
        pmid=pmid,
    )


def pmid_for_doi(doi):
    """The PubMed ID of the article with this DOI (esearch), or NotFound."""
    doi = normalise_doi(doi)
    answer = eutils(
        "esearch", {"db": "pubmed", "term": f'"{doi}"[aid]', "retmax": "2"}, what=f"the DOI {doi}"
    )
    try:
        ids = answer["esearchresult"]["idlist"]
    except (KeyError, TypeError):
        raise LookupProblem(_unreadable(PUBMED)) from None
    # Several hits: the DOI is quoted by other records too; better none than a wrong one.
    if not isinstance(ids, list) or len(ids) != 1:
        raise NotFound(_not_found(PUBMED, f"the DOI {doi}"))
    try:
        return normalise_pmid(str(ids[0]))
    except Exception:
        raise LookupProblem(_unreadable(PUBMED)) from None


def eutils(tool, params, what):
    base = settings.EXOSITE_EUTILS_URL.rstrip("/")
    query = {**params, "retmode": "json", "tool": "exosite"}
    if email := getattr(settings, "SITE_CONTACT_EMAIL", ""):
        query["email"] = email
    return get_json(PUBMED, f"{base}/{tool}.fcgi?{urllib.parse.urlencode(query)}", what=what)


def _elocation(text):
    """ "doi: 10.1002/jev2.12404" is no page; "e12404" is."""
    text = (text or "").strip()
    return "" if not text or ":" in text else text


# -- HTTP -------------------------------------------------------------------------------


def user_agent():
    contact = getattr(settings, "SITE_CONTACT_EMAIL", "")
    site = getattr(settings, "EXOSITE_BASE_URL", "")
    details = "; ".join(part for part in (site, f"mailto:{contact}" if contact else "") if part)
    return f"Exosite/1.0 (reference library lookup; {details})"


def get_json(service, url, what):
    """GET `url` and read its JSON, all within the timeout; LookupProblem otherwise."""
    seconds = timeout()
    deadline = time.monotonic() + seconds
    request = urllib.request.Request(
        url, headers={"User-Agent": user_agent(), "Accept": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=seconds) as response:
            body = _read(service, response, deadline)
    except urllib.error.HTTPError as error:
        error.close()
        if error.code == 404:
            raise NotFound(_not_found(service, what)) from None
        raise LookupProblem(
            f"{service} answered with an error (HTTP {error.code}): try again later, or "
            "fill in the fields by hand."
        ) from None
    except (urllib.error.URLError, OSError, http.client.HTTPException) as error:
        reason = getattr(error, "reason", error)
        raise LookupProblem(_unreachable(service, _why(reason, seconds))) from None
    try:
        return json.loads(body)
    except (ValueError, RecursionError):
        raise LookupProblem(_unreadable(service)) from None


def _read(service, response, deadline):
    chunks, size = [], 0
    while chunk := response.read(64 * 1024):
        size += len(chunk)
        if size > MAX_ANSWER:
            raise LookupProblem(
                f"{service} sent an answer too large to read: fill in the fields by hand."
            )
        if time.monotonic() > deadline:
            raise TimeoutError
        chunks.append(chunk)
    return b"".join(chunks)


def _why(reason, seconds):
    if isinstance(reason, (TimeoutError, socket.timeout)) or "timed out" in str(reason):
        return f"timed out after {seconds:g} s"
    if isinstance(reason, ConnectionRefusedError):
        return "connection refused"
    if isinstance(reason, socket.gaierror):
        return "its address could not be found"
    if isinstance(reason, str) and reason:
        return reason
    logger.info("reference lookup failed: %r", reason)
    return "the connection failed"


def _unreachable(service, why):
    return f"{service} could not be reached ({why}): fill in the fields by hand."


def _not_found(service, what):
    return f"{service} has no record of {what}: check it, or fill in the fields by hand."


def _unreadable(service):
    return (
        f"{service} sent an answer the site could not read: try again later, or fill in "
        "the fields by hand."
    )
