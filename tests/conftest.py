from datetime import timedelta
from itertools import count

import pytest
from django.utils import timezone

from articles.models import Article, Reference
from exosite.models import Status
from faq.models import Question, Topic
from glossary.models import Term

_serial = count(1)


@pytest.fixture
def make_article(db):
    def factory(*, tags=(), references=0, **fields):
        n = next(_serial)
        fields.setdefault("title", f"Article {n}")
        fields.setdefault("slug", f"article-{n}")
        fields.setdefault("summary", f"Summary of article {n}.")
        fields.setdefault("body", f"Body of article {n}.")
        fields.setdefault("authors", "Exosite editors")
        fields.setdefault("status", Status.PUBLISHED)
        article = Article.objects.create(**fields)
        article.tags.set(tags)
        Reference.objects.bulk_create(
            Reference(
                article=article,
                position=position,
                citation=f"Author {position}. A study. J Test. 2020;{position}:1-2.",
                doi=f"10.1000/test.{position}",
                pmid=str(10000000 + position),
            )
            for position in range(1, references + 1)
        )
        return article

    return factory


@pytest.fixture
def make_term(db):
    def factory(*, tags=(), related=(), **fields):
        n = next(_serial)
        fields.setdefault("name", f"Term {n}")
        fields.setdefault("slug", f"term-{n}")
        fields.setdefault("short_definition", f"Short definition {n}.")
        fields.setdefault("definition", f"The full definition of term {n}.")
        fields.setdefault("status", Status.PUBLISHED)
        term = Term.objects.create(**fields)
        term.tags.set(tags)
        term.related.set(related)
        return term

    return factory


@pytest.fixture
def topic(db):
    return Topic.objects.create(name="Basics", slug="basics", position=1)


@pytest.fixture
def make_question(db, topic):
    def factory(*, tags=(), **fields):
        n = next(_serial)
        fields.setdefault("question", f"Question number {n}?")
        fields.setdefault("slug", f"question-{n}")
        fields.setdefault("answer", f"The answer to question {n}.")
        fields.setdefault("topic", topic)
        fields.setdefault("status", Status.PUBLISHED)
        question = Question.objects.create(**fields)
        question.tags.set(tags)
        return question

    return factory


@pytest.fixture
def future():
    return timezone.now() + timedelta(days=3)


@pytest.fixture(autouse=True)
def fresh_caches():
    """Each test starts cold: no cached pages, parts or linked HTML, and nothing a process
    keeps between requests (rolled-back tests reuse content versions)."""
    from django.core.cache import cache

    from exosite.kernel import memo

    cache.clear()
    memo.forget_all()
    yield
