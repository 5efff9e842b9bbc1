"""DOIs and PubMed IDs: what is accepted, and the one spelling stored."""

import pytest
from django.core.exceptions import ValidationError

from library.identifiers import normalise_doi, normalise_pmid
from library.models import Reference


@pytest.mark.parametrize(
    "text",
    [
        "10.1002/jev2.12404",
        "10.1002/JEV2.12404",
        "  10.1002/jev2.12404\n",
        "https://doi.org/10.1002/jev2.12404",
        "http://dx.doi.org/10.1002/JEV2.12404",
        "doi.org/10.1002/jev2.12404",
        "doi:10.1002/jev2.12404",
        "DOI: 10.1002/jev2.12404",
    ],
)
def test_a_doi_is_stored_bare_and_in_lower_case(text):
    assert normalise_doi(text) == "10.1002/jev2.12404"


def test_a_test_prefix_doi_keeps_its_suffix():
    assert normalise_doi("https://doi.org/10.5555/Test.1") == "10.5555/test.1"


@pytest.mark.parametrize(
    "text",
    [
        "not a doi",
        "10.1002",
        "10.1002/",
        "10.12/short-prefix",
        "11.1002/jev2.12404",
        "10.1002/with space",
        "https://example.org/10.1002/jev2.12404",
        "10.5555/" + "x" * 200,
    ],
)
def test_what_is_not_a_doi_is_refused_with_an_example(text):
    with pytest.raises(ValidationError) as refused:
        normalise_doi(text)
    assert refused.value.code == "invalid_doi"
    assert "is not a DOI" in refused.value.messages[0]
    assert "10.1002/jev2.12404" in refused.value.messages[0]


@pytest.mark.parametrize("text", ["", "   ", None, "doi:"])
def test_no_doi_stays_empty(text):
    assert normalise_doi(text) == ""


@pytest.mark.parametrize(
    "text",
    [
        "38326288",
        " 38326288 ",
        "PMID: 38326288",
        "pmid 38326288",
        "https://pubmed.ncbi.nlm.nih.gov/38326288/",
    ],
)
def test_a_pubmed_id_is_stored_as_digits(text):
    assert normalise_pmid(text) == "38326288"


@pytest.mark.parametrize("text", ["abc", "0123", "1234567890", "38326288a", "38 326 288", "-5"])
def test_what_is_not_a_pubmed_id_is_refused(text):
    with pytest.raises(ValidationError) as refused:
        normalise_pmid(text)
    assert refused.value.code == "invalid_pmid"
    assert "is not a PubMed ID" in refused.value.messages[0]


def test_a_reference_normalises_its_identifiers_when_cleaned():
    reference = Reference(
        key="welsh2024",
        authors="Welsh JA, Goberdhan DCI, O'Driscoll L, et al.",
        title="Minimal information for studies of extracellular vesicles (MISEV2023)",
        doi="https://doi.org/10.1002/JEV2.12404",
        pmid="PMID: 38326288",
    )
    reference.clean()
    assert (reference.doi, reference.pmid) == ("10.1002/jev2.12404", "38326288")


def test_a_reference_reports_each_bad_identifier_on_its_own_field():
    reference = Reference(key="x2024", authors="X", title="T", doi="not a doi", pmid="abc")
    with pytest.raises(ValidationError) as refused:
        reference.clean()
    assert set(refused.value.message_dict) == {"doi", "pmid"}
