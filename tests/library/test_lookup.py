"""Looking references up at Crossref and PubMed, against recorded answers served by a
local HTTP server (conftest.py), and what the editor is told when they cannot answer."""

import re

import pytest

from library import lookup

from .conftest import MISEV_DOI, MISEV_PMID

MISEV_TITLE = (
    "Minimal information for studies of extracellular vesicles (MISEV2023): "
    "From basic to advanced approaches"
)
MISEV_AUTHORS = "Welsh JA, Goberdhan DCI, O'Driscoll L, et al."


def test_crossref_record_of_a_doi(services):
    assert lookup.crossref(MISEV_DOI.upper()) == {
        "authors": MISEV_AUTHORS,
        "title": MISEV_TITLE,
        "journal": "Journal of Extracellular Vesicles",
        "year": 2024,
        "volume": "13",
        "issue": "2",
        "pages": "e12404",
        "doi": MISEV_DOI,
    }
    assert services.paths() == [f"/crossref/works/{MISEV_DOI}"]


def test_pubmed_record_of_a_pubmed_id(services):
    assert lookup.pubmed(MISEV_PMID) == {
        "authors": MISEV_AUTHORS,
        "title": MISEV_TITLE,
        "journal": "J Extracell Vesicles",
        "year": 2024,
        "volume": "13",
        "issue": "2",
        "pages": "e12404",
        "doi": MISEV_DOI,
        "pmid": MISEV_PMID,
    }
    ((_path, query, _headers),) = services.requests
    assert query["db"] == "pubmed" and query["retmode"] == "json" and query["tool"] == "exosite"


def test_the_pubmed_id_of_a_doi(services):
    assert lookup.pmid_for_doi(MISEV_DOI) == MISEV_PMID
    ((_path, query, _headers),) = services.requests
    assert MISEV_DOI in query["term"] and query["term"].endswith("[aid]")


def test_requests_say_who_is_asking(services, settings):
    lookup.crossref(MISEV_DOI)
    ((_path, _query, headers),) = services.requests
    assert headers["User-Agent"].startswith("Exosite/")
    assert f"mailto:{settings.SITE_CONTACT_EMAIL}" in headers["User-Agent"]


def test_a_doi_is_completed_from_pubmed_with_its_pubmed_id(services):
    found = lookup.complete({"doi": MISEV_DOI})
    assert found.fields["pmid"] == MISEV_PMID
    assert found.fields["journal"] == "J Extracell Vesicles"
    assert found.fields["authors"] == MISEV_AUTHORS
    assert found.sources == ["PubMed"] and found.problems == []
    # PubMed gave everything: Crossref is not asked.
    assert services.paths() == ["/eutils/esearch.fcgi", "/eutils/esummary.fcgi"]


def test_a_pubmed_id_is_completed_with_its_doi(services):
    found = lookup.complete({"pmid": MISEV_PMID})
    assert found.fields["doi"] == MISEV_DOI and found.fields["title"] == MISEV_TITLE
    assert services.paths() == ["/eutils/esummary.fcgi"]


def test_what_was_pasted_is_kept_but_the_journal_becomes_pubmeds_abbreviation(services):
    pasted = {
        "doi": MISEV_DOI,
        "title": "Title as pasted",
        "journal": "Journal of Extracellular Vesicles",
    }
    found = lookup.complete(pasted)
    assert found.fields["title"] == "Title as pasted"
    assert found.fields["journal"] == "J Extracell Vesicles"
    assert found.fields["volume"] == "13"


def test_a_doi_pubmed_does_not_have_comes_from_crossref_alone(services, closed_port, settings):
    settings.EXOSITE_EUTILS_URL = f"http://127.0.0.1:{closed_port}/eutils"
    found = lookup.complete({"doi": MISEV_DOI})
    assert found.sources == ["Crossref"]
    assert found.fields["journal"] == "Journal of Extracellular Vesicles"
    assert "pmid" not in found.fields
    assert found.problems == [
        "PubMed could not be reached (connection refused): fill in the fields by hand."
    ]


def test_an_unknown_doi_is_reported_by_crossref(services):
    found = lookup.complete({"doi": "10.5555/test.1"})
    assert found.fields == {"doi": "10.5555/test.1"}
    assert found.problems == [
        "Crossref has no record of the DOI 10.5555/test.1: check it, or fill in the fields by hand."
    ]
    assert services.paths() == ["/eutils/esearch.fcgi", "/crossref/works/10.5555/test.1"]


def test_an_unknown_pubmed_id_is_reported(services):
    found = lookup.complete({"pmid": "99999999"})
    assert found.problems == [
        "PubMed has no record of the PubMed ID 99999999: check it, or fill in the fields by hand."
    ]


def test_a_service_that_does_not_answer_in_time(services, settings):
    settings.EXOSITE_LOOKUP_TIMEOUT = 0.2
    services.delay = 1
    with pytest.raises(lookup.LookupProblem) as problem:
        lookup.crossref(MISEV_DOI)
    assert str(problem.value) == (
        "Crossref could not be reached (timed out after 0.2 s): fill in the fields by hand."
    )


def test_a_service_that_cannot_be_reached(closed_port, settings):
    settings.EXOSITE_REFERENCE_LOOKUP = True
    settings.EXOSITE_CROSSREF_URL = f"http://127.0.0.1:{closed_port}"
    settings.EXOSITE_EUTILS_URL = f"http://127.0.0.1:{closed_port}"
    found = lookup.complete({"doi": "10.5555/test.1", "title": "Typed"})
    assert found.fields == {"doi": "10.5555/test.1", "title": "Typed"}
    assert found.problems == [
        "PubMed could not be reached (connection refused): fill in the fields by hand.",
        "Crossref could not be reached (connection refused): fill in the fields by hand.",
    ]


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        ((503, b"Service unavailable"), "Crossref answered with an error (HTTP 503)"),
        ((200, b"<html>not json</html>"), "Crossref sent an answer the site could not read"),
        ((200, b'{"status": "ok"}'), "Crossref sent an answer the site could not read"),
    ],
)
def test_a_service_that_answers_badly(services, answer, message):
    services.broken = answer
    with pytest.raises(lookup.LookupProblem, match=re.escape(message)):
        lookup.crossref(MISEV_DOI)


def test_lookups_can_be_turned_off(services, settings):
    settings.EXOSITE_REFERENCE_LOOKUP = False
    found = lookup.complete({"doi": MISEV_DOI})
    assert found.fields == {"doi": MISEV_DOI}
    assert found.problems == [
        "Looking up DOIs and PubMed IDs is turned off on this site: fill in the fields by hand."
    ]
    assert services.requests == []


def test_nothing_to_look_up(services):
    assert lookup.complete({"title": "No identifiers"}).problems == []
    assert services.requests == []
