"""/healthz: the database and the cache, for load balancers and monitoring; and the
content-health panel on the admin index, whose every count links to a list of exactly the
items it counts."""

import re
import socket
from datetime import timedelta
from html import unescape

import pytest
from django.contrib.auth.models import Group, User
from django.db import OperationalError
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from exosite.models import Status
from faq.models import Question
from glossary.models import Term
from trust.models import Feedback, Page

pytestmark = pytest.mark.django_db


def closed_port():
    """A loopback port nothing listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def unreachable_redis():
    return {
        "default": {
            "BACKEND": "exosite.kernel.redis.ResilientRedisCache",
            "LOCATION": f"redis://127.0.0.1:{closed_port()}/0",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }


def test_healthy(client, settings):
    settings.EXOSITE_PAGE_CACHE = True
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    data = response.json()
    assert data["status"] == "ok"
    assert data["checks"]["database"]["ok"] is True
    assert data["checks"]["cache"]["ok"] is True
    assert data["release"]
    assert "no-store" in response["Cache-Control"]
    assert "X-Cache" not in response


def test_database_down_is_an_error(client, monkeypatch):
    from exosite.kernel import health

    def refuse(*args, **kwargs):
        raise OperationalError("connection refused to db.internal:5432")

    monkeypatch.setattr(health.connection, "cursor", refuse)
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    data = response.json()
    assert data["status"] == "error"
    assert data["checks"]["database"] == {
        "ok": False,
        "ms": data["checks"]["database"]["ms"],
        "vendor": data["checks"]["database"]["vendor"],
        "error": "OperationalError",
    }
    assert "db.internal" not in response.content.decode()  # no internals leaked


def test_cache_down_is_degraded_not_down(client):
    with override_settings(CACHES=unreachable_redis()):
        response = client.get(reverse("healthz"))
    assert response.status_code == 200
    data = response.json()
    assert data["status"] == "degraded"
    assert data["checks"]["cache"]["ok"] is False
    assert data["checks"]["cache"]["backend"] == "ResilientRedisCache"
    assert data["checks"]["cache"]["error"] == "ConnectionError"


def test_health_check_answers_over_plain_http_behind_an_https_redirect(settings):
    settings.SECURE_SSL_REDIRECT = True
    client = Client()
    assert client.get(reverse("healthz")).status_code == 200
    assert client.get(reverse("home")).status_code == 301


def test_only_safe_methods(client):
    assert client.post(reverse("healthz")).status_code == 405


# The content-health panel ----------------------------------------------------------------

LINKED_ROW = re.compile(r'<li><a href="([^"]+)"><strong>(\d+)</strong> ([^<]+)</a></li>')
EMPTY_ROW = re.compile(r"<li>No ([^<]+)</li>")


def panel(client):
    """[(count, label, url)] of the linked rows, and the labels of the empty ones."""
    html = client.get(reverse("admin:index")).content.decode()
    html = html[html.index('id="content-health-title"') :]
    linked = [
        (int(n), unescape(label), unescape(url)) for url, n, label in LINKED_ROW.findall(html)
    ]
    return linked, [unescape(label) for label in EMPTY_ROW.findall(html)]


@pytest.fixture
def needs_doing(make_article, make_term, make_question):
    """Something on every row of the panel, beside items that need nothing."""
    today = timezone.localdate()
    for make in (make_article, make_term, make_question):
        make()  # fine, published
        make(status=Status.REVIEW)
    make_question(status=Status.REVIEW)
    make_term()  # so that the two terms with broken links are not all of them
    make_article(next_review_at=today - timedelta(days=1))
    make_article(next_review_at=today + timedelta(days=3))
    make_article(next_review_at=today + timedelta(days=90))
    for kind in (Article, Term, Question):
        kind.objects.filter(pk__in=kind.objects.order_by("pk").values("pk")[:2]).update(
            broken_links=1
        )
    Article.objects.filter(pk=Article.objects.order_by("-pk").values("pk")[:1]).update(
        citation_problems=2
    )
    Page.objects.create(title="Draft", slug="draft-page", body="Soon.", status=Status.REVIEW)
    Feedback.objects.create(kind=Feedback.Kind.PROBLEM, page="/glossary/", client="a")
    Feedback.objects.create(
        kind=Feedback.Kind.HELPFUL, page="/", client="b", status=Feedback.Status.DONE
    )


def test_every_health_link_lists_exactly_what_it_counts(admin_client, needs_doing):
    linked, empty = panel(admin_client)
    assert empty == ["pages with broken cross-links"]  # the only row with nothing to do
    assert len(linked) == 11
    for count, label, url in linked:
        response = admin_client.get(url)
        # An unknown filter sends the editor to the whole list with "?e=1": not this.
        assert response.status_code == 200, (label, url)
        assert response.context["cl"].result_count == count, (label, url)
        total = response.context["cl"].full_result_count
        assert count < total, f"{label}: the list should be filtered ({url})"


def test_health_counts_are_said_with_the_right_number(admin_client, needs_doing):
    labels = {label: count for count, label, _ in panel(admin_client)[0]}
    assert labels == {
        "article awaiting review": 1,
        "articles with broken cross-links": 2,
        "article overdue for medical review": 1,
        "article due for medical review within 30 days": 1,
        "article with citation problems": 1,
        "term awaiting review": 1,
        "terms with broken cross-links": 2,
        "questions awaiting review": 2,
        "questions with broken cross-links": 2,
        "page awaiting review": 1,
        "new feedback entry": 1,
    }
    Feedback.objects.create(kind=Feedback.Kind.PROBLEM, page="/faq/", client="c")
    Article.objects.filter(status=Status.REVIEW).update(broken_links=0)
    labels = {label: count for count, label, _ in panel(admin_client)[0]}
    assert labels["new feedback entries"] == 2


def test_health_links_hold_for_an_editor_too(client, needs_doing):
    editor = User.objects.create_user("eddie", password="a-long-passphrase", is_staff=True)
    editor.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor)
    linked, _ = panel(client)
    assert linked
    for count, label, url in linked:
        response = client.get(url)
        assert response.status_code == 200, (label, url)
        assert response.context["cl"].result_count == count, (label, url)
