"""Pasted text -> Reference fields: each format, the house style of authors, and clear
refusals for what cannot be read. MISEV2023 is the real record; everything else is test
data under Crossref's test prefix 10.5555."""

import json

import pytest

from library.parsing import (
    MAX_ENTRIES,
    MAX_TEXT,
    ParseError,
    author_list,
    initials,
    parse,
    vancouver_name,
)

MISEV = {
    "authors": "Welsh JA, Goberdhan DCI, O'Driscoll L, et al.",
    "title": "Minimal information for studies of extracellular vesicles (MISEV2023): "
    "From basic to advanced approaches",
    "journal": "J Extracell Vesicles",
    "year": 2024,
    "volume": "13",
    "issue": "2",
    "pages": "e12404",
    "doi": "10.1002/jev2.12404",
    "pmid": "38326288",
}

MISEV_AUTHORS = [
    ("Welsh", "Joshua A."),
    ("Goberdhan", "Deborah C. I."),
    ("O'Driscoll", "Lorraine"),
    ("Buzas", "Edit I."),
    ("Blenkiron", "Cherie"),
    ("Bussolati", "Benedetta"),
    ("Cai", "Houjian"),
    ("Di Vizio", "Dolores"),
]

MISEV_BIBTEX = (
    "@article{welsh2024minimal,\n"
    "  author = {" + " and ".join(f"{family}, {given}" for family, given in MISEV_AUTHORS) + "},\n"
    "  title = {Minimal information for studies of extracellular vesicles ({MISEV2023}): "
    "From basic to advanced approaches},\n"
    "  journal = {Journal of Extracellular Vesicles},\n"
    "  shortjournal = {J Extracell Vesicles},\n"
    "  year = {2024},\n  volume = {13},\n  number = {2},\n  pages = {e12404},\n"
    "  doi = {10.1002/jev2.12404},\n  pmid = {38326288},\n"
    "}\n"
)

MISEV_RIS = "\r\n".join(
    [
        "TY  - JOUR",
        *(f"AU  - {family}, {given}" for family, given in MISEV_AUTHORS),
        "TI  - Minimal information for studies of extracellular vesicles (MISEV2023): "
        "From basic to advanced approaches",
        "JO  - Journal of extracellular vesicles",
        "JA  - J Extracell Vesicles",
        "PY  - 2024",
        "VL  - 13",
        "IS  - 2",
        "SP  - e12404",
        "DO  - 10.1002/jev2.12404",
        "AN  - 38326288",
        "DB  - PubMed",
        "ER  - ",
        "",
    ]
)

MISEV_CSL = {
    "type": "article-journal",
    "title": "Minimal information for studies of extracellular vesicles (MISEV2023): "
    "From basic to advanced approaches",
    "container-title": "Journal of Extracellular Vesicles",
    "container-title-short": "J Extracell Vesicles",
    "author": [{"family": family, "given": given} for family, given in MISEV_AUTHORS],
    "issued": {"date-parts": [[2024, 2]]},
    "volume": "13",
    "issue": "2",
    "page": "e12404",
    "DOI": "10.1002/jev2.12404",
    "PMID": "38326288",
}


# -- identifiers -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("10.1002/jev2.12404", {"doi": "10.1002/jev2.12404"}),
        ("https://doi.org/10.1002/JEV2.12404", {"doi": "10.1002/jev2.12404"}),
        ("doi:10.1002/jev2.12404", {"doi": "10.1002/jev2.12404"}),
        ("  DOI: 10.1002/jev2.12404 \n", {"doi": "10.1002/jev2.12404"}),
        ("38326288", {"pmid": "38326288"}),
        ("PMID: 38326288", {"pmid": "38326288"}),
        ("https://pubmed.ncbi.nlm.nih.gov/38326288/", {"pmid": "38326288"}),
        ("https://www.ncbi.nlm.nih.gov/pubmed/38326288", {"pmid": "38326288"}),
    ],
)
def test_a_bare_identifier_or_its_address(text, expected):
    parsed = parse(text)
    assert parsed.entries == [expected]
    assert parsed.format == ("DOI" if "doi" in expected else "PubMed ID")


