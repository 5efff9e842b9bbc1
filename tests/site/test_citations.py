"""Citations from the shared reference library: [@key] numbered by first citation, one
record cited by many items, DOI and PubMed citations, and the migration of the old
numbered reference lists."""

import importlib
import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from pytest_django.asserts import assertContains

from exosite.kernel import citations, linking
from exosite.kernel.markdown import render_markdown
from library.models import Citation, Reference
from tests.conftest import library_reference

pytestmark = pytest.mark.django_db

migration = importlib.import_module("articles.migrations.0007_references_into_the_library")


def link(text):
    return linking.link(render_markdown(text), cites=True)


def test_references_are_numbered_in_the_order_of_first_citation():
    for number in (1, 2, 3):
        library_reference(number)
    rendered = link("First [@ref3]. Then [@ref1; @ref3]. Last [@ref2].")

    assert [cited.key for cited in rendered.references] == ["ref3", "ref1", "ref2"]
    assert 'href="#ref-1"' in rendered.html and 'href="#ref-3"' in rendered.html
    assert rendered.citations == {1: ["cite-1", "cite-2"], 2: ["cite-2"], 3: ["cite-3"]}
    assert not rendered.warnings


def test_three_or_more_consecutive_numbers_print_as_a_range():
    for number in range(1, 5):
        library_reference(number)
    rendered = link("All four [@ref1; @ref2; @ref3; @ref4]. Two [@ref1; @ref2].")
    text = re.sub(r' aria-label="[^"]*"', "", rendered.html)
    assert '[<a href="#ref-1">1</a>–<a href="#ref-4">4</a>]' in text
    assert '[<a href="#ref-1">1</a>, <a href="#ref-2">2</a>]' in text


def test_a_reference_can_be_cited_by_doi_or_pubmed_id_in_any_case():
    reference = library_reference(7)
    rendered = link(f"By DOI [@doi:{reference.doi.upper()}] and PMID [@pmid:{reference.pmid}].")
    assert [cited.key for cited in rendered.references] == ["ref7"]
    assert not rendered.warnings


def test_unknown_keys_and_numbered_citations_are_problems_shown_as_typed():
    library_reference(1)
    rendered = link("Known [@ref1]. Unknown [@nobody2020]. Old style [3].")

    assert rendered.citation_problems == 2
    assert "@nobody2020" in rendered.warnings[0] and "reference library" in rendered.warnings[0]
    assert "numbered citation" in rendered.warnings[1]
    assert "[@nobody2020]" in rendered.html and "[3]" in rendered.html


@pytest.mark.parametrize("typed", ["[see @ref1]", "[@ref1, @ref2]", "[@ref1 p. 3]"])
def test_brackets_meant_as_a_citation_but_not_one_are_problems(typed):
    library_reference(1), library_reference(2)
    rendered = link(f"A claim {typed}. Mail us [at editors@exosite.example].")

    assert rendered.citation_problems == 1
    assert rendered.warnings == [
        f"{typed} is not a citation the site can read: inside the brackets put only keys, "
        "each with its @, separated by semicolons, e.g. [@welsh2024] or "
        "[@welsh2024; @thery2018]."
    ]
    assert typed in rendered.html and 'class="citation"' not in rendered.html


def test_citations_in_code_are_left_alone():
    library_reference(1)
    rendered = link("Write `[@ref1]` to cite.")
    assert rendered.references == [] and not rendered.warnings


def test_one_record_is_shared_and_each_item_keeps_its_own_numbering(
    client, make_article, make_term, make_question, django_capture_on_commit_callbacks
):
    shared, other = library_reference(1), library_reference(2)
    with django_capture_on_commit_callbacks(execute=True):
        article = make_article(body="Other [@ref2], then shared [@ref1].")
        term = make_term(definition="Shared only [@ref1].")
        question = make_question(answer="Shared [@ref1] and other [@ref2].")

    for item, expected in (
        (article, [other, shared]),
        (term, [shared]),
        (question, [shared, other]),
    ):
        rows = Citation.objects.filter(
            content_type=ContentType.objects.get_for_model(item), object_id=item.pk
        ).order_by("position")
        assert [row.reference for row in rows] == expected
    assert Reference.objects.count() == 2
    page = client.get(term.get_absolute_url())
    assertContains(page, 'id="ref-1"')
    assertContains(page, shared.citation)


def test_a_cited_reference_cannot_be_deleted(make_term, django_capture_on_commit_callbacks):
    reference = library_reference(1)
    with django_capture_on_commit_callbacks(execute=True):
        make_term(definition="Cites [@ref1].")
    with pytest.raises(Exception, match="protected|Protected|FOREIGN KEY"):
        reference.delete()


