"""Tools that find content by slug or name outside the public views, in two languages
(issue 17): each finds the item of the right language, never its namesake in the other."""

import pytest
from django.urls import reverse

from exosite.models import Status
from faq.models import Topic
from glossary.models import Term
from tests.glossary.test_semantics import alias_errors, form_data

pytestmark = pytest.mark.django_db


def test_a_topic_translation_can_be_saved(topic):
    # Topics keep no edit version: a translation of one is made from its text alone.
    tema = Topic.objects.create(
        name="Conceptos básicos", slug="conceptos-basicos", language="es", translation_of=topic
    )
    assert tema.translated_fingerprint and not tema.translation_outdated
    topic.name = "The basics"
    topic.save()
    tema.refresh_from_db()
    assert tema.translation_outdated


def test_the_admins_synonym_rule_is_per_language(admin_client, make_term):
    """A Spanish term may go by a name an English term has (each language links its own
    glossary), never by another Spanish term's."""
    make_term(name="Extracellular vesicle", abbreviation="EV", status=Status.DRAFT)
    url = reverse("admin:glossary_term_add")
    data = form_data(admin_client, url)
    data.update(
        name="Vesícula extracelular",
        slug="vesicula-extracelular",
        language="es",
        short_definition="Una vesícula.",
        aliases="EV",
        status=Status.DRAFT,
    )
    response = admin_client.post(url, data)
    assert response.status_code == 302, alias_errors(response)
    assert Term.objects.get(language="es").alias_list == ["EV"]
    data.update(name="Otra vesícula", slug="otra")
    response = admin_client.post(url, data)
    assert alias_errors(response) == [
        "“EV” is already a synonym of “Vesícula extracelular”: a name can stand for one term "
        "only. If they are different ideas, link “Vesícula extracelular” under Related terms "
        "instead."
    ]
    data.update(language="en", name="Yet another vesicle", slug="yet-another")
    response = admin_client.post(url, data)
    assert alias_errors(response)[0].startswith("“EV” is the abbreviation of “Extracellular")
