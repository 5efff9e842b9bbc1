"""`manage.py backup` then `manage.py restore` into an empty database loses nothing."""

import gzip
import io
import json
from collections import Counter
from datetime import timedelta

import pytest
from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from PIL import Image

from articles.models import Article, Figure
from exosite.management.commands.backup import NATURAL_PRIMARY, exported_models
from exosite.models import Mention, Status
from faq.models import Question, Submission, Topic
from glossary.models import Term
from library.models import Citation, Reference
from trust.models import Feedback, Page, Person, PersonTranslation

pytestmark = pytest.mark.django_db(transaction=True)


def png():
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "#3a7").save(buffer, "PNG")
    return ContentFile(buffer.getvalue(), name="cells.png")


@pytest.fixture
def site_data(make_article, make_term, make_question, topic, reviewer, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    User = get_user_model()
    editor = User.objects.create_user("editor", "e@example.org", "a-long-passphrase")
    editor.groups.add(Group.objects.get(name="Editors"))
    User.objects.create_superuser("boss", "b@example.org", "a-long-passphrase")
    vesicle = make_term(name="Extracellular vesicle", aliases="EV\nvesicles", tags=["Biology"])
    make_term(name="Exosome", related=[vesicle], abbreviation="EXO")
    make_term(name="Draft term", status=Status.DRAFT)
    article = make_article(
        title="Exosomes in wound healing",
        body="Extracellular vesicle research [1] and more [2].",
        references=2,
        tags=["Biology", "Wound healing"],
    )
    Figure.objects.create(article=article, key="cells", image=png(), alt="Cells in culture")
    make_article(title="Scheduled", published_at=timezone.now() + timedelta(days=3))
    make_article(title="Draft", status=Status.DRAFT)
    article.title = "Exosomes and wound healing"  # a revision
    article.save()
    question = make_question(question="Are exosomes stem cells?", tags=["Basics"])
    question.record_review(reviewer)
    question.save()
    submission = Submission.objects.create(
        question="Can I buy exosome creams?", name="Sam", email="sam@example.org", consent=True
    )
    submission.assignee = editor
    submission.save()
    submission.tags.add("Cosmetics")
    Feedback.objects.create(kind="helpful", page=question.get_absolute_url(), client="c" * 32)
    LogEntry.objects.create(
        user=editor,
        content_type=ContentType.objects.get_for_model(Article),
        object_id=str(article.pk),
        object_repr=str(article),
        action_flag=ADDITION,
        change_message="[]",
    )
    assert Mention.objects.exists()
    assert Citation.objects.count() == 2  # written when the article was linked
    return settings.MEDIA_ROOT


def snapshot():
    """Every exported object, as the serializer sees it (natural keys for what migrate
    re-creates), sorted: equal snapshots mean nothing was lost or changed."""
    rows = []
    for model in exported_models():
        label = model._meta.label_lower
        for data in serializers.serialize(
            "python",
            model._base_manager.order_by("pk"),
            use_natural_foreign_keys=True,
            use_natural_primary_keys=label in NATURAL_PRIMARY,
        ):
            rows.append(json.dumps(data, sort_keys=True, default=str))
    return sorted(rows)


def test_round_trip_into_an_empty_database_loses_nothing(site_data, tmp_path, capsys):
    before = snapshot()
    counts = {m._meta.label_lower: m._base_manager.count() for m in exported_models()}
    assert counts["articles.article"] == 3
    assert "articles.reference" not in counts  # references live in the library now
    assert counts["library.reference"] == 2
    assert counts["library.citation"] == 2
    assert counts["library.historicalreference"] == 2
    assert counts["trust.person"] == 2  # the articles' author and the reviewer
    assert counts["articles.historicalarticle"] >= 4  # revisions
    assert counts["taggit.taggeditem"] == 5
    assert counts["faq.submission"] == counts["trust.feedback"] == 1
    path = tmp_path / "backup.json.gz"
    call_command("backup", output=str(path))
    assert "Backup written" in capsys.readouterr().out

    call_command("flush", interactive=False, verbosity=0)  # an empty database, migrated
    assert not Article.objects.exists()
    assert not get_user_model().objects.exists()
    call_command("restore", str(path))

    after = snapshot()
    assert Counter(before) - Counter(after) == Counter()  # nothing lost or changed
    assert Counter(after) - Counter(before) == Counter()  # nothing added
    # What restore rebuilds instead of loading works too.
    assert Term.objects.get(name="Exosome").related.get().name == "Extracellular vesicle"
    article = Article.objects.get(title="Exosomes and wound healing")
    assert article.history.count() >= 2
    # The article still cites its library references, in order, and names its author;
    # the question keeps its current review.
    citations = Citation.objects.filter(
        content_type=ContentType.objects.get_for_model(Article), object_id=article.pk
    ).order_by("position")
    assert [(c.position, c.reference.key) for c in citations] == [(1, "ref1"), (2, "ref2")]
    assert [p.slug for p in article.author_profiles.all()] == ["edna-editor"]
    question = Question.objects.get(question="Are exosomes stem cells?")
    assert question.reviewer.name == "Rita Reviewer" and question.review_current
    assert Reference.objects.get(key="ref1").citations.count() == 1
    assert Group.objects.get(name="Editors").permissions.exists()
    assert get_user_model().objects.get(username="editor").check_password("a-long-passphrase")
    new = Article.objects.create(title="After restore", slug="after", summary="s", body="b")
    assert new.pk > article.pk  # sequences moved past the restored rows


def test_the_backup_lists_media_and_counts(site_data, tmp_path):
    path = tmp_path / "backup.json.gz"
    call_command("backup", output=str(path))
    with gzip.open(path, "rt") as handle:
        data = json.load(handle)
    assert data["format"] == "exosite-backup"
    assert data["media_missing"] == []
    figure = Figure.objects.get()
    listed = {item["path"]: item for item in data["media"]}
    assert figure.image.name in listed
    assert listed[figure.image.name]["size"] == figure.image.size
    assert len(listed[figure.image.name]["sha256"]) == 64
    assert data["counts"]["faq.submission"] == 1
    labels = {obj["model"] for obj in data["objects"]}
    assert {"sessions.session", "exosite.ratelimithit", "exosite.searchdocument"}.isdisjoint(labels)
    assert "contenttypes.contenttype" not in labels
    assert "articles.historicalarticle" in labels
    assert {"library.reference", "library.citation", "trust.person"} <= labels


def test_backup_file_names_are_dated(site_data, tmp_path):
    call_command("backup", dir=str(tmp_path / "backups"))
    (written,) = (tmp_path / "backups").iterdir()
    assert written.name.startswith("exosite-20") and written.name.endswith(".json.gz")


def test_restore_refuses_a_database_that_is_not_empty(site_data, tmp_path):
    path = tmp_path / "backup.json.gz"
    call_command("backup", output=str(path))
    with pytest.raises(CommandError, match="already holds data"):
        call_command("restore", str(path))


def test_restore_refuses_a_backup_from_a_newer_schema(site_data, tmp_path):
    path = tmp_path / "backup.json.gz"
    call_command("backup", output=str(path))
    with gzip.open(path, "rt") as handle:
        data = json.load(handle)
    data["migrations"]["articles"].append("9999_from_the_future")
    with gzip.open(path, "wt") as handle:
        json.dump(data, handle)
    call_command("flush", interactive=False, verbosity=0)
    with pytest.raises(CommandError, match="newer version"):
        call_command("restore", str(path))


def test_restore_refuses_what_is_not_a_backup(tmp_path):
    path = tmp_path / "other.json"
    path.write_text('{"hello": "world"}')
    with pytest.raises(CommandError, match="not an Exosite backup"):
        call_command("restore", str(path))


def test_every_language_and_peoples_translations_round_trip(site_data, tmp_path, reviewer):
    """Spanish items (the same slug as an English one, translations of it, and an English
    translation of a Spanish original saved before it: a reference forward in the file),
    topics, policy pages and people's translations are backed up and restored as they
    were, translations still up to date with their originals."""
    exosome = Term.objects.get(name="Exosome")
    exosoma = Term.objects.create(
        name="Exosome",  # names are unique per language
        slug=exosome.slug,
        language="es",
        translation_of=exosome,
        short_definition="Una vesícula pequeña.",
        definition="Una vesícula que liberan las células.",
        status=Status.PUBLISHED,
    )
    early = Term.objects.create(
        name="Tetraspanin", slug="tetraspanin", short_definition="A protein family."
    )
    original = Term.objects.create(
        name="Tetraspanina", slug="tetraspanina", language="es", short_definition="Una familia."
    )
    early.translation_of = original
    early.save()
    assert early.pk < original.pk
    article = Article.objects.get(title="Exosomes and wound healing")
    articulo = Article.objects.create(
        title="Los exosomas y la cicatrización",
        slug=article.slug,
        language="es",
        translation_of=article,
        summary="Resumen.",
        body="Véase [[glossary:exosome]].",
        status=Status.PUBLISHED,
    )
    articulo.author_profiles.set(article.author_profiles.all())
    topic = Topic.objects.get(slug="basics")
    tema = Topic.objects.create(
        name="Conceptos básicos", slug="conceptos-basicos", language="es", translation_of=topic
    )
    question = Question.objects.get(question="Are exosomes stem cells?")
    pregunta = Question.objects.create(
        question="¿Los exosomas son células madre?",
        slug="exosomas-celulas-madre",
        language="es",
        translation_of=question,
        topic=tema,
        answer="No.",
        status=Status.DRAFT,
    )
    about = Page.objects.get(language="en", slug="about")
    acerca = Page.objects.filter(language="es", translation_of=about).first()
    if acerca is None:  # the Spanish policy pages may not ship yet
        acerca = Page.objects.create(
            title="Acerca de",
            slug="acerca-de",
            language="es",
            translation_of=about,
            body="Texto.",
            body_html="<p>Texto.</p>",
            status=Status.PUBLISHED,
        )
    PersonTranslation.objects.create(
        person=reviewer, language="es", credentials="Médica", bio="Revisa los artículos."
    )
    fingerprints = dict(Term.objects.values_list("pk", "translated_fingerprint"))
    before = snapshot()
    path = tmp_path / "backup.json.gz"
    call_command("backup", output=str(path))
    with gzip.open(path, "rt") as handle:
        data = json.load(handle)
    assert data["counts"]["trust.persontranslation"] == 1
    languages_saved = {
        (obj["model"], obj["fields"]["language"])
        for obj in data["objects"]
        if "language" in obj.get("fields", {})
    }
    for label in ("glossary.term", "articles.article", "faq.question", "faq.topic", "trust.page"):
        assert {(label, "en"), (label, "es")} <= languages_saved

    call_command("flush", interactive=False, verbosity=0)
    call_command("restore", str(path))

    after = snapshot()
    assert Counter(before) - Counter(after) == Counter()
    assert Counter(after) - Counter(before) == Counter()
    assert Term.objects.filter(slug=exosome.slug).count() == 2
    restored = Term.objects.get(pk=exosoma.pk)
    assert (restored.language, restored.translation_of_id) == ("es", exosome.pk)
    assert dict(Term.objects.values_list("pk", "translated_fingerprint")) == fingerprints
    assert not restored.translation_outdated
    assert Term.objects.get(pk=early.pk).translation_of_id == original.pk
    assert Article.objects.get(language="es", slug=article.slug).translation_of_id == article.pk
    assert Question.objects.get(pk=pregunta.pk).topic_id == tema.pk
    assert Topic.objects.get(pk=tema.pk).translation_of_id == topic.pk
    assert Page.objects.get(pk=acerca.pk).translation_of_id == about.pk
    (text,) = Person.objects.get(pk=reviewer.pk).texts.all()
    assert (text.language, text.credentials) == ("es", "Médica")
