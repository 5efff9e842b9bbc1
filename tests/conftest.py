import re
import subprocess
import sys
from datetime import timedelta
from itertools import count
from pathlib import Path

import pytest
from django.utils import timezone

from articles.models import Article
from exosite.kernel.pagecache import PageCacheMiddleware
from exosite.models import Status
from faq.models import Question, Topic
from glossary.models import Term
from library.models import Reference
from trust.models import Person

_serial = count(1)


def pytest_sessionstart(session):
    """The interface's translations are compiled from locale/**/*.po (the .mo files are not
    in the repository): compiled here too, so that `pytest` run directly renders Spanish."""
    script = Path(__file__).resolve().parent.parent / "scripts" / "compile-messages"
    subprocess.run([sys.executable, str(script), "--quiet"], check=True)


# Numbered citations as tests write them: [1], [2, 3], [4–6] (see `cite_by_key`).
NUMBERED = re.compile(
    r"\[(\d{1,3}(?:\s*[-–]\s*\d{1,3})?(?:\s*,\s*\d{1,3}(?:\s*[-–]\s*\d{1,3})?)*)\]"
)


def library_reference(number):
    """Test reference `number` of the library: key ref<number>, a Crossref test DOI."""
    reference, _ = Reference.objects.get_or_create(
        key=f"ref{number}",
        defaults={
            "authors": f"Author {number}.",
            "title": "A study",
            "journal": "J Test",
            "year": 2020,
            "volume": str(number),
            "pages": "1-2",
            "doi": f"10.5555/test.{number}",
            "pmid": str(10000000 + number),
        },
    )
    return reference


def cite_by_key(text, known):
    """[1] -> [@ref1], [2, 3] -> [@ref2; @ref3], [4–6] -> [@ref4; @ref5; @ref6] for the
    numbers in `known` (others stay numbered: a citation problem)."""

    def replace(found):
        numbers = []
        for part in re.finditer(r"(\d{1,3})(?:\s*[-–]\s*(\d{1,3}))?", found.group(1)):
            first, last = int(part.group(1)), int(part.group(2) or part.group(1))
            if last < first:
                return found.group(0)
            numbers.extend(range(first, last + 1))
        if not all(n in known for n in numbers):
            return found.group(0)
        return "[" + "; ".join(f"@ref{n}" for n in numbers) + "]"

    return NUMBERED.sub(replace, text)


@pytest.fixture
def reviewer(db):
    return Person.objects.create(name="Rita Reviewer", slug="rita-reviewer", credentials="MD")


@pytest.fixture
def make_article(db):
    def factory(*, tags=(), references=0, authors=None, **fields):
        """An article; `references=N` puts test references 1..N in the library and turns
        the body's numbered citations of them into citations by key."""
        n = next(_serial)
        for number in range(1, references + 1):
            library_reference(number)
        fields.setdefault("title", f"Article {n}")
        fields.setdefault("slug", f"article-{n}")
        fields.setdefault("summary", f"Summary of article {n}.")
        fields["body"] = cite_by_key(
            fields.get("body", f"Body of article {n}."), set(range(1, references + 1))
        )
        fields.setdefault("status", Status.PUBLISHED)
        article = Article.objects.create(**fields)
        article.tags.set(tags)
        if authors is None:
            authors = [
                Person.objects.get_or_create(slug="edna-editor", defaults={"name": "Edna Editor"})[
                    0
                ]
            ]
        article.author_profiles.set(authors)
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


@pytest.fixture
def task_worker(settings, monkeypatch):
    """Tasks go to the database backend (as in production) instead of running at once;
    calling the fixture runs `manage.py db_worker --batch`: every task that is due, then
    it stops. Returns the rows it left (django_tasks_db's DBTaskResult)."""
    import logging
    import signal

    from django.core.management import call_command
    from django_tasks_db.management.commands import db_worker
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    # The worker closes connections it finds in a transaction, as Django's request
    # handling does; the test's own transaction must stay open (the test client does the
    # same for requests).
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    # The command sets its loggers' levels and installs signal handlers in this process.
    loggers = {name: logging.getLogger(name).level for name in ("django.tasks", "django_tasks_db")}
    handlers = {
        number: signal.getsignal(number)
        for number in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)
    }

    def run():
        call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
        return list(DBTaskResult.objects.order_by("enqueued_at"))

    yield run
    for name, level in loggers.items():
        logging.getLogger(name).setLevel(level)
    for number, handler in handlers.items():
        signal.signal(number, handler)


@pytest.fixture
def page_cache(settings):
    """The page cache on (tests run with it off), each process's recent pages emptied
    before and after: tests roll their content back, so versions and keys repeat."""
    settings.EXOSITE_PAGE_CACHE = True
    PageCacheMiddleware.local.clear()
    yield
    PageCacheMiddleware.local.clear()
