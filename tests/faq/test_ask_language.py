"""A question asked in Spanish is answered in Spanish (issue 17, item 5): the submission
keeps the language of the address it was asked at, the answer email is in it (subject,
words, links to the Spanish pages), staff see and filter the queue by it, and the FAQ
entry it becomes is in it, under a topic in it."""

import re

import pytest
from django.core import mail
from django.urls import reverse
from pytest_django.asserts import assertContains

from exosite.models import Status
from faq.models import Question, Submission, Topic
from faq.notifications import notify_visitor
from faq.workflow import CannotPublish, publish

from .test_desk import BASE, change_url, press

pytestmark = pytest.mark.django_db

ASK_ES = "/es/faq/ask/"


@pytest.fixture(autouse=True)
def site_address(settings):
    settings.EXOSITE_BASE_URL = BASE
    settings.MANAGERS = [("Staff", "staff@example.org")]


@pytest.fixture
def tema(db):
    return Topic.objects.create(name="Conceptos básicos", slug="conceptos", language="es")


@pytest.fixture
def spanish(db):
    return Submission.objects.create(
        question="¿Se usan los exosomas contra el melanoma?",
        name="Ana",
        email="ana@example.org",
        consent=True,
        client="c" * 32,
        language="es",
    )


def ask(client, path, ask_data, capture, **fields):
    with capture(execute=True):
        return client.post(path, ask_data(**fields))


def test_a_question_asked_at_the_spanish_form_is_spanish(
    client, ask_data, django_capture_on_commit_callbacks
):
    response = ask(
        client,
        ASK_ES,
        ask_data,
        django_capture_on_commit_callbacks,
        question="¿Pueden los exosomas de grasa tratar la artrosis de rodilla?",
    )
    assert response.status_code == 302
    assert response["Location"] == "/es/faq/ask/thanks/"
    submission = Submission.objects.get()
    assert submission.language == "es"
    # Staff read their email in the admin's language, told which language to answer in.
    [staff] = mail.outbox
    assert staff.subject.endswith("New visitor question")
    assert "Asked in: Español" in staff.body
    assert "Asked in: Español" in staff.alternatives[0][0]


def test_a_question_asked_at_the_english_form_is_english(
    client, ask_data, django_capture_on_commit_callbacks
):
    ask(client, "/faq/ask/", ask_data, django_capture_on_commit_callbacks)
    assert Submission.objects.get().language == "en"
    assert "Asked in: English" in mail.outbox[0].body


def test_the_answer_email_is_in_the_language_asked_with_its_links(
    spanish, make_term, make_question, tema
):
    """Spanish words and subject, links to the Spanish pages, whatever language is
    active where the email is sent (the worker has none)."""
    make_term(name="Melanoma", slug="melanoma")
    make_term(name="Melanoma", slug="melanoma-es", language="es")
    make_question(question="¿Qué es un exosoma?", slug="que-es", language="es", topic=tema)
    spanish.staff_answer = "Solo hay ensayos iniciales en [[Melanoma]]. Vea también [[faq:que-es]]."
    spanish.status = Submission.Status.ANSWERED
    spanish.save()

    assert notify_visitor(spanish) == "sent"

    [email] = mail.outbox
    assert email.to == ["ana@example.org"]
    assert email.subject == "Hemos respondido a su pregunta a Exosite"
    text, html = email.body, email.alternatives[0][0]
    assert text.startswith("Hola, Ana:\n\nGracias por su pregunta a Exosite. Usted preguntó:")
    assert "¿Se usan los exosomas contra el melanoma?" in text
    assert f"Melanoma ({BASE}/es/glossary/melanoma-es/)" in text
    assert f"({BASE}/es/faq/que-es/)" in text
    assert f"Exosite - {BASE}/es/" in text
    assert f'href="{BASE}/es/glossary/melanoma-es/"' in html
    for part in (text, html):
        assert "Thank you" not in part and "Hello" not in part
        assert f"{BASE}/glossary/" not in part  # never the English pages


