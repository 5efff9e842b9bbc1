"""The Spanish demo content (exosite/demo/es/) and its loading by `manage.py load_demo`."""

import re
import shutil
import tomllib
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from taggit.models import Tag, TaggedItem

from articles.models import Article
from exosite.kernel import citations, frontmatter, linking, review
from exosite.management.commands.load_demo import DEMO_DIR
from faq.models import Question, Topic
from glossary.models import Term
from library.models import Citation, Reference
from trust.models import Person, PersonTranslation

from .test_demo import demo_copy, edit

pytestmark = pytest.mark.django_db

ES = DEMO_DIR / "es"
KINDS = {"articles": Article, "glossary": Term, "faq": Question}
HREF_RE = re.compile(r'<a class="(xref|term-link)" href="([^"]+)"')


def counts():
    models = (Article, Term, Term.related.through, Topic, Question, Person, PersonTranslation)
    return {model.__name__: model.objects.count() for model in models} | {
        "Reference": Reference.objects.count(),
        "Citation": Citation.objects.count(),
        "Tag": Tag.objects.count(),
        "TaggedItem": TaggedItem.objects.count(),
    }


def spanish_files(folder):
    return sorted((ES / folder).glob("*.md"))


def state():
    """What a load leaves of the Spanish content: each item's text, source, review and
    the source version it is up to date with."""
    rows = {}
    for folder, model in KINDS.items():
        for item in model.objects.filter(language="es"):
            rows[folder, item.slug] = (
                item.translation_of_id,
                item.translated_version,
                item.translation_of.edit_version,
                item.translated_fingerprint,
                item.reviewer_id,
                item.reviewed_at,
                item.status,
                item.published_at,
                str(item),
            )
    for text in PersonTranslation.objects.all():
        rows["people", text.person.slug] = (text.credentials, text.role, text.bio)
    return rows


def test_the_spanish_demo_meets_the_brief():
    out = StringIO()
    call_command("load_demo", stdout=out)
    published = {folder: model.objects.published() for folder, model in KINDS.items()}
    assert published["articles"].filter(language="es").count() == 3
    assert published["glossary"].filter(language="es").count() >= 25
    assert published["faq"].filter(language="es").count() >= 8
    # The three published articles are translated, not the draft or the scheduled one.
    assert set(
        Article.objects.filter(language="es").values_list("translation_of__slug", flat=True)
    ) == {"what-are-exosomes", "exosome-sources-and-isolation", "exosome-therapies-evidence"}
    # The central terms of the brief.
    for slug in (
        "exosoma",
        "vesicula-extracelular",
        "microvesicula",
        "cuerpo-apoptotico",
        "cuerpo-multivesicular",
        "endosoma",
        "vesicula-intraluminal",
        "escrt",
        "tetraspanina",
        "cd63",
        "microarn",
        "celula-madre-mesenquimal",
        "celula-madre",
        "secretoma",
        "senalizacion-paracrina",
        "celula-dendritica",
        "ultracentrifugacion",
        "cromatografia-de-exclusion-por-tamano",
        "analisis-de-seguimiento-de-nanoparticulas",
        "misev",
        "buenas-practicas-de-fabricacion",
        "medicina-regenerativa",
        "inmunogenicidad",
        "bicapa-lipidica",
        "barrera-hematoencefalica",
    ):
        assert published["glossary"].filter(language="es", slug=slug).exists(), slug
    # All four FAQ topics, each with Spanish entries.
    topics = Topic.objects.filter(language="es")
    assert topics.count() == 4
    assert all(topic.translation_of.language == "en" for topic in topics)
    assert all(topic.questions.exists() for topic in topics)
    assert published["faq"].filter(language="es", topic__language="en").count() == 0
    # The three people, described in Spanish.
    assert PersonTranslation.objects.filter(language="es").count() == 3
    assert Person.objects.get(slug="daniel-reyes").texts.get(language="es").role == (
        "Revisor médico"
    )
    assert "translated into es: 3 articles" in out.getvalue().splitlines()[-1]


