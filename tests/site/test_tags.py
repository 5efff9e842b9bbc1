"""One tag vocabulary: case and accents do not make new tags; editors can merge tags;
tag pages list every kind together, paginated."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains
from taggit.models import Tag, TaggedItem

from exosite.kernel.tags import fold, merge
from exosite.models import SearchDocument, Status
from tests.site.test_editorial import article_form

pytestmark = pytest.mark.django_db


def test_fold_ignores_case_accents_and_spaces():
    assert fold("  Réponse   Immunitaire ") == fold("reponse immunitaire") == "reponse immunitaire"
    assert fold("Épithélium") == fold("EPITHELIUM")


def test_tags_differing_only_in_accents_or_case_are_one_tag(make_article, make_term, make_question):
    first = make_article(tags=["Réponse immunitaire"])
    make_term(tags=["reponse immunitaire"])
    make_question(tags=["REPONSE  IMMUNITAIRE"])
    make_article(tags=["Épithélium", "épithélium", "EPITHELIUM"])
    assert sorted(Tag.objects.values_list("name", flat=True)) == [
        "Réponse immunitaire",
        "Épithélium",
    ]
    tag = Tag.objects.get(name="Réponse immunitaire")
    assert TaggedItem.objects.filter(tag=tag).count() == 3
    assert [t.name for t in first.tags.all()] == ["Réponse immunitaire"]


def test_new_tag_slugs_are_plain_ascii(make_article):
    make_article(tags=["Réponse immunitaire", "免疫"])
    slugs = set(Tag.objects.values_list("slug", flat=True))
    assert "reponse-immunitaire" in slugs
    assert all(slug.isascii() and slug for slug in slugs)
    for slug in slugs:
        assert reverse("tag-detail", args=[slug])


def test_tag_page_counts_a_folded_tag_once(client, make_article, make_term):
    make_article(title="One", tags=["Cœur"])
    make_term(name="Two", tags=["cœur"])
    response = client.get(reverse("tag-index"))
    assert [(tag.name, tag.count) for tag in response.context["tags"]] == [("Cœur", 2)]


def test_re_saving_with_the_other_spelling_keeps_one_tag(make_article):
    article = make_article(tags=["Réponse"])
    for _ in range(2):
        article.tags.set(["reponse"])
        assert list(article.tags.names()) == ["Réponse"]
    assert Tag.objects.count() == 1


def test_merge_keeps_the_most_used_tag_and_retags_everything(
    client, make_article, make_term, make_question
):
    make_article(title="A vesicle piece", tags=["EVs"])
    make_term(name="Vesicle term", tags=["EVs", "Extracellular vesicles"])
    make_question(question="Vesicle question?", tags=["Extracellular vesicles"])
    make_article(title="Vesicle second", tags=["Extracellular vesicles"])
    kept, removed, items = merge(Tag.objects.filter(name__in=["EVs", "Extracellular vesicles"]))
    assert kept.name == "Extracellular vesicles"
    assert removed == ["EVs"]
    assert items == 2
    assert list(Tag.objects.values_list("name", flat=True)) == ["Extracellular vesicles"]
    assert TaggedItem.objects.filter(tag=kept).count() == 4
    # Search follows: every document now carries the kept tag, none the removed one.
    assert all(doc.tags == "Extracellular vesicles" for doc in SearchDocument.objects.filter(
        title__in=["A vesicle piece", "Vesicle term", "Vesicle second"]
    ))  # fmt: skip
    response = client.get(reverse("search"), {"q": "vesicle", "tag": kept.slug})
    assert response.context["total"] == 4


def test_admin_merge_action(admin_client, make_article, make_term):
    make_article(tags=["EVs"])
    make_term(tags=["EVs", "Extracellular vesicles"])
    make_article(tags=["vesicles"])
    ids = list(Tag.objects.values_list("pk", flat=True))
    keep = Tag.objects.get(name="EVs").pk  # the most used, chosen on the merge page
    response = admin_client.post(
        reverse("admin:taggit_tag_changelist"),
        {"action": "merge_tags", "_selected_action": ids, "post": "yes", "keep": keep},
        follow=True,
    )
    assertContains(response, "Merged")
    assertContains(response, "into “EVs” (2 items retagged)")
    assert list(Tag.objects.values_list("name", flat=True)) == ["EVs"]


def test_admin_refuses_a_twin_tag(admin_client, make_article):
    make_article(tags=["Réponse"])
    response = admin_client.post(
        reverse("admin:taggit_tag_add"), {"name": "reponse", "slug": "reponse-2"}
    )
    assert response.status_code == 200
    assertContains(response, "There is already a tag “Réponse”")
    assert Tag.objects.count() == 1


def test_admin_tag_list_shows_item_counts(admin_client, make_article, make_term):
    make_article(tags=["lung"])
    make_term(tags=["lung"])
    response = admin_client.get(reverse("admin:taggit_tag_changelist"))
    assertContains(response, '<td class="field-item_count">2</td>', html=True)


def test_tag_page_is_paginated_across_kinds(client, make_article, make_term, make_question):
    for n in range(20):
        make_article(title=f"Article {n:02}", tags=["lung"])
        make_term(name=f"Term {n:02}", tags=["lung"])
        make_question(question=f"Question {n:02}?", tags=["lung"])
    make_article(title="Hidden", tags=["lung"], status=Status.DRAFT)
    url = reverse("tag-detail", args=["lung"])
    first = client.get(url)
    assert first.context["page_obj"].paginator.count == 60
    assert [a.title for a in listed(first, "article")] == [f"Article {n:02}" for n in range(20)]
    assert [t.name for t in listed(first, "glossary")] == [f"Term {n:02}" for n in range(10)]
    assert listed(first, "faq") == []
    assertContains(first, 'rel="next"')
    second = client.get(url, {"page": 2})
    assert [t.name for t in listed(second, "glossary")] == [f"Term {n:02}" for n in range(10, 20)]
    assert len(listed(second, "faq")) == 20
    assert client.get(url, {"page": 99}).context["page_obj"].number == 2
    assertContains(first, 'href="/feeds/tags/lung/"')


def listed(response, kind_name):
    """The items of one content kind on a rendered tag page."""
    return next(
        (list(items) for kind, items in response.context["sections"] if kind.name == kind_name),
        [],
    )


def test_names_differing_only_in_spacing_are_one_tag_through_the_orm(make_article, make_term):
    make_term(tags=["Stem   Cells"])
    term = make_term(tags=["Stem  Cells"])
    article = make_article()
    article.tags.add(" stem cells ")
    article.tags.set(["STEM\tCELLS", "Stem Cells"])
    assert list(Tag.objects.values_list("name", flat=True)) == ["Stem Cells"]
    assert list(term.tags.names()) == list(article.tags.names()) == ["Stem Cells"]
    article.tags.remove("Stem  Cells")
    assert list(article.tags.names()) == []


def test_names_differing_only_in_spacing_are_one_tag_through_the_admin(admin_client, make_article):
    # Drafts: saving needs no review.
    first, second = make_article(status=Status.DRAFT), make_article(status=Status.DRAFT)
    # Commas separate tags (without one, taggit takes each word for a tag).
    for article, typed in ((first, "Stem   Cells, lung"), (second, "Stem  Cells, Lung")):
        response = admin_client.post(
            reverse("admin:articles_article_change", args=[article.pk]),
            article_form(admin_client, article, tags=typed),
        )
        assert response.status_code == 302, response.content[:2000]
    assert sorted(Tag.objects.values_list("name", flat=True)) == ["Stem Cells", "lung"]
    assert list(second.tags.names().order_by("name")) == ["Stem Cells", "lung"]
