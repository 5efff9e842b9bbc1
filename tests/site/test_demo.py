import re
import shutil
import tomllib
from datetime import UTC, datetime, timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertNotContains
from taggit.models import Tag, TaggedItem

from articles.models import Article
from exosite.kernel import citations, frontmatter
from exosite.management.commands.load_demo import DEMO_DIR
from faq.models import Question, Topic
from glossary.models import Term
from library.models import Citation, Reference
from trust.models import Person

pytestmark = pytest.mark.django_db


def counts():
    return {
        model.__name__: model.objects.count()
        for model in (
            Article,
            Reference,
            Citation,
            Term,
            Term.related.through,
            Topic,
            Question,
            Person,
            Tag,
        )
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
    # Every published item that states facts cites the library, and every source in the
    # library can be found again (a DOI, a PubMed ID or an address).
    for article in Article.objects.published():
        assert Citation.objects.filter(object_id=article.pk, content_type__model="article")
    assert Reference.objects.count() >= 10
    assert not Reference.objects.filter(doi="", pmid="", url="").exists()
    cited_terms = Citation.objects.filter(content_type__model="term")
    cited_answers = Citation.objects.filter(content_type__model="question")
    assert cited_terms.values("object_id").distinct().count() >= 20
    assert cited_answers.values("object_id").distinct().count() >= 12
    # Every published item has a recorded review by a named reviewer.
    for model in (Article, Term, Question):
        for item in model.objects.published():
            assert item.reviewer_id and item.reviewed_at and item.review_current, item
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


# The demo files -----------------------------------------------------------------------


def demo_copy(tmp_path):
    """A copy of the demo files that a test may break."""
    return Path(shutil.copytree(DEMO_DIR, tmp_path / "demo"))


def edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_loaded_items_are_their_files():
    call_command("load_demo", stdout=StringIO())
    for path in (DEMO_DIR / "articles").glob("*.md"):
        data, body = frontmatter.read(path)
        article = Article.objects.get(language="en", slug=path.stem)
        assert (article.title, article.summary, article.body) == (
            data["title"],
            data["summary"],
            body,
        )
        # Its numbered references: the library keys it cites, in order of first citation.
        cited = list(dict.fromkeys(citations.keys_in(body)))
        assert [
            citation.reference.key
            for citation in Citation.objects.filter(
                content_type__model="article", object_id=article.pk
            ).order_by("position")
        ] == cited
        assert sorted(article.tags.names()) == sorted(data["tags"])
        assert [p.slug for p in article.author_profiles.all()] == data["author_profiles"]
        assert (article.reviewer.slug if article.reviewer else "") == data.get("reviewer", "")
    for path in (DEMO_DIR / "glossary").glob("*.md"):
        data, body = frontmatter.read(path)
        term = Term.objects.get(language="en", slug=path.stem)
        assert (term.name, term.definition, term.aliases) == (
            data["name"],
            body,
            "\n".join(data["aliases"]),
        )
        # Both ways: its own list and every term whose file lists it.
        listed_by = {
            other.stem
            for other in (DEMO_DIR / "glossary").glob("*.md")
            if path.stem in frontmatter.read(other)[0]["related"]
        }
        assert set(term.related.values_list("slug", flat=True)) == {*data["related"], *listed_by}
    for path in (DEMO_DIR / "faq").glob("*.md"):
        data, body = frontmatter.read(path)
        question = Question.objects.get(language="en", slug=path.stem)
        assert (question.question, question.answer, question.topic.slug) == (
            data["question"],
            body,
            data["topic"],
        )
    for data in tomllib.loads((DEMO_DIR / "references.toml").read_text())["reference"]:
        reference = Reference.objects.get(key=data["key"])
        assert {name: getattr(reference, name) for name in data} == data
    for path in (DEMO_DIR / "people").glob("*.md"):
        data, body = frontmatter.read(path)
        assert Person.objects.get(slug=path.stem).bio == body


def test_demo_dates_are_relative_to_the_day_it_is_loaded():
    call_command("load_demo", stdout=StringIO())
    today = timezone.now()
    scheduled = Article.objects.get(slug="exosome-manufacturing-standards")
    assert abs(scheduled.published_at - (today + timedelta(days=30))) < timedelta(minutes=5)
    assert Article.objects.get(slug="exosomes-wound-healing-draft").published_at is None
    assert Article.objects.get(slug="what-are-exosomes").published_at == datetime(
        2026, 3, 4, 9, tzinfo=UTC
    )
    term = Term.objects.get(slug="whartons-jelly")  # "71 days ago"
    assert abs(term.published_at - (today - timedelta(days=71))) < timedelta(minutes=5)


def test_demo_loader_reports_progress_and_ends_with_its_summary():
    out = StringIO()
    call_command("load_demo", stdout=out)
    lines = out.getvalue().splitlines()
    for stage in ("glossary terms", "articles", "FAQ entries", "links and mentions"):
        assert any(line.startswith(f"  {stage} ") and "]" in line for line in lines), stage
    assert re.fullmatch(
        r"Demo content ready: 5 articles, 51 glossary terms, 18 FAQ entries in 4 topics, "
        r"3 people; translated into es: .*\. \(\d+\.\d s\)",
        lines[-1],
    )


@pytest.mark.parametrize(
    ("file", "old", "new", "message"),
    [
        ("faq/what-is-an-exosome.md", "+++\nAn exosome", "\nAn exosome", "never closed"),
        ("glossary/cd63.md", 'slug = "cd63"', 'slug = "cd63', "not valid TOML"),
        ("glossary/cd63.md", "tags =", "tgas =", "unknown field(s) tgas"),
        ("glossary/cd63.md", 'name = "CD63"\n', "", "missing field(s) name"),
        ("glossary/cd63.md", 'slug = "cd63"', 'slug = "cd-63"', "differs from the file name"),
        ("glossary/cd63.md", 'related = ["', 'related = ["nope", "', "nope not found"),
        ("glossary/cd63.md", '"CD63 protein"', '"CD63 protein", "tetraspanin"', "names tetra"),
        ("glossary/cd63.md", "days ago", "days hence", "published_at must be"),
        ("articles/what-are-exosomes.md", "featured = true", 'featured = "yes"', "true or"),
        ("articles/what-are-exosomes.md", '"published"', '"live"', "status must be one of"),
        ("references.toml", 'doi = "', 'dio = "', "[[reference]] unknown field(s) dio"),
        ("references.toml", 'doi = "10.1002', 'doi = "11.1002', "welsh2024: doi:"),
        ("articles/what-are-exosomes.md", "[@vanniel2018]", "[@nope2018]", "nope2018 not"),
        ("articles/what-are-exosomes.md", 'reviewer = "', 'reviewer = "x', "reviewer: x"),
        ("faq/where-do-exosomes-come-from.md", 'topic = "', 'topic = "x', "topic: xsources"),
        ("faq/topics.toml", "position = 1", "position = one", "Invalid value"),
        ("people/maya-okafor.md", "orcid =", "orcid_id =", "unknown field(s) orcid_id"),
    ],
)
def test_a_malformed_file_stops_the_load_naming_it_and_loads_nothing(
    tmp_path, file, old, new, message
):
    directory = demo_copy(tmp_path)
    edit(directory / file, old, new)
    before = counts()
    with pytest.raises(CommandError) as error:
        call_command("load_demo", dir=directory, stdout=StringIO())
    assert error.value.returncode == 1  # manage.py exits with it
    assert f"{directory / file}:" in str(error.value)
    assert message in str(error.value)
    assert counts() == before


def test_a_malformed_file_leaves_loaded_content_as_it_was(tmp_path):
    call_command("load_demo", stdout=StringIO())
    before = counts()
    directory = demo_copy(tmp_path)
    # An edit the loader would write first, then a problem in the last file it reads.
    edit(directory / "faq/topics.toml", 'name = "Exosome basics"', 'name = "Basics, edited"')
    edit(directory / "glossary/adipose-tissue.md", "Adipose tissue is", "Edited: it is")
    edit(directory / "people/maya-okafor.md", "slug =", "slug = 1\nslog =")
    edit(directory / "faq/where-do-exosomes-come-from.md", "position = 1", "position = 1.5")
    with pytest.raises(CommandError) as error:
        call_command("load_demo", dir=directory, stdout=StringIO())
    # Every problem is listed, not only the first.
    assert "\n".join(str(error.value).splitlines()[1:]) == (
        f"  {directory}/people/maya-okafor.md: unknown field(s) slog; known: name, slug, "
        "credentials, role, orcid, conflicts_of_interest\n"
        f"  {directory}/people/maya-okafor.md: slug must be a string, not 1\n"
        f"  {directory}/faq/where-do-exosomes-come-from.md: "
        "position must be a whole number, not 1.5"
    )
    assert "maya-okafor.md: unknown field(s) slog" in str(error.value)
    assert "where-do-exosomes-come-from.md: position must be a whole number" in str(error.value)
    assert counts() == before
    assert Topic.objects.get(slug="basics").name == "Exosome basics"
    assert Term.objects.get(slug="adipose-tissue").definition.startswith("Adipose tissue is")