def test_a_printed_citation_gives_its_doi_and_pubmed_id():
    text = (
        "Welsh JA, Goberdhan DCI, O'Driscoll L, et al. Minimal information for studies of "
        "extracellular vesicles (MISEV2023): From basic to advanced approaches. J Extracell "
        "Vesicles. 2024 Feb;13(2):e12404. doi: 10.1002/jev2.12404. PMID: 38326288."
    )
    assert parse(text).entries == [{"doi": "10.1002/jev2.12404", "pmid": "38326288"}]


def test_an_identifier_that_is_not_one_says_what_one_looks_like():
    with pytest.raises(ParseError, match="“doi:10.1002” is not a DOI.*10.1002/jev2.12404"):
        parse("doi:10.1002")
    with pytest.raises(ParseError, match="is not a PubMed ID"):
        parse("PMID: 0123")


@pytest.mark.parametrize("text", ["not a doi", "Some words about exosomes.", "@ not bibtex"])
def test_text_that_is_none_of_the_formats_is_refused_with_examples(text):
    with pytest.raises(ParseError) as refused:
        parse(text)
    message = str(refused.value)
    assert "not a DOI, a PubMed ID, BibTeX, RIS or CSL-JSON" in message
    assert "10.1002/jev2.12404" in message and "38326288" in message


@pytest.mark.parametrize("text", ["", "   \n\t", "\ufeff"])
def test_nothing_pasted(text):
    with pytest.raises(ParseError, match="Nothing was pasted"):
        parse(text)


# -- BibTeX ----------------------------------------------------------------------------------


def test_bibtex_misev2023():
    parsed = parse(MISEV_BIBTEX)
    assert parsed.format == "BibTeX"
    assert parsed.entries == [MISEV]
    assert parsed.problems == []


def test_bibtex_without_a_short_journal_keeps_the_journal_as_given():
    text = MISEV_BIBTEX.replace("  shortjournal = {J Extracell Vesicles},\n", "")
    assert parse(text).entries[0]["journal"] == "Journal of Extracellular Vesicles"


def test_bibtex_names_accents_particles_organisations_and_suffixes():
    text = r"""
    @article{test1,
      author = {de la Cruz, Ana Maria and M{\"u}ller, J{\"o}rg-Peter and
                {Test Standards Agency} and Smith, Jr., John},
      title = {A {DNA} study \& its {\em in vitro} test},
      journal = {Test J},
      year = 2021, pages = {1--10}, doi = {https://doi.org/10.5555/TEST.1}
    }"""
    (entry,) = parse(text).entries
    assert entry["authors"] == "de la Cruz AM, Müller JP, Test Standards Agency, Smith J Jr"
    assert entry["title"] == "A DNA study & its in vitro test"
    assert entry["pages"] == "1-10"
    assert entry["doi"] == "10.5555/test.1"
    assert "url" not in entry


def test_bibtex_and_others_is_et_al():
    text = "@article{x, author={Test, Tina and others}, title={T}, doi={10.5555/test.1}}"
    assert parse(text).entries[0]["authors"] == "Test T, et al."


def test_bibtex_keeps_a_web_address_whole_when_there_is_no_doi():
    text = "@misc{page, author={{Test Agency}}, title={Guidance}, year={2020}, "
    text += "url={https://example.org/guidance%20page?a=1&b=2}}"
    (entry,) = parse(text).entries
    assert entry["url"] == "https://example.org/guidance%20page?a=1&b=2"
    assert entry["authors"] == "Test Agency"


def test_bibtex_with_a_bad_doi_is_read_without_it_and_says_so():
    text = "@article{x, author={Test, Tina}, title={T}, year={2020}, doi={not-a-doi}}"
    parsed = parse(text)
    assert "doi" not in parsed.entries[0]
    assert parsed.problems == [
        "The record’s DOI was left out: “not-a-doi” is not a DOI. A DOI starts with 10. "
        "and a prefix, then a slash, e.g. 10.1002/jev2.12404."
    ]


def test_bibtex_that_cannot_be_read_says_so():
    with pytest.raises(ParseError, match="looks like BibTeX but could not be read"):
        parse("@article{broken, title = {Unclosed")


# -- RIS -------------------------------------------------------------------------------------


def test_ris_misev2023():
    parsed = parse(MISEV_RIS)
    assert parsed.format == "RIS"
    assert parsed.entries == [MISEV]


