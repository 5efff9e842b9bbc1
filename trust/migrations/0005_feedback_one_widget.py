"""One feedback widget, one model: the FAQ entries' own "Was this answer helpful?" votes
(faq.Vote) become page feedback like any other page's, kept whole (client, answer, time).
faq migration 0008 then drops their table."""

import django.utils.timezone
from django.db import migrations, models

HELPFUL, NOT_HELPFUL = "helpful", "not-helpful"


def page(slug):
    # Where FAQ entries lived when the votes were moved (faq/urls.py under /faq/).
    return f"/faq/{slug}/"


def votes_to_feedback(apps, schema_editor):
    Vote = apps.get_model("faq", "Vote")
    Feedback = apps.get_model("trust", "Feedback")
    votes = Vote.objects.values_list("question__slug", "client", "helpful", "at").order_by("pk")
    Feedback.objects.bulk_create(
        (
            Feedback(
                kind=HELPFUL if helpful else NOT_HELPFUL,
                page=page(slug),
                client=client,
                received_at=at,
                status="new",
            )
            for slug, client, helpful, at in votes.iterator(chunk_size=2000)
        ),
        batch_size=500,
    )


def feedback_to_votes(apps, schema_editor):
    """Back again: the FAQ entries' helpful feedback, the latest per visitor and entry."""
    Vote = apps.get_model("faq", "Vote")
    Question = apps.get_model("faq", "Question")
    Feedback = apps.get_model("trust", "Feedback")
    by_page = {page(slug): pk for pk, slug in Question.objects.values_list("pk", "slug")}
    rows = Feedback.objects.filter(kind__in=(HELPFUL, NOT_HELPFUL), page__startswith="/faq/")
    for kind, where, client, at in rows.values_list(
        "kind", "page", "client", "received_at"
    ).order_by("received_at", "pk"):
        if where in by_page:
            Vote.objects.update_or_create(
                question_id=by_page[where],
                client=client,
                defaults={"helpful": kind == HELPFUL, "at": at},
            )
    rows.filter(page__in=list(by_page)).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("trust", "0004_revisions_keep_related"),
        ("faq", "0007_submission_email_claims"),
    ]

    operations = [
        migrations.AlterField(
            model_name="feedback",
            name="received_at",
            field=models.DateTimeField(
                db_index=True, default=django.utils.timezone.now, editable=False
            ),
        ),
        migrations.RunPython(votes_to_feedback, feedback_to_votes),
    ]
