from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("articles", "0007_references_into_the_library")]

    operations = [
        migrations.RemoveField(
            model_name="historicalreference",
            name="article",
        ),
        migrations.RemoveField(
            model_name="historicalreference",
            name="history_user",
        ),
        migrations.RemoveConstraint(
            model_name="reference",
            name="unique_reference_position",
        ),
        migrations.RemoveField(
            model_name="article",
            name="authors",
        ),
        migrations.RemoveField(
            model_name="article",
            name="reviewed_by",
        ),
        migrations.RemoveField(
            model_name="historicalarticle",
            name="authors",
        ),
        migrations.RemoveField(
            model_name="historicalarticle",
            name="reviewed_by",
        ),
        migrations.DeleteModel(
            name="HistoricalReference",
        ),
        migrations.DeleteModel(
            name="Reference",
        ),
    ]