def test_each_spanish_item_is_its_file_and_translates_its_source():
    call_command("load_demo", stdout=StringIO())
    for folder, model in KINDS.items():
        for path in spanish_files(folder):
            data, body = frontmatter.read(path)
            item = model.objects.get(language="es", slug=path.stem)
            source = model.objects.get(language="en", slug=data["translation_of"])
            assert item.translation_of == source
            # Up to date with its source as loaded: a fresh demo has nothing out of date.
            assert item.translated_version == source.edit_version
            assert not item.translation_outdated
            # Published and reviewed as its file says, by the same person as the source's.
            assert item.is_published
            assert item.reviewer.slug == data["reviewer"] == source.reviewer.slug
            assert item.reviewed_at == data["reviewed_at"]
            assert item.review_current
            assert item.published_at == source.published_at
            assert review.problems(item) == {}
            # Every citation resolves, and cites what the English cites, where it cites it.
            cited = list(dict.fromkeys(citations.keys_in(body)))
            assert cited == list(dict.fromkeys(citations.keys_in(_body(source))))
            assert [
                citation.reference.key
                for citation in Citation.objects.filter(
                    content_type__model=model._meta.model_name, object_id=item.pk
                ).order_by("position")
            ] == cited
    for article in Article.objects.filter(language="es"):
        assert [p.slug for p in article.author_profiles.all()] == ["maya-okafor"]
    for path in spanish_files("glossary"):
        data, _ = frontmatter.read(path)
        term = Term.objects.get(language="es", slug=path.stem)
        assert term.name == data["name"] and term.aliases == "\n".join(data["aliases"])
        assert term.related.exclude(language="es").count() == 0
        assert set(data["related"]) <= set(term.related.values_list("slug", flat=True))
        if data.get("technical_definition"):
            assert citations.keys_in(data["technical_definition"]) == citations.keys_in(
                term.translation_of.technical_definition
            )
    topics = tomllib.loads((ES / "faq" / "topics.toml").read_text())["topic"]
    for data in topics:
        topic = Topic.objects.get(language="es", slug=data["slug"])
        assert topic.translation_of.slug == data["translation_of"]
        assert topic.name == data["name"]
    for path in spanish_files("people"):
        data, body = frontmatter.read(path)
        text = PersonTranslation.objects.get(person__slug=path.stem, language="es")
        assert (text.credentials, text.role, text.bio) == (data["credentials"], data["role"], body)


def _body(item):
    return getattr(
        item, {"article": "body", "term": "definition", "question": "answer"}[item._meta.model_name]
    )


def test_spanish_links_stay_in_spanish(client):
    call_command("load_demo", stdout=StringIO())
    spanish_addresses = set()
    for model in KINDS.values():
        for item in model.objects.filter(language="es"):
            spanish_addresses.add(item.get_absolute_url())
    linked = set()
    for model in KINDS.values():
        for item in model.objects.filter(language="es"):
            assert item.get_absolute_url().startswith("/es/")
            for target in item.markdown_fields.values():
                rendered = linking.link(
                    getattr(item, target), **linking.options_for(item), scope="live"
                )
                assert rendered.broken_links == 0, (item, rendered.warnings)
                assert rendered.citation_problems == 0, (item, rendered.warnings)
                for _kind, href in HREF_RE.findall(rendered.html):
                    assert href.startswith("/es/"), (item, href)
                    assert href.split("#")[0] in spanish_addresses, (item, href)
                    linked.add(href)
    # The written cross-links and the auto-linked Spanish terms are there.
    article = Article.objects.get(language="es", slug="origen-y-aislamiento-de-los-exosomas")
    assert article.get_absolute_url() in linked
    assert Term.objects.get(language="es", slug="celula-dendritica").get_absolute_url() in linked
    assert Term.objects.get(language="es", slug="exosoma").get_absolute_url() in linked
    # And a reader gets the page.
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    assert "células madre mesenquimales" in response.content.decode()


def test_loading_the_spanish_demo_twice_changes_nothing():
    call_command("load_demo", stdout=StringIO())
    first, first_state = counts(), state()
    call_command("load_demo", stdout=StringIO())
    second_state = state()
    assert counts() == first
    assert second_state.keys() == first_state.keys()
    for key, row in second_state.items():
        before = first_state[key]
        if key[0] == "people":
            assert row == before
            continue
        # The sources are saved again (their edit_version moves on): the translations
        # follow, so none is out of date, and nothing else changes (relative dates are
        # relative to each load).
        assert row[1] == row[2]
        assert (row[0], *row[3:7], row[8]) == (before[0], *before[3:7], before[8])


