"""The reference library in the admin: paste and fill, duplicates, errors beside their
field, what cites a reference, and refusing to delete a cited one."""

import re
from html.parser import HTMLParser

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from library.models import Reference

from .conftest import MISEV_DOI, MISEV_PMID

pytestmark = pytest.mark.django_db

ADD = reverse("admin:library_reference_add")
CHANGELIST = reverse("admin:library_reference_changelist")
MISEV_AUTHORS = "Welsh JA, Goberdhan DCI, O'Driscoll L, et al."
EMPTY = dict.fromkeys(
    ("paste", "key", "authors", "title", "journal", "year", "volume", "issue", "pages"), ""
) | {"doi": "", "pmid": "", "url": ""}


def misev(**fields):
    return Reference.objects.create(
        **{
            "key": "welsh2024",
            "authors": MISEV_AUTHORS,
            "title": "Minimal information for studies of extracellular vesicles (MISEV2023): "
            "From basic to advanced approaches",
            "journal": "J Extracell Vesicles",
            "year": 2024,
            "volume": "13",
            "issue": "2",
            "pages": "e12404",
            "doi": MISEV_DOI,
            "pmid": MISEV_PMID,
            **fields,
        }
    )


def make_reference(number, **fields):
    return Reference.objects.create(
        **{
            "key": f"test{number}",
            "authors": f"Test{number} T",
            "title": f"Test record {number}",
            "doi": f"10.5555/test.{number}",
            **fields,
        }
    )


def field_row(response, name):
    """The HTML of the admin's row for one field (its label, input and errors)."""
    html = response.content.decode()
    start = re.search(rf'<div class="form-row[^"]*\bfield-{name}\b', html)
    assert start, f"no row for {name}"
    end = html.find('<div class="form-row', start.end())
    return html[start.start() : end if end != -1 else len(html)]


def input_value(response, name):
    form = response.context["adminform"].form
    return form[name].value()


def fill(admin_client, paste, **typed):
    return admin_client.post(ADD, {**EMPTY, **typed, "paste": paste, "_fill": "1"})


# -- the add page ------------------------------------------------------------------------


class Inputs(HTMLParser):
    def __init__(self):
        super().__init__()
        self.labelled, self.inputs = set(), []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "label" and attrs.get("for"):
            self.labelled.add(attrs["for"])
        if tag in ("input", "textarea", "select") and attrs.get("type") not in (
            "hidden",
            "submit",
            "button",
        ):
            self.inputs.append(attrs)


def test_the_add_page_starts_with_a_labelled_paste_box_and_every_input_is_labelled(
    admin_client,
):
    response = admin_client.get(ADD)
    assertContains(
        response,
        '<label for="id_paste">Paste a DOI, PubMed ID, BibTeX, RIS or CSL-JSON:</label>',
        html=True,
    )
    assertContains(
        response,
        '<button type="submit" name="_fill" value="1" class="button">Fill in the fields</button>',
        html=True,
    )
    html = response.content.decode()
    assert html.index('name="paste"') < html.index('name="authors"')
    # Enter in a field saves (the first submit button of the form), as on other pages.
    assert html.index('name="_save"') < html.index('name="_fill"')
    inputs = Inputs()
    inputs.feed(html)
    form_inputs = [i for i in inputs.inputs if i.get("id", "").startswith("id_")]
    assert {i["id"] for i in form_inputs} >= {"id_paste", "id_doi", "id_pmid", "id_key"}
    assert [i["id"] for i in form_inputs if i["id"] not in inputs.labelled] == []


def test_pasting_a_doi_fills_the_form_from_pubmed_without_saving(admin_client, services):
    response = fill(admin_client, f"https://doi.org/{MISEV_DOI.upper()}")
    assert response.status_code == 200
    assert input_value(response, "authors") == MISEV_AUTHORS
    assert input_value(response, "journal") == "J Extracell Vesicles"
    assert input_value(response, "doi") == MISEV_DOI
    assert input_value(response, "pmid") == MISEV_PMID
    assert input_value(response, "year") == 2024
    assert input_value(response, "key") == "welsh2024"
    assert input_value(response, "paste") == f"https://doi.org/{MISEV_DOI.upper()}"
    assertContains(response, f'value="{MISEV_AUTHORS}"'.replace("'", "&#x27;"))
    assertContains(response, "Filled in from PubMed: check the fields, then save.")
    assertNotContains(response, "errornote")
    assert not Reference.objects.exists()


def test_the_filled_form_saves(admin_client, services):
    filled = fill(admin_client, MISEV_PMID)
    data = {name: filled.context["adminform"].form[name].value() or "" for name in EMPTY}
    response = admin_client.post(ADD, {**data, "_save": "Save"})
    assert response.status_code == 302
    reference = Reference.objects.get()
    assert reference.key == "welsh2024"
    assert reference.citation == (
        "Welsh JA, Goberdhan DCI, O'Driscoll L, et al. Minimal information for studies of "
        "extracellular vesicles (MISEV2023): From basic to advanced approaches. "
        "J Extracell Vesicles. 2024;13(2):e12404."
    )
    assert reference.history.count() == 1


