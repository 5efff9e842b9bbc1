"""Limits that hold when requests arrive at the same moment.

Each simulated visitor is a thread with its own database connection that waits at a
barrier and then sends its request through the whole site, so the transactions really
overlap. On SQLite the threads share a file database, as in production (the in-memory test
database refuses concurrent writers instead of queueing them); on PostgreSQL they share
the test database, so these tests run in committed transactions.
"""

import sqlite3
import threading
from contextlib import closing

import pytest
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.test import Client
from django.urls import reverse

from exosite.kernel import ratelimit
from exosite.models import RateLimitHit
from faq.models import Submission
from tests.faq.conftest import started
from trust.models import Feedback

pytestmark = pytest.mark.django_db(transaction=True)

AT_ONCE = 16  # simultaneous requests from one visitor
VISITOR = "203.0.113.5"


@pytest.fixture
def shared_database(transactional_db, tmp_path):
    """A database every thread can write to at once; yields how a thread connects to it."""
    if connection.vendor != "sqlite" or not connection.is_in_memory_db():
        yield lambda: connections.create_connection(DEFAULT_DB_ALIAS)
        return
    path = tmp_path / "concurrent.sqlite3"
    connection.ensure_connection()
    with closing(sqlite3.connect(path)) as target:
        connection.connection.backup(target)
    settings_dict = {**connection.settings_dict, "NAME": str(path)}
    wrapper = type(connections[DEFAULT_DB_ALIAS])

    def connect():
        return wrapper(settings_dict, DEFAULT_DB_ALIAS)

    # The test itself reads and writes the same file (connecting first turns on WAL).
    in_memory = connections[DEFAULT_DB_ALIAS]
    connections[DEFAULT_DB_ALIAS] = own = connect()
    own.ensure_connection()
    try:
        yield connect
    finally:
        own.close()
        connections[DEFAULT_DB_ALIAS] = in_memory


@pytest.fixture
def at_once(shared_database):
    """at_once(action) runs action(n) for n in range(AT_ONCE), all threads released at the
    same moment, each on its own connection; returns the results in order."""

    def run(action):
        barrier = threading.Barrier(AT_ONCE)
        results = [None] * AT_ONCE
        errors = []

        def thread(n):
            connections[DEFAULT_DB_ALIAS] = shared_database()
            try:
                barrier.wait(timeout=30)
                results[n] = action(n)
            except BaseException as error:  # reported in the test's own thread
                errors.append(error)
            finally:
                connections.close_all()

        threads = [threading.Thread(target=thread, args=(n,)) for n in range(AT_ONCE)]
        for each in threads:
            each.start()
        for each in threads:
            each.join(timeout=60)
        assert not errors, errors
        return results

    return run


def post(url, data):
    return Client(REMOTE_ADDR=VISITOR).post(url, data).status_code


def test_simultaneous_calls_count_exactly_the_limit(at_once):
    allowed = at_once(lambda n: ratelimit.hit("test", "one-client", "5/h"))
    assert allowed.count(True) == 5
    assert RateLimitHit.objects.filter(scope="test").count() == 5


def test_simultaneous_questions_store_exactly_the_limit(at_once, settings):
    settings.EXOSITE_ASK_RATE = "5/h"
    tokens = [started() for _ in range(AT_ONCE)]

    def ask(n):
        return post(
            reverse("faq:ask"),
            {"question": f"Question number {n} about vesicles?", "started": tokens[n]},
        )

    statuses = at_once(ask)
    assert sorted(statuses) == [302] * 5 + [429] * (AT_ONCE - 5)
    assert Submission.objects.count() == 5
    assert RateLimitHit.objects.filter(scope="ask").count() == 5


def test_the_same_question_sent_at_once_is_kept_once(at_once):
    tokens = [started() for _ in range(AT_ONCE)]
    text = "Can exosomes from fat tissue be used to treat knee arthritis?"
    statuses = at_once(lambda n: post(reverse("faq:ask"), {"question": text, "started": tokens[n]}))
    assert statuses == [302] * AT_ONCE
    assert Submission.objects.count() == 1
    assert RateLimitHit.objects.filter(scope="ask").count() == 1


def test_simultaneous_page_feedback_is_one_vote_per_page_per_day(at_once):
    statuses = at_once(
        lambda n: post(reverse("trust:helpful"), {"page": "/faq/", "helpful": "yes"})
    )
    assert statuses == [302] * AT_ONCE
    assert Feedback.objects.count() == 1
    assert RateLimitHit.objects.filter(scope="feedback").count() == 1


def test_simultaneous_page_feedback_stores_exactly_the_limit(at_once, settings):
    settings.EXOSITE_FEEDBACK_RATE = "5/h"
    statuses = at_once(
        lambda n: post(reverse("trust:helpful"), {"page": f"/page-{n}/", "helpful": "yes"})
    )
    assert sorted(statuses) == [302] * 5 + [429] * (AT_ONCE - 5)
    assert Feedback.objects.count() == 5


def test_simultaneous_problem_reports_store_exactly_the_limit(at_once, settings):
    settings.EXOSITE_FEEDBACK_RATE = "3/h"
    tokens = [started() for _ in range(AT_ONCE)]

    def report(n):
        return post(
            reverse("trust:problem"),
            {"page": "/faq/", "comment": f"Report number {n}.", "started": tokens[n]},
        )

    statuses = at_once(report)
    assert sorted(statuses) == [200] * 3 + [429] * (AT_ONCE - 3)
    assert Feedback.objects.count() == 3