def test_the_progress_and_summary_name_the_spanish_content():
    out = StringIO()
    call_command("load_demo", stdout=out)
    lines = out.getvalue().splitlines()
    for stage in ("glossary terms (es)", "articles (es)", "FAQ entries (es)"):
        assert any(line.startswith(f"  {stage} ") and "]" in line for line in lines), stage
    terms = len(spanish_files("glossary"))
    questions = len(spanish_files("faq"))
    assert re.fullmatch(
        r"Demo content ready: 5 articles, 51 glossary terms, 18 FAQ entries in 4 topics, "
        rf"3 people; translated into es: 3 articles, {terms} glossary terms, {questions} FAQ "
        r"entries in 4 topics, 3 people's texts\. \(\d+\.\d s\)",
        lines[-1],
    )


@pytest.mark.parametrize(
    ("file", "old", "new", "message"),
    [
        ("es/glossary/cd63.md", "tags =", "etiquetas =", "unknown field(s) etiquetas"),
        ("es/glossary/cd63.md", 'translation_of = "cd63"\n', "", "missing field(s) transl"),
        (
            "es/glossary/cd63.md",
            'translation_of = "cd63"',
            'translation_of = "cd-63"',
            "translation_of: cd-63 not found in demo/glossary/",
        ),
        # A related term must be a Spanish one: "tetraspanin" is the English slug.
        ("es/glossary/cd63.md", 'related = ["', 'related = ["tetraspanin", "', "tetraspanin not"),
        ("es/glossary/cd63.md", '"proteína CD63"', '"tetraspaninas"', "names tetraspanina"),
        (
            "es/glossary/exosoma.md",
            'translation_of = "exosome"',
            'translation_of = "cd63"',
            "translation_of: cd63 is translated by another file too",
        ),
        (
            "es/articles/que-son-los-exosomas.md",
            "[@vanniel2018]",
            "[@nope2018]",
            "citations: nope2018 not found",
        ),
        (
            "es/articles/que-son-los-exosomas.md",
            'author_profiles = ["maya-okafor"]',
            'author_profiles = ["maya"]',
            "author_profiles: maya not found in people/",
        ),
        (
            "es/articles/que-son-los-exosomas.md",
            'translation_of = "what-are-exosomes"',
            'translation_of = "que-son-los-exosomas"',
            "translation_of: que-son-los-exosomas not found",
        ),
        # Cross-links go to Spanish items: by Spanish slug, or by a Spanish term's name.
        (
            "es/articles/origen-y-aislamiento-de-los-exosomas.md",
            "[[faq:provocan-los-exosomas-reacciones-inmunitarias|",
            "[[faq:do-exosomes-cause-immune-reactions|",
            "[[faq:do-exosomes-cause-immune-reactions]]: do-exosomes-cause-immune-reactions "
            "not found in faq/",
        ),
        (
            "es/articles/origen-y-aislamiento-de-los-exosomas.md",
            "[[células dendríticas]]",
            "[[dendritic cells]]",
            "[[dendritic cells]]: no glossary term has that name",
        ),
        ("es/faq/que-es-un-exosoma.md", '"conceptos-basicos"', '"basics"', "topic: basics not"),
        ("es/faq/topics.toml", 'translation_of = "basics"', 'translation_of = "b"', "b not"),
        ("es/faq/topics.toml", 'translation_of = "basics"\n', "", "missing field(s) transl"),
        ("es/people/maya-okafor.md", "role =", "rol =", "unknown field(s) rol"),
        (
            "es/people/maya-okafor.md",
            'translation_of = "maya-okafor"',
            'translation_of = "maya"',
            "translation_of 'maya' differs from the file name",
        ),
    ],
)
def test_a_bad_spanish_file_is_refused_naming_it(tmp_path, file, old, new, message):
    call_command("load_demo", stdout=StringIO())
    before, before_state = counts(), state()
    directory = demo_copy(tmp_path)
    # An edit the loader would write if it went ahead.
    edit(directory / "es/glossary/exosoma.md", "Un exosoma es", "Editado: un exosoma es")
    edit(directory / file, old, new)
    with pytest.raises(CommandError) as error:
        call_command("load_demo", dir=directory, stdout=StringIO())
    assert error.value.returncode == 1
    assert f"{directory / file}:" in str(error.value)
    assert message in str(error.value)
    assert counts() == before
    assert state() == before_state
    assert Term.objects.get(language="es", slug="exosoma").definition.startswith("Un exosoma es")


def test_the_demo_loads_without_translations(tmp_path):
    directory = demo_copy(tmp_path)
    shutil.rmtree(directory / "es")
    out = StringIO()
    call_command("load_demo", dir=directory, stdout=out)
    assert not Term.objects.filter(language="es").exists()
    assert "translated into" not in out.getvalue()
