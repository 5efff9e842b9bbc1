"""The linking steps of the content pipeline: citations, cross-links, auto-links."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from exosite.kernel import linking
from exosite.kernel.markdown import render_markdown
from exosite.models import Status
from tests.conftest import library_reference

pytestmark = pytest.mark.django_db


def body_of(response):
    return response.context["body"].html


# Citations -----------------------------------------------------------------------------


def test_citations_link_to_references_and_back(client, make_article):
    # make_article turns these into citations by key: [@ref1], [@ref2; @ref3] ...
    article = make_article(body="One [1]. Two [2, 3]. Range [4–6]. Hyphen [1-2].", references=6)
    response = client.get(article.get_absolute_url())
    html = body_of(response)
    assert html.count('class="citation"') == 4
    assertContains(
        response,
        '<sup class="citation" id="cite-1">[<a href="#ref-1" aria-label="Reference 1">1</a>]</sup>',
        html=True,
    )
    assert '<a href="#ref-4" aria-label="References 4 to 6">4</a>–' in html
    assert '<a href="#ref-6" aria-label="Reference 6">6</a>' in html
    assert html.count("#ref-") == 1 + 2 + 2 + 2
    # Reference 1 is cited twice; each place is linked from the reference list.
    assertContains(response, '<a href="#cite-1" ', count=1)
    assertContains(response, '<a href="#cite-4" ', count=2)
    # 5 is inside the range 4–6: it links back to that citation.
    content = response.content.decode()
    ref5 = content[content.index('id="ref-5"') : content.index('id="ref-6"')]
    assert 'href="#cite-3"' in ref5
    assertContains(response, 'href="https://doi.org/10.5555/test.5"')
    assertContains(response, 'href="https://pubmed.ncbi.nlm.nih.gov/10000005/"')


def test_citation_problems_are_warnings_not_broken_links(make_article):
    # ref1 and ref2 are in the library; [7] and [3–2] stay numbered, @ref9 is not there.
    article = make_article(
        body="Known [1]. Unknown [7]. Backwards [3–2]. Not in the library [@ref9].",
        references=2,
    )
    rendered = linking.link(article.body_html, cites=True)
    assert "[7]" in rendered.html and "[3–2]" in rendered.html and "[@ref9]" in rendered.html
    assert '"#ref-7"' not in rendered.html and '"#ref-9"' not in rendered.html
    assert rendered.html.count('class="citation"') == 1
    assert any("[7]" in warning for warning in rendered.warnings)
    assert any("[3–2]" in warning for warning in rendered.warnings)
    assert any("@ref9" in warning for warning in rendered.warnings)
    assert (rendered.citation_problems, rendered.broken_links) == (3, 0)
    # A library reference the text does not cite is not one of its references.
    assert [cited.key for cited in rendered.references] == ["ref1"]


def test_text_at_the_size_limit_full_of_problems_is_stored_with_bounded_warnings(
    make_article, django_capture_on_commit_callbacks
):
    # 33,333 citations of a missing reference and broken links: before, every one was a
    # warning (stored, and one admin message each) and the count overflowed the stored
    # small integer (an error on PostgreSQL).
    body = ("[9]" * 33_333)[: linking.MAX_COUNT * 3 + 6]
    with django_capture_on_commit_callbacks(execute=True):
        article = make_article(body=body, references=1)
    article.refresh_from_db()
    assert article.citation_problems == linking.MAX_COUNT
    assert len(article.link_warnings) == linking.MAX_WARNINGS + 1
    assert article.link_warnings[-1].startswith("… and 32,")
    rendered = linking.link(render_markdown("[[nowhere]] " * 8_000), cites=True)
    assert rendered.broken_links == 8_000
    assert len(rendered.warnings) == linking.MAX_WARNINGS + 1


def test_citations_are_left_alone_in_code_links_and_without_cites():
    library_reference(1)
    html = render_markdown(
        "`x[@ref1]` and `y[1]` and [a [@ref1] link](https://example.org) and [a [2] link]"
        "(https://example.org)\n\nText [@ref1]."
    )
    rendered = linking.link(html, cites=True)
    assert "<code>x[@ref1]</code>" in rendered.html and "<code>y[1]</code>" in rendered.html
    assert rendered.html.count('class="citation"') == 1
    assert rendered.citation_problems == 0 and rendered.warnings == []
    assert rendered.citations == {1: ["cite-1"]}
    # A kind that does not cite leaves every citation as typed.
    uncited = linking.link(html)
    assert uncited.html.count('class="citation"') == 0
    assert uncited.references == [] and uncited.citation_problems == 0


# Cross-links ---------------------------------------------------------------------------


def test_crosslinks_by_name_alias_and_prefix(make_term, make_article, make_question):
    make_term(name="Dendritic cell", slug="dendritic-cell", aliases="DCs")
    make_article(title="Sources", slug="sources")
    make_question(question="Are they safe?", slug="safe")
    html = render_markdown(
        "[[dendritic CELL]], [[DCs]], [[glossary:dendritic-cell|these cells]], "
        "[[article:sources]], [[faq:safe|safety]]."
    )
    rendered = linking.link(html, autolink=False)
    assert '<a class="xref" href="/glossary/dendritic-cell/">dendritic CELL</a>' in rendered.html
    assert '<a class="xref" href="/glossary/dendritic-cell/">DCs</a>' in rendered.html
    assert '<a class="xref" href="/glossary/dendritic-cell/">these cells</a>' in rendered.html
    assert '<a class="xref" href="/articles/sources/">Sources</a>' in rendered.html
    assert '<a class="xref" href="/faq/safe/">safety</a>' in rendered.html
    assert rendered.warnings == []
    assert set(rendered.mentions) == {"glossary:dendritic-cell", "article:sources", "faq:safe"}


def test_missing_or_unpublished_targets_are_plain_text_until_published(
    client, make_term, make_article, future
):
    draft = make_term(name="Exomere", slug="exomere", status=Status.DRAFT)
    make_article(title="Later", slug="later", published_at=future)
    article = make_article(
        body="See [[Exomere]], [[article:later|the next piece]] and [[faq:nothing]]."
    )
    html = body_of(client.get(article.get_absolute_url()))
    assert "<a" not in html
    assert "See Exomere, the next piece and nothing." in html
    rendered = linking.link(article.body_html, cites=True)
    assert len(rendered.warnings) == 3
    draft.status = Status.PUBLISHED
    draft.save()
    html = body_of(client.get(article.get_absolute_url()))
    assert '<a class="xref" href="/glossary/exomere/">Exomere</a>' in html


def test_crosslinks_are_not_made_inside_code_and_odd_input_survives(make_term):
    make_term(name="Antigen", slug="antigen")
    html = render_markdown(
        "`[[Antigen]]` then [[Antigen then ]] [[ then [[Antigen|<b>x</b> & y]] [["
    )
    rendered = linking.link(html, autolink=False)
    assert "<code>[[Antigen]]</code>" in rendered.html
    assert "<b>" not in rendered.html
    assert '<a class="xref" href="/glossary/antigen/">x &amp; y</a>' in rendered.html
    assert rendered.html.rstrip().endswith("[[</p>")


def test_crosslinks_work_in_term_definitions_and_faq_answers(client, make_term, make_question):
    make_term(name="T cell", slug="t-cell")
    term = make_term(name="Antigen", slug="antigen", definition="Recognised by [[T cell|T cells]].")
    question = make_question(answer="Ask about [[glossary:antigen]].", slug="q")
    assertContains(client.get(term.get_absolute_url()), 'href="/glossary/t-cell/"')
    response = client.get(question.get_absolute_url())
    assertContains(response, f'<a class="xref" href="{term.get_absolute_url()}">Antigen</a>')
    assertContains(client.get(reverse("faq:index")), 'class="xref"')


# Auto-links in pages -------------------------------------------------------------------


def test_published_terms_are_auto_linked_once_and_drafts_never(client, make_term, make_article):
    make_term(name="Exosome", slug="exosome", short_definition="A small vesicle.")
    make_term(name="Ectosome", slug="ectosome", status=Status.DRAFT)
    article = make_article(body="Exosomes and ectosomes. An exosome again.")
    html = body_of(client.get(article.get_absolute_url()))
    assert html.count('class="term-link"') == 1
    assert 'href="/glossary/exosome/"' in html
    assert 'data-definition="A small vesicle."' in html
    assert "/glossary/ectosome/" not in html


def test_hostile_and_unicode_terms_through_the_whole_pipeline(client, make_term, make_article):
    make_term(name="Wharton's jelly", slug="whartons-jelly", short_definition='Says "hi" <b>')
    make_term(name="CD34+ stem cell", slug="cd34", abbreviation="CD34+")
    make_term(name="β-catenin", slug="beta-catenin")
    make_term(name="R&D", slug="r-and-d")
    make_term(name="(MVB)", slug="mvb-paren")
    article = make_article(
        body="Wharton’s jelly, CD34+ stem cells, β-catenin, R&D and (MVB). "
        '<script>alert(1)</script> [x](javascript:alert(1)) <img src=x onerror="alert(1)">'
    )
    html = body_of(client.get(article.get_absolute_url()))
    for slug in ("whartons-jelly", "cd34", "beta-catenin", "r-and-d", "mvb-paren"):
        assert f'href="/glossary/{slug}/"' in html, slug
    assert ">Wharton’s jelly</a>" in html
    assert 'data-definition="Says &quot;hi&quot; &lt;b&gt;"' in html
    assert "<script" not in html and "javascript:" not in html and "onerror" not in html


def test_per_article_and_per_term_switches(client, make_term, make_article):
    make_term(name="Exosome", slug="exosome")
    make_term(name="Vesicle", slug="vesicle", autolink=False)
    article = make_article(body="An exosome is a vesicle.")
    html = body_of(client.get(article.get_absolute_url()))
    assert "/glossary/exosome/" in html
    assert "/glossary/vesicle/" not in html
    article.autolink_terms = False
    article.save()
    assert "term-link" not in body_of(client.get(article.get_absolute_url()))


def test_a_term_page_never_links_to_itself(client, make_term):
    make_term(name="Antigen", slug="antigen")
    term = make_term(
        name="Epitope", slug="epitope", definition="The part of an antigen an epitope..."
    )
    response = client.get(term.get_absolute_url())
    html = response.context["definition"].html
    assert "/glossary/antigen/" in html
    assert "/glossary/epitope/" not in html


def test_glossary_changes_show_on_the_next_page_view_without_resaving(
    client, make_term, make_article
):
    article = make_article(body="Microvesicles bud from the plasma membrane.")
    url = article.get_absolute_url()
    assert "term-link" not in body_of(client.get(url))
    term = make_term(name="Microvesicle", slug="microvesicle")  # added
    assert "/glossary/microvesicle/" in body_of(client.get(url))
    term.name, term.slug = "Ectosome", "ectosome"  # renamed
    term.save()
    assert "term-link" not in body_of(client.get(url))
    term.aliases = "microvesicle"  # given an alias
    term.save()
    assert "/glossary/ectosome/" in body_of(client.get(url))
    term.status = Status.DRAFT  # unpublished
    term.save()
    assert "term-link" not in body_of(client.get(url))
    term.status = Status.PUBLISHED
    term.save()
    assert "term-link" in body_of(client.get(url))
    term.delete()  # deleted
    assert "term-link" not in body_of(client.get(url))


def test_a_scheduled_term_is_linked_from_its_time(client, make_term, make_article):
    from datetime import timedelta

    from django.utils import timezone

    term = make_term(name="Exosome", published_at=timezone.now() + timedelta(hours=1))
    article = make_article(body="An exosome.")
    assert "term-link" not in body_of(client.get(article.get_absolute_url()))
    type(term).objects.filter(pk=term.pk).update(published_at=timezone.now() - timedelta(seconds=1))
    assert "term-link" in body_of(client.get(article.get_absolute_url()))


def test_pages_do_not_render_markdown_per_request(client, make_article, monkeypatch):
    article = make_article(body="Plain **text**.")
    from exosite import models
    from exosite.kernel import markdown

    never = lambda *a, **k: pytest.fail("rendered")  # noqa: E731
    monkeypatch.setattr(markdown, "render_markdown", never)
    monkeypatch.setattr(models, "render_markdown", never)
    assert client.get(article.get_absolute_url()).status_code == 200


def test_linking_is_cached_until_something_changes(client, make_article, monkeypatch):
    article = make_article(body="Plain text.")
    client.get(article.get_absolute_url())
    monkeypatch.setattr(linking, "link", lambda *a, **k: pytest.fail("linked again"))
    assert client.get(article.get_absolute_url()).status_code == 200


# Backlinks and related content ---------------------------------------------------------


def test_term_page_lists_what_mentions_it(
    client, make_term, make_article, make_question, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        term = make_term(name="Dendritic cell", slug="dendritic-cell")
        make_article(title="Auto-linked article", body="Dendritic cells present antigen.")
        make_question(question="Cross-linked question?", answer="See [[glossary:dendritic-cell]].")
        make_article(title="Unrelated article", body="Nothing here.")
        make_article(title="Draft article", body="Dendritic cells.", status=Status.DRAFT)
    response = client.get(term.get_absolute_url())
    assertContains(response, "Auto-linked article")
    assertContains(response, "Cross-linked question?")
    assertNotContains(response, "Unrelated article")
    assertNotContains(response, "Draft article")


def test_a_new_term_finds_existing_content_that_mentions_it(
    client, make_term, make_article, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        make_article(title="Older article", body="Tetraspanins such as CD63 mark vesicles.")
    with django_capture_on_commit_callbacks(execute=True):
        term = make_term(name="Tetraspanin", slug="tetraspanin")
    assertContains(client.get(term.get_absolute_url()), "Older article")


def test_article_page_lists_terms_used_and_related_content(
    client, make_term, make_article, make_question, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        make_term(name="Exosome", slug="exosome")
        make_term(name="Unused term", slug="unused")
        article = make_article(body="An exosome.", tags=["lung"])
        make_article(title="Same tag", tags=["lung"])
        make_article(title="Links to it", body=f"See [[article:{article.slug}]].")
        make_article(title="Different tag", tags=["brain"])
        make_question(question="Lung question?", tags=["lung"])
    response = client.get(article.get_absolute_url())
    assert [t.slug for t in response.context["terms_used"]] == ["exosome"]
    titles = [a.title for a in response.context["related_articles"]]
    assert titles == ["Links to it", "Same tag"]
    assert [q.question for q in response.context["related_questions"]] == ["Lung question?"]
    assertContains(response, "Glossary terms in this article")


def test_question_page_lists_related_terms_and_articles(
    client, make_term, make_article, make_question, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        make_term(name="Exosome", slug="exosome")
        make_term(name="Tagged term", tags=["safety"])
        make_article(title="Safety article", tags=["safety"])
        question = make_question(answer="An exosome is small.", tags=["safety"])
    response = client.get(question.get_absolute_url())
    assert {t.name for t in response.context["related_terms"]} == {"Exosome", "Tagged term"}
    assert [a.title for a in response.context["related_articles"]] == ["Safety article"]


# Admin warnings ------------------------------------------------------------------------


def test_admin_warns_about_citations_and_links_but_keeps_the_save(admin_client):
    from articles.models import Article
    from trust.models import Person

    library_reference(1)
    author = Person.objects.create(name="Ann Author", slug="ann-author")
    data = {
        "title": "Warned",
        "slug": "warned",
        "summary": "S.",
        "body": "Cites [@ref1], [2] and [@nobody2020] and links [[article:nowhere]].",
        "author_profiles": [author.pk],
        "status": Status.DRAFT,
        "autolink_terms": "on",
        "figures-TOTAL_FORMS": "0",
        "figures-INITIAL_FORMS": "0",
        "figures-MIN_NUM_FORMS": "0",
        "figures-MAX_NUM_FORMS": "1000",
    }
    response = admin_client.post(reverse("admin:articles_article_add"), data, follow=True)
    messages = [str(m) for m in response.context["messages"]]
    assert Article.objects.filter(slug="warned").exists()
    assert any("[2]" in m and "numbered citation" in m for m in messages)
    assert any("@nobody2020" in m and "reference library" in m for m in messages)
    assert any("[[article:nowhere]]" in m for m in messages)
    assert not any("ref1" in m for m in messages)
    # What the editor is told is what was stored, from the one linking of the save.
    article = Article.objects.get(slug="warned")
    assert [m for m in messages if m in article.link_warnings] == article.link_warnings
    assert len(article.link_warnings) == 3
    assert (article.broken_links, article.citation_problems) == (1, 2)


def test_one_admin_save_links_the_item_once(
    admin_client, make_article, monkeypatch, django_capture_on_commit_callbacks
):
    from exosite.kernel import linking

    # A draft: publishing would also link the edited text once more, to check it before
    # the save (the editorial gate, exosite.kernel.review); that is not the save's linking.
    article = make_article(body="Plain text.", status=Status.DRAFT)
    calls = []
    real_link = linking.link

    def counting(html, **options):
        calls.append(html)
        return real_link(html, **options)

    monkeypatch.setattr(linking, "link", counting)
    data = {
        "title": article.title,
        "slug": article.slug,
        "summary": article.summary,
        "body": "Changed text.",
        "author_profiles": [person.pk for person in article.author_profiles.all()],
        "status": article.status,
        "autolink_terms": "on",
        "loaded_version": article.edit_version,
        "figures-TOTAL_FORMS": "0",
        "figures-INITIAL_FORMS": "0",
    }
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = admin_client.post(
            reverse("admin:articles_article_change", args=[article.pk]), data
        )
    assert response.status_code == 302
    assert callbacks  # the on-commit relink was scheduled, and found it already done
    assert calls == ["<p>Changed text.</p>"]


def test_a_link_to_a_scheduled_item_is_stored_as_scheduled_not_broken(
    make_article, future, django_capture_on_commit_callbacks
):
    make_article(title="Coming soon", slug="coming-soon", published_at=future)
    with django_capture_on_commit_callbacks(execute=True):
        article = make_article(body="Soon: [[article:coming-soon]].")
    article.refresh_from_db()
    assert article.broken_links == 0
    assert len(article.link_warnings) == 1
    assert "“Coming soon”, which is scheduled" in article.link_warnings[0]