def test_pasted_bibtex_fills_the_form_when_lookups_are_off(admin_client, settings):
    settings.EXOSITE_REFERENCE_LOOKUP = False
    bibtex = (
        "@article{t, author={Test, Tina and Example, Eve}, title={A {test} record}, "
        "journal={Test J}, year={2021}, volume={3}, pages={1--9}, doi={10.5555/test.1}}"
    )
    response = fill(admin_client, bibtex)
    assert input_value(response, "authors") == "Test T, Example E"
    assert input_value(response, "title") == "A test record"
    assert input_value(response, "pages") == "1-9"
    assert input_value(response, "key") == "test2021"
    assertContains(response, "Filled in from the BibTeX: check the fields, then save.")
    assert "Looking up DOIs and PubMed IDs is turned off" in field_row(response, "paste")


def test_text_that_cannot_be_read_is_explained_beside_the_paste_box_and_typing_is_kept(
    admin_client,
):
    response = fill(admin_client, "not a doi", title="Typed by hand", year="2020")
    assert response.status_code == 200
    row = field_row(response, "paste")
    assert '<ul class="errorlist" id="id_paste_error">' in row
    assert 'aria-describedby="id_paste_helptext id_paste_error"' in row
    assert "is not a DOI, a PubMed ID, BibTeX, RIS or CSL-JSON" in row
    assert input_value(response, "paste") == "not a doi"
    assert input_value(response, "title") == "Typed by hand"
    assert input_value(response, "year") == "2020"
    assert not Reference.objects.exists()


def test_a_service_that_times_out_is_explained_and_the_form_still_shows(
    admin_client, services, settings
):
    settings.EXOSITE_LOOKUP_TIMEOUT = 0.2
    services.delay = 1
    response = fill(admin_client, "10.5555/test.1")
    assert response.status_code == 200
    row = field_row(response, "paste")
    assert "PubMed could not be reached (timed out after 0.2 s): fill in the fields by hand." in (
        row
    )
    assert "Crossref could not be reached (timed out after 0.2 s)" in row
    assert input_value(response, "doi") == "10.5555/test.1"


def test_pasting_a_reference_already_in_the_library_links_to_it(admin_client, services):
    existing = misev()
    response = fill(admin_client, f"PMID: {MISEV_PMID}")
    row = field_row(response, "paste")
    link = reverse("admin:library_reference_change", args=[existing.pk])
    assert f'<a href="{link}">welsh2024</a>' in row
    assert "already in the library" in row


def test_the_fill_works_in_a_popup(admin_client, services):
    response = admin_client.post(
        f"{ADD}?_to_field=id&_popup=1",
        {**EMPTY, "paste": MISEV_DOI, "_fill": "1", "_popup": "1", "_to_field": "id"},
    )
    assertContains(response, '<input type="hidden" name="_popup" value="1">', html=True)
    data = {name: response.context["adminform"].form[name].value() or "" for name in EMPTY}
    saved = admin_client.post(
        f"{ADD}?_to_field=id&_popup=1", {**data, "_popup": "1", "_to_field": "id", "_save": "1"}
    )
    assertContains(saved, "data-popup-response")
    assert Reference.objects.get().pmid == MISEV_PMID


# -- saving --------------------------------------------------------------------------------


def test_a_duplicate_doi_is_refused_with_a_link_to_the_existing_record(admin_client):
    existing = misev()
    response = admin_client.post(
        ADD,
        {**EMPTY, "authors": "Someone S", "title": "Again", "doi": MISEV_DOI.upper(), "_save": "1"},
    )
    assert response.status_code == 200
    row = field_row(response, "doi")
    link = reverse("admin:library_reference_change", args=[existing.pk])
    assert f'<a href="{link}">welsh2024</a>' in row
    assert Reference.objects.count() == 1


def test_a_duplicate_pubmed_id_is_refused_too(admin_client):
    misev()
    response = admin_client.post(
        ADD, {**EMPTY, "authors": "Someone S", "title": "Again", "pmid": MISEV_PMID, "_save": "1"}
    )
    assert "This PubMed ID is already in the library" in field_row(response, "pmid")


def test_an_invalid_doi_is_explained_beside_its_field(admin_client):
    response = admin_client.post(
        ADD, {**EMPTY, "authors": "Test T", "title": "T", "doi": "not a doi", "_save": "1"}
    )
    assert response.status_code == 200
    row = field_row(response, "doi")
    assert 'class="errorlist' in row and "is not a DOI" in row
    assert not Reference.objects.exists()


