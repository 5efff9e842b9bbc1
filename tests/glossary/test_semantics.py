"""Synonyms and related terms are different things: a term's synonyms (aliases) are other
names for that very term, shown as "Also called" and given as its JSON-LD alternateName;
a related but different term is linked under Related terms. The admin refuses a synonym
that is the name, abbreviation or synonym of another term, with the way out."""

import json
import re

import pytest
from django import forms
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from exosite.models import Status
from glossary.models import Term

pytestmark = pytest.mark.django_db

JSON_LD = re.compile(r'<script type="application/ld\+json"[^>]*>(.*?)</script>', re.S)


def change_url(term):
    return reverse("admin:glossary_term_change", args=[term.pk])


def form_data(client, url, **changes):
    """What the change form at `url` sends as it is shown, with `changes`."""
    response = client.get(url)
    assert response.status_code == 200
    form = response.context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if value is None or value is False or isinstance(field, forms.FileField):
            continue
        if value is True:
            value = "on"
        elif name == "tags" and not isinstance(value, str):
            value = ", ".join(tag.name for tag in value)
        elif isinstance(value, (list, tuple)):
            value = [str(getattr(v, "pk", v)) for v in value]
        data[name] = value
    data.update(changes)
    return data


def save(client, term, **changes):
    return client.post(change_url(term), form_data(client, change_url(term), **changes))


def alias_errors(response):
    assert response.status_code == 200, "the form should be shown again"
    return response.context["adminform"].form.errors.get("aliases", [])


@pytest.fixture
def tetraspanin(make_term):
    return make_term(name="Tetraspanin", status=Status.DRAFT, aliases="tetraspanins")


def test_admin_names_synonyms_and_related_terms_for_what_they_are(admin_client, tetraspanin):
    response = admin_client.get(change_url(tetraspanin))
    assertContains(response, "Synonyms and other spellings")
    assertContains(response, "Related terms (not synonyms)")
    form = response.context["adminform"].form
    assert "Related terms instead" in form.fields["aliases"].help_text
    assert "Synonyms and other spellings instead" in form.fields["related"].help_text


def test_a_synonym_that_is_a_term_of_its_own_is_refused(admin_client, make_term, tetraspanin):
    make_term(name="CD9")
    response = save(admin_client, tetraspanin, aliases="tetraspanins\ncd9")
    assert alias_errors(response) == [
        "“cd9” is a term of its own: link it under Related terms instead."
    ]
    assertContains(response, "is a term of its own: link it under Related terms instead.")
    tetraspanin.refresh_from_db()
    assert tetraspanin.aliases == "tetraspanins"


def test_another_terms_abbreviation_or_synonym_is_refused(admin_client, make_term, tetraspanin):
    make_term(name="Extracellular vesicle", abbreviation="EV", status=Status.DRAFT)
    make_term(name="Exosome", aliases="small EV\nsmall   EVs", status=Status.DRAFT)
    response = save(admin_client, tetraspanin, aliases="ev\nSmall EVs\ntetraspanin family")
    assert alias_errors(response) == [
        "“ev” is the abbreviation of “Extracellular vesicle”, a term of its own: link "
        "“Extracellular vesicle” under Related terms instead.",
        "“Small EVs” is already a synonym of “Exosome”: a name can stand for one term only. "
        "If they are different ideas, link “Exosome” under Related terms instead.",
    ]


def test_the_terms_own_name_is_not_a_synonym(admin_client, tetraspanin):
    response = save(admin_client, tetraspanin, aliases="tetraspanins\nTETRASPANIN")
    assert alias_errors(response) == ["“TETRASPANIN” is this term's own name."]


def test_repeated_synonyms_are_kept_once_in_their_first_spelling(admin_client, tetraspanin):
    response = save(
        admin_client,
        tetraspanin,
        aliases="  tetraspanins \n\nTetraspanins\nTM4SF  family\ntm4sf family\nTM4SF",
    )
    assert response.status_code == 302
    tetraspanin.refresh_from_db()
    assert tetraspanin.aliases == "tetraspanins\nTM4SF family\nTM4SF"


def test_keeping_its_own_synonyms_and_linking_the_other_term_saves(
    admin_client, make_term, tetraspanin
):
    cd9 = make_term(name="CD9", status=Status.DRAFT)
    response = save(admin_client, tetraspanin, aliases="tetraspanins", related=[str(cd9.pk)])
    assert response.status_code == 302
    assert list(tetraspanin.related.all()) == [cd9]
    assert list(cd9.related.all()) == [tetraspanin]  # linked both ways


def test_a_new_term_is_checked_against_every_other_term(admin_client, make_term):
    make_term(name="CD81", status=Status.DRAFT)
    data = form_data(admin_client, reverse("admin:glossary_term_add"))
    data.update(
        name="Tetraspanin",
        slug="tetraspanin",
        short_definition="A family of membrane proteins.",
        aliases="CD81",
        status=Status.DRAFT,
    )
    response = admin_client.post(reverse("admin:glossary_term_add"), data)
    assert alias_errors(response) == [
        "“CD81” is a term of its own: link it under Related terms instead."
    ]
    assert not Term.objects.filter(name="Tetraspanin").exists()


def test_term_page_lists_synonyms_and_related_terms_apart(client, make_term):
    cd9 = make_term(name="CD9", slug="cd9")
    term = make_term(
        name="Tetraspanin",
        aliases="tetraspanins\nTM4SF",
        related=[cd9],
    )
    response = client.get(term.get_absolute_url())
    assert response.status_code == 200
    assertContains(response, '<p class="aliases">Also called: tetraspanins, TM4SF</p>', html=True)
    assertContains(
        response,
        '<section aria-labelledby="related-terms"><h2 id="related-terms">Related terms</h2>'
        '<ul class="inline-list"><li><a href="/glossary/cd9/">CD9</a></li></ul></section>',
        html=True,
    )
    assertNotContains(response, "Also called: tetraspanins, TM4SF, CD9")
    defined = next(
        block
        for block in (json.loads(text) for text in JSON_LD.findall(response.content.decode()))
        if block.get("@type") == "DefinedTerm"
    )
    assert defined["alternateName"] == ["tetraspanins", "TM4SF"]
