"""Promoted results (exosite/insight/promotions.py): an item editors pin to a query and
its variants comes first, marked "Recommended", in search and type-ahead, only while it
is published and only in its promotion's language."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains

from exosite.insight.models import Promotion
from exosite.models import Status

pytestmark = pytest.mark.django_db


def search(client, q, **params):
    return client.get(reverse("search"), {"q": q, **params})


def titles(response):
    from django.utils.html import strip_tags

    return [strip_tags(str(result.title)) for result in response.context["results"]]


def suggested(client, q):
    return client.get(reverse("search-suggest"), {"q": q}).json()["results"]


def pin(obj, kind, query, **fields):
    return Promotion.objects.create(query=query, kind=kind, object_id=obj.pk, **fields)


def test_a_pinned_item_comes_first_marked_recommended(client, make_article, make_question):
    make_article(title="Vesicle biology", body="vesicle " * 50)
    make_article(title="Vesicle transport", body="vesicle " * 40)
    answer = make_question(question="Which clinics sell vesicle treatments?")
    pin(answer, "faq", "vesicle")
    response = search(client, "Vesicle")
    assert titles(response)[0] == "Which clinics sell vesicle treatments?"
    assert titles(response).count("Which clinics sell vesicle treatments?") == 1
    assertContains(response, '<strong class="result-recommended">Recommended</strong>', count=1)
    # Shown as the first result, read out with it.
    html = response.content.decode()
    assert html.index("result-recommended") < html.index("biology")


def test_a_query_that_finds_nothing_shows_its_pinned_answer(client, make_term):
    term = make_term(name="Extracellular vesicle")
    pin(term, "glossary", "stem cell clinics", variants="stemcell clinic\nSTEM-CELL CLINICS?")
    for typed in ("stem cell clinics", "Stem-Cell Clinics?", "stemcell clinic"):
        response = search(client, typed)
        assert titles(response) == ["Extracellular vesicle"], typed
        assertContains(response, "result-recommended")
        assert "Nothing found" not in response.content.decode()
    assert titles(search(client, "stem cell")) == []  # a variant matches whole, not a part


def test_unpublished_inactive_and_other_language_pins_are_not_shown(
    client, make_term, make_article
):
    draft = make_term(name="Draft term", status=Status.DRAFT)
    gone = make_term(name="Inactive pin")
    spanish = make_term(name="Vesícula", slug="vesicula", language="es")
    pin(draft, "glossary", "orphan query")
    pin(gone, "glossary", "orphan query", active=False)
    pin(spanish, "glossary", "orphan query", language="es")
    assert titles(search(client, "orphan query")) == []
    assert suggested(client, "orphan query") == []


def test_a_kind_filter_keeps_only_its_kind_of_pins(client, make_term, make_article):
    term = make_term(name="Vesicle")
    make_article(title="Vesicle news")
    pin(term, "glossary", "vesicle")
    assert titles(search(client, "vesicle", kind="article")) == ["Vesicle news"]
    assert titles(search(client, "vesicle", kind="glossary"))[0] == "Vesicle"


def test_pinned_items_lead_the_typeahead(client, make_term, make_article):
    make_article(title="Stem cells in the clinic")
    answer = make_article(title="Unproven treatments: what to ask")
    pin(answer, "article", "stem cell clinics")
    results = suggested(client, "stem cell clinics")
    assert results[0]["title"] == "Unproven treatments: what to ask"
    assert results[0]["recommended"] is True
    assert results[0]["kind_label"] == "Recommended · Article"
    # What was typed so far leads to it too (three characters at least).
    assert suggested(client, "stem c")[0]["title"] == "Unproven treatments: what to ask"
    assert all(not item.get("recommended") for item in suggested(client, "clinic"))


def test_an_unpublished_pin_is_not_offered_by_typeahead(client, make_article):
    answer = make_article(title="Unproven treatments", status=Status.DRAFT)
    pin(answer, "article", "stem cell clinics")
    assert suggested(client, "stem cell clinics") == []


def test_a_new_pin_shows_at_once_through_the_page_cache(client, make_term, page_cache):
    term = make_term(name="Extracellular vesicle")
    first = search(client, "stem cell clinics")
    assert first["X-Cache"] == "miss"
    assert "result-recommended" not in first.content.decode()
    assert search(client, "stem cell clinics")["X-Cache"] == "hit"
    pin(term, "glossary", "stem cell clinics")  # raises the content version
    again = search(client, "stem cell clinics")
    assert again["X-Cache"] == "miss"
    assertContains(again, "result-recommended")


# -- the admin ------------------------------------------------------------------------------


def test_editors_pin_an_item_by_its_address(admin_client, make_term):
    term = make_term(name="Dendritic cell", slug="dendritic-cell")
    add = reverse("admin:insight_promotion_add")
    form = admin_client.get(add, {"query": "dc vaccine"})
    assert form.context["adminform"].form.initial["query"] == "dc vaccine"
    data = {
        "query": "dc vaccine",
        "variants": "dendritic vaccine",
        "language": "en",
        "position": 1,
        "active": "on",
    }
    response = admin_client.post(add, {**data, "item": "/glossary/no-such-term/"})
    assert response.status_code == 200
    assertContains(response, "No item has that address")
    assertContains(response, "dendritic vaccine")  # what was typed is kept
    response = admin_client.post(
        add, {**data, "item": "http://testserver/glossary/dendritic-cell/"}
    )
    assert response.status_code == 302
    promotion = Promotion.objects.get()
    assert (promotion.kind, promotion.object_id) == ("glossary", term.pk)
    response = admin_client.post(
        reverse("admin:insight_promotion_change", args=[promotion.pk]),
        {**data, "item": "glossary:dendritic-cell", "position": 2},
    )
    assert response.status_code == 302
    listing = admin_client.get(reverse("admin:insight_promotion_changelist"))
    assertContains(listing, "Dendritic cell")


def test_a_query_of_punctuation_only_is_refused(admin_client, make_term):
    make_term(name="Dendritic cell", slug="dendritic-cell")
    response = admin_client.post(
        reverse("admin:insight_promotion_add"),
        {"query": "?!", "item": "glossary:dendritic-cell", "language": "en", "position": 1},
    )
    assert response.status_code == 200
    assertContains(response, "Type a word or two")
    assert Promotion.objects.count() == 0


def test_faq_staff_read_promotions_only(client, django_user_model):
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user("fay", password="pw", is_staff=True)
    user.groups.add(Group.objects.get(name="FAQ staff"))
    client.force_login(user)
    assert client.get(reverse("admin:insight_promotion_changelist")).status_code == 200
    assert client.get(reverse("admin:insight_promotion_add")).status_code == 403