def test_a_key_is_made_when_left_empty_and_cannot_change_once_saved(admin_client):
    response = admin_client.post(
        ADD,
        {
            **EMPTY,
            "authors": "Test T",
            "title": "T",
            "year": "2020",
            "url": "https://example.org/",
            "_save": "1",
        },
    )
    assert response.status_code == 302
    reference = Reference.objects.get()
    assert reference.key == "test2020"
    change = admin_client.get(reverse("admin:library_reference_change", args=[reference.pk]))
    assertNotContains(change, 'name="key"')
    assertContains(change, "test2020")
    admin_client.post(
        reverse("admin:library_reference_change", args=[reference.pk]),
        {
            **EMPTY,
            "key": "other",
            "authors": "Test T",
            "title": "T2",
            "url": "https://example.org/",
        },
    )
    reference.refresh_from_db()
    assert (reference.key, reference.title) == ("test2020", "T2")
    assert reference.history.count() == 2


def test_a_references_own_edits_have_a_history_to_revert_to(admin_client):
    reference = make_reference(1, title="First title")
    reference.title = "Second title"
    reference.save()
    first = reference.history.earliest()
    revert_url = reverse("admin:library_reference_simple_history", args=[reference.pk, first.pk])
    history = admin_client.get(reverse("admin:library_reference_history", args=[reference.pk]))
    assertContains(history, f'href="{revert_url}"')
    revert = admin_client.get(revert_url)
    assert revert.context["adminform"].form["title"].value() == "First title"


# -- the list ------------------------------------------------------------------------------


def test_the_list_shows_citations_and_how_often_each_is_cited_in_constant_queries(
    admin_client, make_article, make_term, django_capture_on_commit_callbacks
):
    misev()
    with django_capture_on_commit_callbacks(execute=True):
        make_article(body="Cites [@welsh2024].")
        make_term(definition="Also [@welsh2024].")
    with CaptureQueriesContext(connection) as few:
        response = admin_client.get(CHANGELIST)
    assertContains(response, "J Extracell Vesicles. 2024;13(2):e12404.")
    assertContains(response, '<td class="field-times_cited">2</td>', html=True)

    for number in range(1, 21):
        make_reference(number)
    with CaptureQueriesContext(connection) as many:
        response = admin_client.get(CHANGELIST)
    assertContains(response, "test20")
    assert len(many) == len(few)


def test_the_list_can_be_searched_by_doi_pubmed_id_and_author(admin_client):
    misev()
    make_reference(1)
    for term in (MISEV_DOI, MISEV_PMID, "Goberdhan"):
        response = admin_client.get(CHANGELIST, {"q": term})
        assertContains(response, "welsh2024")
        assertNotContains(response, "test1")


# -- what cites it -------------------------------------------------------------------------


def test_the_change_page_lists_what_cites_it_with_links(
    admin_client, make_article, make_term, django_capture_on_commit_callbacks
):
    reference = misev()
    with django_capture_on_commit_callbacks(execute=True):
        article = make_article(title="Exosomes explained", body="See [@welsh2024].")
        term = make_term(name="Extracellular vesicle", definition="[@welsh2024]")
    response = admin_client.get(reverse("admin:library_reference_change", args=[reference.pk]))
    article_url = reverse("admin:articles_article_change", args=[article.pk])
    term_url = reverse("admin:glossary_term_change", args=[term.pk])
    assertContains(response, f'<a href="{article_url}">Exosomes explained</a>', html=True)
    assertContains(response, f'<a href="{term_url}">Extracellular vesicle</a>', html=True)
    assertContains(response, "Glossary term: ")


def test_a_reference_nothing_cites_says_so(admin_client):
    reference = make_reference(1)
    response = admin_client.get(reverse("admin:library_reference_change", args=[reference.pk]))
    assertContains(response, "Nothing cites it yet.")


# -- deleting ------------------------------------------------------------------------------


def test_deleting_a_cited_reference_is_refused_with_the_reason(
    admin_client, make_term, django_capture_on_commit_callbacks
):
    reference = misev()
    with django_capture_on_commit_callbacks(execute=True):
        make_term(definition="[@welsh2024]")
    delete = reverse("admin:library_reference_delete", args=[reference.pk])
    for response in (admin_client.get(delete), admin_client.post(delete, {"post": "yes"})):
        assert response.status_code == 302
    page = admin_client.get(reverse("admin:library_reference_change", args=[reference.pk]))
    assertContains(page, "“welsh2024” cannot be deleted: an item cites it")
    assert Reference.objects.filter(pk=reference.pk).exists()


def test_the_delete_action_refuses_cited_references_too(
    admin_client, make_term, django_capture_on_commit_callbacks
):
    reference, other = misev(), make_reference(1)
    with django_capture_on_commit_callbacks(execute=True):
        make_term(definition="[@welsh2024]")
    response = admin_client.post(
        CHANGELIST,
        {"action": "delete_selected", "_selected_action": [reference.pk, other.pk], "post": "yes"},
    )
    assertContains(response, "Cannot delete reference")
    assertContains(response, "</a> is cited by an item (listed under “Cited in” on its page)")
    assertNotContains(response, "test1")
    assert Reference.objects.count() == 2


def test_a_reference_nothing_cites_can_be_deleted(admin_client):
    reference = make_reference(1)
    delete = reverse("admin:library_reference_delete", args=[reference.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 302
    assert not Reference.objects.exists()
