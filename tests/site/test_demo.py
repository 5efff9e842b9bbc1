from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from pytest_django.asserts import assertNotContains
from taggit.models import Tag, TaggedItem

from articles.models import Article, Reference
from faq.models import Question, Topic
from glossary.models import Term

pytestmark = pytest.mark.django_db


def counts():
    return {
        model.__name__: model.objects.count()
        for model in (Article, Reference, Term, Term.related.through, Topic, Question, Tag)
    } | {"TaggedItem": TaggedItem.objects.count()}


def test_demo_content_meets_the_brief():
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert "Demo content ready" in out.getvalue()
    assert Article.objects.published().count() >= 3
    assert Term.objects.published().count() >= 25
    assert Question.objects.published().count() >= 12
    assert Topic.objects.filter(questions__isnull=False).distinct().count() >= 3
    assert Article.objects.filter(status="draft").exists()
    scheduled = Article.objects.exclude(pk__in=Article.objects.published()).filter(
        status="published"
    )
    assert scheduled.exists()
    for article in Article.objects.published():
        assert article.references.exists()
        assert article.references.exclude(doi="", pmid="", url="").count() == (
            article.references.count()
        )
    # Tags are shared across the three kinds of content.
    kinds = {}
    for tag_id, content_type_id in TaggedItem.objects.values_list("tag_id", "content_type_id"):
        kinds.setdefault(tag_id, set()).add(content_type_id)
    assert any(len(types) == 3 for types in kinds.values())


def test_demo_loader_is_idempotent():
    call_command("load_demo", stdout=StringIO())
    first = counts()
    call_command("load_demo", stdout=StringIO())
    assert counts() == first


def test_demo_draft_and_scheduled_articles_stay_hidden(client):
    call_command("load_demo", stdout=StringIO())
    hidden = Article.objects.exclude(pk__in=Article.objects.published())
    assert hidden.count() >= 2
    pages = [client.get(url) for url in ("/", reverse("articles:list"), reverse("tag-index"))]
    for article in hidden:
        assert client.get(article.get_absolute_url()).status_code == 404
        for page in pages:
            assertNotContains(page, article.title)