def test_an_english_answer_stays_english_when_spanish_is_active(make_term):
    from django.utils import translation

    make_term(name="Melanoma", slug="melanoma")
    english = Submission.objects.create(
        question="Are exosomes used against melanoma?",
        email="sam@example.org",
        consent=True,
        staff_answer="Early trials in [[Melanoma]].",
        status=Submission.Status.ANSWERED,
    )
    with translation.override("es"):
        notify_visitor(english)
    [email] = mail.outbox
    assert email.subject == "Your question to Exosite has been answered"
    assert email.body.startswith("Hello,\n\nThank you for your question")
    assert f"Melanoma ({BASE}/glossary/melanoma/)" in email.body


def test_the_spanish_entry_link_once_published(spanish, tema, admin_user):
    spanish.staff_answer = "Solo ensayos iniciales."
    spanish.topic = tema
    entry = publish(spanish, admin_user)
    entry.status = Status.PUBLISHED
    entry.save()
    spanish.refresh_from_db()
    notify_visitor(spanish)
    [email] = mail.outbox
    assert (
        "También hemos publicado esta respuesta en nuestras preguntas frecuentes: "
        f"{BASE}/es/faq/{entry.slug}/"
    ) in email.body


def test_publishing_makes_a_spanish_entry_under_a_spanish_topic(
    spanish, tema, topic, admin_user, make_question
):
    # An English entry with the slug the Spanish one will take: slugs are per language.
    make_question(question="Taken", slug="se-usan-los-exosomas-contra-el-melanoma")
    spanish.staff_answer = "Solo ensayos iniciales."
    spanish.topic = topic  # English
    with pytest.raises(CannotPublish) as refused:
        publish(spanish, admin_user)
    assert "asked in Español: choose a topic in Español" in str(refused.value)
    assert not Question.objects.filter(language="es").exists()

    spanish.topic = tema
    entry = publish(spanish, admin_user)
    assert entry.language == "es"
    assert entry.slug == "se-usan-los-exosomas-contra-el-melanoma"
    assert entry.topic == tema and entry.status == Status.REVIEW
    assert entry.get_absolute_url() == f"/es/faq/{entry.slug}/"


def test_the_desk_refuses_a_topic_in_another_language_next_to_the_field(
    admin_client, spanish, topic, tema
):
    response = press(admin_client, spanish, "publish", staff_answer="Sí.", topic=topic.pk)
    assertContains(response, "choose a topic in Español")
    assert not Question.objects.exists()
    response = press(admin_client, spanish, "publish", staff_answer="Sí.", topic=tema.pk)
    assertContains(response, "Sent to the FAQ")
    assert Question.objects.get().language == "es"


def test_the_queue_shows_and_filters_by_language(
    admin_client, spanish, django_assert_max_num_queries
):
    for n in range(5):
        Submission.objects.create(question=f"English question {n}?", client="d" * 32)
    url = reverse("admin:faq_submission_changelist")
    queue = admin_client.get(url)
    assertContains(queue, '<td class="field-language">Español</td>', html=True)
    assertContains(queue, '<td class="field-language">English</td>', count=5, html=True)
    only_spanish = admin_client.get(url, {"language__exact": "es"})
    assert list(only_spanish.context["cl"].result_list) == [spanish]
    for n in range(20):
        Submission.objects.create(question=f"Pregunta {n}?", client="e" * 32, language="es")
    with django_assert_max_num_queries(20) as queries:
        admin_client.get(url, {"language__exact": "es"})
    few = len(queries)
    for n in range(20):
        Submission.objects.create(question=f"Otra pregunta {n}?", client="f" * 32, language="es")
    with django_assert_max_num_queries(few):  # does not grow with the queue
        admin_client.get(url, {"language__exact": "es"})


def test_the_desk_shows_the_language_and_previews_links_in_it(admin_client, spanish, make_term):
    make_term(name="Melanoma", slug="melanoma")
    make_term(name="Melanoma", slug="melanoma-es", language="es")
    page = admin_client.get(change_url(spanish))
    assertContains(page, "Español")
    preview_url = re.search(r'data-url="([^"]+)"', page.content.decode()).group(1)
    assert preview_url.endswith("?language=es")
    preview = admin_client.post(preview_url.replace("&amp;", "&"), {"text": "Sobre [[Melanoma]]."})
    assert 'href="/es/glossary/melanoma-es/"' in preview.json()["html"]
