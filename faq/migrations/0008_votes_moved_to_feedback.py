"""The FAQ entries' votes now live in the site's one feedback model (trust 0005 moved
them there)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("faq", "0007_submission_email_claims"),
        ("trust", "0005_feedback_one_widget"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="vote", name="one_vote_per_client"),
        migrations.DeleteModel(name="Vote"),
    ]
