"""Forms you can recover from: the error summary links each message to its field, and a
form refused by the CSRF check comes back on the site's own page ready to send again."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from faq.models import Submission
from trust.models import Feedback

from .conftest import started

pytestmark = pytest.mark.django_db
ASK = reverse("faq:ask")


def token_in(response):
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.text).group(1)


def test_the_error_summary_is_focused_and_links_each_message_to_its_field(client, ask_data):
    response = client.post(ASK, ask_data(question="Why?", email="not-an-email", consent=None))
    assert response.status_code == 400
    summary = re.search(r'<div class="form-errors".*?</div>', response.text, re.S).group(0)
    assert "autofocus" in summary and 'tabindex="-1"' in summary
    assert "{#" not in response.text and "comment %}" not in response.text
    assert '<a href="#id_question">Please write a little more' in summary
    assert '<a href="#id_email">Enter an email address like name@example.org' in summary
    # The links lead to fields that exist, each saying what is wrong beside it.
    assert 'id="id_question"' in response.text and 'id="id_email"' in response.text
    assert response.text.count("Enter an email address like") == 2  # summary and field
    assertContains(response, "<title>Error: Ask a question", status_code=400)


def test_a_too_fast_send_says_why_and_keeps_the_text(client, ask_data):
    response = client.post(ASK, ask_data(started=started(seconds_ago=0)))
    assertContains(response, "faster than anyone can type", status_code=400)
    assertContains(response, "Please read it through and send it again", status_code=400)
    assertContains(response, "Can exosomes from fat tissue", status_code=400)
    assertContains(response, 'value="sam@example.org"', status_code=400)


def test_a_csrf_failure_brings_the_question_back_ready_to_send_again(ask_data):
    visitor = Client(enforce_csrf_checks=True)  # cookies cleared: no CSRF cookie, no token
    refused = visitor.post(ASK, ask_data())
    assert refused.status_code == 403
    assertContains(refused, "Not sent yet: please send it again", status_code=403)
    assertContains(refused, "Can exosomes from fat tissue be used", status_code=403)
    assertContains(refused, 'value="Sam"', status_code=403)
    assertContains(refused, 'value="sam@example.org"', status_code=403)
    assertContains(refused, 'id="id_consent" checked', status_code=403)
    assertContains(refused, f'action="{ASK}"', status_code=403)
    assertNotContains(refused, 'name="website"', status_code=403)
    assert not Submission.objects.exists()
    # The page set a fresh CSRF cookie; sending its form again goes through.
    assert "csrftoken" in refused.cookies
    form = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', refused.text))
    again = visitor.post(
        ASK, ask_data(started=form["started"], csrfmiddlewaretoken=form["csrfmiddlewaretoken"])
    )
    assert again.status_code == 302
    assert Submission.objects.get().email == "sam@example.org"


def test_a_refused_problem_report_keeps_its_page_and_text():
    visitor = Client(enforce_csrf_checks=True)
    data = {"page": "/glossary/", "comment": "The definition of <b>EV</b> is cut short."}
    refused = visitor.post(reverse("trust:problem"), data)
    assertContains(refused, 'name="page" value="/glossary/"', status_code=403)
    assertContains(
        refused, "The definition of &lt;b&gt;EV&lt;/b&gt; is cut short.", status_code=403
    )
    assert not Feedback.objects.exists()


def test_other_forms_get_the_explanation_but_nothing_echoed(admin_user):
    visitor = Client(enforce_csrf_checks=True)
    refused = visitor.post(
        reverse("admin:login"), {"username": "admin", "password": "secret-passphrase"}
    )
    assertContains(refused, "Not sent yet", status_code=403)
    assertNotContains(refused, "secret-passphrase", status_code=403)
    assertNotContains(refused, "Send it again", status_code=403)
