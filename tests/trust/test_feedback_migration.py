"""trust 0005 moves the FAQ entries' own votes into the one feedback model, whole."""

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("trust", "0004_revisions_keep_related"), ("faq", "0007_submission_email_claims")]
AFTER = [("trust", "0005_feedback_one_widget"), ("faq", "0008_votes_moved_to_feedback")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def migrated_back(transactional_db):
    """The tables as before the move; the latest schema again afterwards, pass or fail."""
    yield migrate(BEFORE)
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


def test_faq_votes_become_page_feedback_without_loss_and_back(migrated_back):
    apps = migrated_back
    Topic = apps.get_model("faq", "Topic")
    Question = apps.get_model("faq", "Question")
    Vote = apps.get_model("faq", "Vote")
    Feedback = apps.get_model("trust", "Feedback")
    topic = Topic.objects.create(name="Safety", slug="safety")
    one = Question.objects.create(question="Is it safe?", slug="is-it-safe", topic=topic)
    two = Question.objects.create(question="Does it last?", slug="does-it-last", topic=topic)
    when = datetime(2026, 3, 4, 5, 6, 7, tzinfo=UTC)
    Vote.objects.create(question=one, client="a" * 32, helpful=True, at=when)
    Vote.objects.create(question=one, client="b" * 32, helpful=False, at=when)
    Vote.objects.create(question=two, client="a" * 32, helpful=False, at=when)
    Feedback.objects.create(kind="problem", page="/faq/is-it-safe/", comment="Typo", client="c")

    apps = migrate(AFTER)
    Feedback = apps.get_model("trust", "Feedback")
    moved = set(
        Feedback.objects.exclude(kind="problem").values_list(
            "page", "client", "kind", "received_at", "status"
        )
    )
    assert moved == {
        ("/faq/is-it-safe/", "a" * 32, "helpful", when, "new"),
        ("/faq/is-it-safe/", "b" * 32, "not-helpful", when, "new"),
        ("/faq/does-it-last/", "a" * 32, "not-helpful", when, "new"),
    }
    assert Feedback.objects.filter(kind="problem").count() == 1
    assert "faq_vote" not in connection.introspection.table_names()

    apps = migrate(BEFORE)  # and back, for a deploy rolled back
    Vote = apps.get_model("faq", "Vote")
    assert set(Vote.objects.values_list("question__slug", "client", "helpful", "at")) == {
        ("is-it-safe", "a" * 32, True, when),
        ("is-it-safe", "b" * 32, False, when),
        ("does-it-last", "a" * 32, False, when),
    }
    assert list(apps.get_model("trust", "Feedback").objects.values_list("kind")) == [("problem",)]