def test_ris_with_loose_spacing_and_no_end_tag():
    text = "TY - JOUR\nAU - Test, Tina B.\nAU - Example, Eve\nT1 - A test\nT2 - Test J\n"
    text += "PY - 2019/03/01/\nSP - 5\nEP - 9\nDO - 10.5555/test.2"
    (entry,) = parse(text).entries
    assert entry == {
        "authors": "Test TB, Example E",
        "title": "A test",
        "journal": "Test J",
        "year": 2019,
        "pages": "5-9",
        "doi": "10.5555/test.2",
    }


def test_ris_accession_number_is_a_pubmed_id_only_from_pubmed():
    text = "TY  - JOUR\nTI  - T\nAU  - Test, T\nAN  - 12345\nDB  - Web of Test\nER  - \n"
    assert "pmid" not in parse(text).entries[0]


# -- CSL-JSON --------------------------------------------------------------------------------


def test_csl_json_misev2023_prefers_the_short_journal_title():
    parsed = parse(json.dumps(MISEV_CSL))
    assert parsed.format == "CSL-JSON"
    assert parsed.entries == [MISEV]


def test_csl_json_list_particles_and_organisations():
    records = [
        {
            "title": "First <i>test</i> record.",
            "author": [
                {"family": "Cruz", "non-dropping-particle": "de la", "given": "Ana"},
                {"literal": "Test Consortium"},
            ],
            "container-title": ["Test J"],
            "issued": {"date-parts": [["2022"]]},
            "page": "10–12",
            "DOI": "10.5555/test.3",
        },
        {"title": "Second", "URL": "https://example.org/second", "issued": {"raw": "2021"}},
    ]
    first, second = parse(json.dumps(records)).entries
    assert first == {
        "authors": "de la Cruz A, Test Consortium",
        "title": "First test record",
        "journal": "Test J",
        "year": 2022,
        "pages": "10-12",
        "doi": "10.5555/test.3",
    }
    assert second == {"title": "Second", "year": 2021, "url": "https://example.org/second"}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"title": "Unclosed', "looks like JSON but could not be read"),
        ("[1, 2]", "each record should be an object"),
        ('{"colour": "blue"}', "none of title, author, DOI, PMID or URL"),
        ("[" * 50_000 + "]" * 50_000, "nested too deeply"),
    ],
)
def test_json_that_is_not_csl_json_is_refused(text, message):
    with pytest.raises(ParseError, match=message):
        parse(text)


# -- limits ----------------------------------------------------------------------------------


def test_text_over_the_limit_is_refused_before_it_is_read():
    with pytest.raises(ParseError, match="too long"):
        parse("10.5555/test.1 " + "x" * MAX_TEXT)


def test_more_records_than_the_limit_are_refused():
    records = [{"title": f"Record {n}", "DOI": f"10.5555/test.{n}"} for n in range(MAX_ENTRIES + 1)]
    with pytest.raises(ParseError, match=f"holds {MAX_ENTRIES + 1} records"):
        parse(json.dumps(records))
    bibtex = "".join(f"@misc{{r{n}, title={{R}}}}\n" for n in range(MAX_ENTRIES + 1))
    with pytest.raises(ParseError, match="records"):
        parse(bibtex)


def test_values_are_cut_to_their_column():
    record = {"title": "T", "author": [{"literal": "A" * 600}], "volume": "9" * 40}
    (entry,) = parse(json.dumps(record)).entries
    assert len(entry["authors"]) <= 500 and len(entry["volume"]) == 30


# -- the house style ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("Joshua A.", "JA"),
        ("Deborah C. I.", "DCI"),
        ("Qing-Ling", "QL"),
        ("JA", "JA"),
        ("J.-P.", "JP"),
        ("", ""),
    ],
)
def test_initials(given, expected):
    assert initials(given) == expected


def test_vancouver_names():
    assert vancouver_name("O'Driscoll", "Lorraine") == "O'Driscoll L"
    assert vancouver_name("Cruz", "Ana", particle="de la") == "de la Cruz A"
    assert vancouver_name("Smith", "John", suffix="Jr.") == "Smith J Jr"
    assert vancouver_name("Test Consortium") == "Test Consortium"


def test_six_authors_are_listed_and_seven_are_cut_to_three_and_et_al():
    six = [f"Test{n} T" for n in range(1, 7)]
    assert author_list(six) == ", ".join(six)
    assert author_list([*six, "Test7 T"]) == "Test1 T, Test2 T, Test3 T, et al."
    assert author_list(["Test1 T"], et_al=True) == "Test1 T, et al."
    assert author_list([]) == ""