def test_a_new_library_reference_mends_a_citation_without_resaving_the_item(client, make_question):
    question = make_question(answer="Cites [@later2026].")
    assertContains(client.get(question.get_absolute_url()), "[@later2026]")

    Reference.objects.create(
        key="later2026", authors="Later L.", title="A later study", url="https://example.org/"
    )
    page = client.get(question.get_absolute_url())
    assertContains(page, 'href="#ref-1"')
    assertContains(page, "A later study")


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("10.1002/JEV2.12404", "10.1002/jev2.12404"),
        ("https://doi.org/10.1002/jev2.12404", "10.1002/jev2.12404"),
        ("doi:10.1002/jev2.12404", "10.1002/jev2.12404"),
    ],
)
def test_dois_are_stored_in_one_spelling(typed, stored):
    reference = Reference(key="welsh2024", authors="Welsh JA.", title="MISEV2023", doi=typed)
    reference.clean()
    assert reference.doi == stored
    assert reference.doi_url == f"https://doi.org/{stored}"


@pytest.mark.parametrize("typed", ["not a doi", "10.12/x", "doi:", "11.1000/abc"])
def test_text_that_is_not_a_doi_is_refused(typed):
    reference = Reference(key="bad", authors="A.", title="T", doi=typed, url="https://x.org/")
    if typed == "doi:":
        reference.clean()  # empty after the prefix: no DOI
        assert reference.doi == ""
        return
    with pytest.raises(ValidationError) as refused:
        reference.clean()
    assert "doi" in refused.value.message_dict


def test_keys_are_made_from_the_first_author_and_year():
    made = Reference.objects.create(
        authors="van Niel G, D'Angelo G, Raposo G.", title="T", year=2018, doi="10.5555/k.1"
    )
    again = Reference.objects.create(
        authors="van Niel G, Other A.", title="U", year=2018, doi="10.5555/k.2"
    )
    org = Reference.objects.create(
        authors="US Food and Drug Administration.", title="Alert", url="https://www.fda.gov/"
    )
    assert (made.key, again.key, org.key) == ("vanniel2018", "vanniel2018b", "usfda")


# The migration of the old per-article lists --------------------------------------------


@pytest.mark.parametrize(
    "citation",
    [
        "Welsh JA, Goberdhan DCI, O'Driscoll L, et al. Minimal information for studies of "
        "extracellular vesicles (MISEV2023): from basic to advanced approaches. J Extracell "
        "Vesicles. 2024;13(2):e12404.",
        "Pegtel DM, Gould SJ. Exosomes. Annu Rev Biochem. 2019;88:487-514.",
        "US Food and Drug Administration. Consumer alert on regenerative medicine products "
        "including stem cells and exosomes. 2020.",
        "A citation. With. Too. Many. Parts; and odd: punctuation (x).",
    ],
)
def test_old_citations_migrate_without_loss(citation):
    fields = migration.split_citation(citation)
    assert migration.citation_text(fields) == citation


def test_the_migration_splits_what_it_can():
    fields = migration.split_citation(
        "Pegtel DM, Gould SJ. Exosomes. Annu Rev Biochem. 2019;88:487-514."
    )
    assert fields["authors"] == "Pegtel DM, Gould SJ."
    assert (fields["journal"], fields["year"], fields["volume"], fields["pages"]) == (
        "Annu Rev Biochem",
        2019,
        "88",
        "487-514",
    )


def test_migrated_citations_keep_their_numbers():
    keys = ["thery2018", "welsh2024", "vanniel2018", "kalluri2020", "pegtel2019"]
    for number, key in enumerate(keys, 1):
        Reference.objects.create(key=key, authors="A.", title=key, doi=f"10.5555/m.{number}")
    body = migration.OLD_CITATION_RE.sub(
        lambda found: (
            "["
            + "; ".join(
                f"@{keys[n - 1]}"
                for part in migration.OLD_PART_RE.finditer(found.group(1))
                for n in range(int(part.group(1)), int(part.group(2) or part.group(1)) + 1)
            )
            + "]"
        ),
        "One [1, 2]. Range [3–5]. Again [1].",
    )
    assert body == (
        "One [@thery2018; @welsh2024]. Range [@vanniel2018; @kalluri2020; @pegtel2019]. "
        "Again [@thery2018]."
    )
    rendered = link(body)
    assert [cited.key for cited in rendered.references] == keys
    assert citations.keys_in(body) == keys
