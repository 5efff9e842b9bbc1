"""Citing a page and its references (exosite.kernel.cite): the three styles, and BibTeX and
RIS that reference managers (and the site's own reference import) read back the same."""

from datetime import date
from types import SimpleNamespace

import pytest

from exosite.kernel import cite
from library.parsing import parse

PAGE = cite.Page(
    key="exosite-how-exosomes-are-made",
    title="How exosomes are made",
    authors=("Daniel Reyes", "Amara Okafor"),
    site="Exosite",
    url="https://exosite.example/articles/how-exosomes-are-made/",
    published=date(2026, 3, 4),
)


def reference(**fields):
    values = {
        "key": "welsh2024",
        "authors": "Welsh JA, Goberdhan DCI, O'Driscoll L, et al.",
        "title": "Minimal information for studies of extracellular vesicles (MISEV2023)",
        "journal": "J Extracell Vesicles",
        "year": 2024,
        "volume": "13",
        "issue": "2",
        "pages": "e12404",
        "doi": "10.1002/jev2.12404",
        "pmid": "38326288",
        "url": "",
    }
    return SimpleNamespace(**{**values, **fields})


def test_the_page_in_three_styles():
    styles = dict(cite.formatted(cite.page_item(PAGE)))
    assert list(styles) == ["Vancouver", "APA", "AMA"]
    assert styles["Vancouver"] == (
        "Reyes D, Okafor A. How exosomes are made [Internet]. Exosite; 2026. Available from: "
        "https://exosite.example/articles/how-exosomes-are-made/"
    )
    assert styles["APA"] == (
        "Reyes, D., &amp; Okafor, A. (2026, March 4). <i>How exosomes are made</i>. Exosite. "
        "https://exosite.example/articles/how-exosomes-are-made/"
    )
    assert styles["AMA"] == (
        "Reyes D, Okafor A. How exosomes are made. Exosite. March 4, 2026. "
        "https://exosite.example/articles/how-exosomes-are-made/"
    )


def test_a_title_asking_a_question_takes_no_full_stop_after_it():
    asking = cite.Page(**{**PAGE.__dict__, "title": "What are exosomes?"})
    for label, text in cite.formatted(cite.page_item(asking)):
        assert "?." not in text and "?</i>." not in text, label
        assert "What are exosomes?" in text


def test_a_journal_article_in_three_styles_and_markup_kept_safe():
    styles = dict(cite.formatted(cite.reference_item(reference(title="<script>x</script> EVs"))))
    assert styles["Vancouver"].startswith("Welsh JA, Goberdhan DCI, O'Driscoll L.")
    assert "J Extracell Vesicles. 2024;13(2):e12404." in styles["Vancouver"]
    assert "<i>J Extracell Vesicles</i>, <i>13</i>(2), e12404" in styles["APA"]
    assert "https://doi.org/10.1002/jev2.12404" in styles["APA"]
    assert all("<script" not in text for text in styles.values())


@pytest.mark.parametrize(
    ("written", "names"),
    [
        (
            "Welsh JA, Goberdhan DCI, van der Pol E, et al.",
            [("Welsh", "J. A."), ("Goberdhan", "D. C. I."), ("van der Pol", "E.")],
        ),
        ("Théry C.", [("Théry", "C.")]),
        ("US Food and Drug Administration", [("US Food and Drug Administration", None)]),
        ("", []),
    ],
)
def test_authors_as_printed_become_names(written, names):
    parsed = cite.reference_authors(written)
    assert [(name.get("family", name.get("literal")), name.get("given")) for name in parsed] == (
        names
    )


def test_a_web_source_is_a_web_page_of_its_publisher():
    item = cite.reference_item(
        reference(
            journal="US Food and Drug Administration",
            volume="",
            issue="",
            pages="",
            doi="",
            pmid="",
            url="https://www.fda.gov/example",
            authors="US Food and Drug Administration",
        )
    )
    assert item["type"] == "webpage"
    assert item["publisher"] == "US Food and Drug Administration"
    assert "container-title" not in item


def test_bibtex_reads_back_through_the_reference_import():
    text = cite.bibtex(
        [
            cite.reference_item(reference(title="Exosomes & vesicles: 100% {new}")),
            cite.page_item(PAGE),
        ]
    )
    assert "@article{welsh2024," in text
    assert "@online{exosite-how-exosomes-are-made," in text
    assert r"Exosomes \& vesicles: 100\% " in text
    parsed = parse(text)
    assert parsed.format == "BibTeX"
    article, page = parsed.entries
    assert article["doi"] == "10.1002/jev2.12404"
    assert article["pmid"] == "38326288"
    assert article["year"] == 2024
    assert article["journal"] == "J Extracell Vesicles"
    assert article["title"].startswith("Exosomes & vesicles: 100%")
    assert article["authors"].startswith("Welsh JA, Goberdhan DCI")
    assert page["url"] == PAGE.url


def test_ris_reads_back_through_the_reference_import():
    text = cite.ris([cite.reference_item(reference(pages="341-345")), cite.page_item(PAGE)])
    assert text.lstrip().startswith("TY  - JOUR")
    assert "SP  - 341" in text and "EP  - 345" in text
    assert "TY  - ELEC" in text
    parsed = parse(text)
    assert parsed.format == "RIS"
    article, page = parsed.entries
    assert (article["doi"], article["pmid"], article["pages"]) == (
        "10.1002/jev2.12404",
        "38326288",
        "341-345",
    )
    assert page["url"] == PAGE.url
    assert page["title"] == "How exosomes are made"
