"""Each content kind has one name everywhere (exosite.kernel.kinds): the search index's
`kind` column now says "glossary" and "faq" (the cross-link prefixes) where it said "term"
and "question", and the choices live in the kind registry instead of the column."""

from django.db import migrations, models
from django.db.models import Value
from django.db.models.functions import Replace

RENAMED = {"term": "glossary", "question": "faq"}


def rename(apps, schema_editor, names):
    documents = apps.get_model("exosite", "SearchDocument").objects
    for old, new in names.items():
        # The SQLite full-text index follows through its triggers; the filter word of the
        # kind ("kindterm") changes with it.
        documents.filter(kind=old).update(
            kind=new, filters=Replace("filters", Value(f"kind{old}"), Value(f"kind{new}"))
        )


def forwards(apps, schema_editor):
    rename(apps, schema_editor, RENAMED)


def backwards(apps, schema_editor):
    rename(apps, schema_editor, {new: old for old, new in RENAMED.items()})


class Migration(migrations.Migration):
    dependencies = [("exosite", "0004_sharelink_slugredirect")]

    operations = [
        migrations.AlterField(
            model_name="searchdocument",
            name="kind",
            field=models.CharField(max_length=20),
        ),
        migrations.RunPython(forwards, backwards),
    ]
