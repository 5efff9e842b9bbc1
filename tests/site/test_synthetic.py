"""manage.py generate_synthetic: both profiles, tiny counts, on the test database; what a
visitor of the generated site would notice."""

import io
import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils.html import strip_tags
from pytest_django.asserts import assertContains

from articles.models import Article
from exosite.kernel import linking
from exosite.management.commands import generate_synthetic
from exosite.models import Mention
from faq.models import Question
from glossary.models import Term
from library.models import Citation

pytestmark = pytest.mark.django_db


def generate(profile, **counts):
    out = io.StringIO()
    options = {"articles": 6, "terms": 8, "questions": 6, "tags": 5, **counts}
    call_command(
        "generate_synthetic", profile=profile, processes=1, force=True, stdout=out, **options
    )
    return out.getvalue()


def test_search_profile_publishes_items_that_render_and_are_found_by_a_rare_word(
    client, monkeypatch
):
    # Every sentence gets a rare word, so that a handful of items is sure to hold some.
    monkeypatch.setattr(generate_synthetic, "RARE_SHARE", 1 / len(generate_synthetic.RARE_WORDS))
    output = generate("search")

    assert output.strip().splitlines()[-1].startswith("Generated (search profile) 6 articles")
    assert Article.objects.count() == 6
    assert Term.objects.count() == 8
    assert Question.objects.count() == 6
    article = Article.objects.published().first()
    assert article is not None
    response = client.get(article.get_absolute_url())
    assertContains(response, strip_tags(article.body_html.split("</p>")[0])[:40])
    rare = next(w for w in generate_synthetic.RARE_WORDS if w in article.body.split())
    found = client.get(reverse("search"), {"q": rare})
    assertContains(found, article.get_absolute_url())


def test_load_profile_links_articles_to_the_glossary_and_cites_the_library(client):
    output = generate("load")

    made = re.search(r"Generated \(load profile\) 6 articles \(([1-9][\d,]*) citations\)", output)
    assert made
    assert Citation.objects.count() == int(made[1].replace(",", ""))
    article = Article.objects.published().first()
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    page = response.content.decode()
    assert "(1)</h2>" in page  # the article's first section heading ("## ... (1)")
    assert 'href="/glossary/syn-term-' in page  # glossary names in the text, linked
    assert 'href="#ref-1"' in page  # citations by key, numbered, linked to the references
    assert 'id="ref-1"' in page and "Study " in page  # the list of library references
    # The stored citation rows number the references as the page does.
    rows = Citation.objects.filter(
        content_type=ContentType.objects.get_for_model(Article), object_id=article.pk
    ).order_by("position")
    cited = linking.link(article.body_html, cites=True).references
    assert cited
    assert [(row.position, row.reference.key) for row in rows] == [
        (number, reference.key) for number, reference in enumerate(cited, 1)
    ]
    assert client.get(reverse("glossary:index")).status_code == 200
    assert client.get(reverse("faq:index")).status_code == 200


def test_load_profile_records_what_articles_mention(client):
    generate("load")
    article = Article.objects.published().first()
    # The mentions are recorded: the term's page says where it is used.
    mentioned = Mention.objects.filter(
        source_type__model="article", source_id=article.pk, target_type__model="term"
    )
    term = Term.objects.published().filter(pk__in=mentioned.values("target_id")).first()
    assert term is not None, "no mention of a published term recorded for the article"
    assertContains(client.get(term.get_absolute_url()), "Where this term is used")


def test_a_second_run_refuses_unless_told_to_clear_or_add():
    generate("search", articles=2, terms=2, questions=2)
    with pytest.raises(CommandError, match="already holds synthetic items"):
        generate("search", articles=2, terms=2, questions=2)

    generate("search", articles=3, terms=2, questions=2, add=True)
    assert Article.objects.filter(slug__startswith="syn-").count() == 5

    generate("search", articles=1, terms=2, questions=2, clear=True)
    assert list(Article.objects.values_list("slug", flat=True)) == ["syn-article-1"]


def test_it_refuses_to_run_with_debug_off_without_force():
    with pytest.raises(CommandError, match="DJANGO_DEBUG=1, or with --force"):
        call_command("generate_synthetic", articles=1, stdout=io.StringIO())
