"""Every public page type is valid HTML, according to the Nu HTML Checker (vnu-jar)."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from taggit.models import Tag

from articles.models import Article
from faq.models import Question
from glossary.models import Term

pytestmark = pytest.mark.django_db

VNU_JAR = Path(settings.BASE_DIR) / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


@pytest.fixture
def demo_pages(client, tmp_path):
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    tag = Tag.objects.order_by("name").first()
    urls = {
        "home": "/",
        "article-list": "/articles/",
        "article-list-tag": f"/articles/?tag={tag.slug}",
        "article": Article.objects.published().first().get_absolute_url(),
        "glossary": "/glossary/",
        "term": Term.objects.published().filter(related__isnull=False).first().get_absolute_url(),
        "faq": "/faq/",
        "question": Question.objects.published().first().get_absolute_url(),
        "tags": "/tags/",
        "tag": f"/tags/{tag.slug}/",
        "not-found": "/no-such-page/",
        "search": "/search/?q=vesicles+-cancer",
        "search-filtered": f"/search/?q=vesicles&kind=glossary&tag={tag.slug}",
        "search-empty": "/search/?q=zzzzqqq",
        "search-form": "/search/",
        "ask": "/faq/ask/",
        "people": "/people/",
        "person": "/people/daniel-reyes/",
        "policy-page": "/pages/editorial-policy/",
        "report-problem": "/feedback/problem/?page=/faq/",
        "ask-thanks": "/faq/ask/thanks/",
        # The same pages in Spanish (issue 17), and the page saying one is not translated.
        "es-home": "/es/",
        "es-article": Article.objects.published().filter(language="es").first().get_absolute_url(),
        "es-glossary": "/es/glossary/",
        "es-term": Term.objects.published().filter(language="es").first().get_absolute_url(),
        "es-faq": "/es/faq/",
        "es-question": Question.objects.published()
        .filter(language="es")
        .first()
        .get_absolute_url(),
        "es-search": "/es/search/?q=vesiculas",
        # Nothing in Spanish: the English matches offered apart.
        "es-search-elsewhere": "/es/search/?q=nanoparticle+tracking",
        "es-ask": "/es/faq/ask/",
        "es-not-translated": "/es"
        + Term.objects.published()
        .filter(language="en", translations__isnull=True)
        .first()
        .get_absolute_url(),
    }
    files = []
    for name, url in urls.items():
        response = client.get(url)
        assert response.status_code in (200, 404), url
        path = tmp_path / f"{name}.html"
        path.write_bytes(response.content)
        files.append(path)
    invalid = client.post("/faq/ask/", {"question": "", "email": "nope", "started": "x"})
    assert invalid.status_code == 400
    path = tmp_path / "ask-errors.html"
    path.write_bytes(invalid.content)
    files.append(path)
    return files


def vnu_errors(files):
    """The Nu HTML Checker's errors for the given files, as 'file:line: message'."""
    java = shutil.which("java")
    assert java, "Java is needed for the Nu HTML Checker: run scripts/system-deps"
    assert VNU_JAR.exists(), "vnu-jar is missing: run 'npm ci'"
    result = subprocess.run(
        [java, "-jar", str(VNU_JAR), "--format", "json", "--errors-only", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=180,
    )
    messages = json.loads(result.stderr or result.stdout)["messages"]
    return [
        f"{Path(m.get('url', '')).name}:{m.get('lastLine')}: {m['message']}"
        for m in messages
        if m["type"] == "error" or m.get("subType") == "fatal"
    ]


def test_public_pages_are_valid_html(demo_pages):
    assert vnu_errors(demo_pages) == []


def test_the_checker_reports_invalid_html(tmp_path):
    # Guards the harness itself: a page with known faults must not pass.
    broken = tmp_path / "broken.html"
    broken.write_text("<!DOCTYPE html><html lang=en><title>x</title><p><div id=a></div><b id=a>")
    assert len(vnu_errors([broken])) >= 1
