import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from exosite.models import Status
from faq.models import Topic
from tests.conftest import library_reference

pytestmark = pytest.mark.django_db


def test_index_groups_questions_by_topic_with_answers_in_details(client, make_question, topic):
    safety = Topic.objects.create(name="Safety", slug="safety", position=2)
    Topic.objects.create(name="Empty topic", slug="empty", position=3)
    make_question(question="What is an exosome?", answer="A **small** vesicle.", position=2)
    make_question(question="Why study them?", position=1)
    make_question(question="Are they safe?", topic=safety)
    response = client.get(reverse("faq:index"))
    assert response.status_code == 200
    assert [name for name, _ in response.context["toc"]] == ["Basics", "Safety"]
    content = response.content.decode()
    assert content.index("Why study them?") < content.index("What is an exosome?")
    assertContains(response, "<summary>What is an exosome?</summary>", html=True)
    assertContains(response, "<strong>small</strong>", html=True)
    assertNotContains(response, "Empty topic")


def test_drafts_and_scheduled_questions_are_hidden(client, make_question, future):
    draft = make_question(question="Draft question?", status=Status.DRAFT)
    scheduled = make_question(question="Scheduled question?", published_at=future)
    visible = make_question(question="Visible question?")
    index = client.get(reverse("faq:index"))
    detail = client.get(visible.get_absolute_url())
    for hidden in (draft, scheduled):
        assertNotContains(index, hidden.question)
        assertNotContains(detail, hidden.question)
        assert client.get(hidden.get_absolute_url()).status_code == 404


def test_question_page(client, make_question):
    question = make_question(
        question="Can exosomes cross the blood-brain barrier?", tags=["neurology"]
    )
    sibling = make_question(question="Another question?")
    response = client.get(question.get_absolute_url())
    assert response.status_code == 200
    assertContains(response, "<h1>Can exosomes cross the blood-brain barrier?</h1>", html=True)
    assertContains(response, 'href="/tags/neurology/"')
    assertContains(response, sibling.get_absolute_url())
    assertContains(response, 'href="/faq/#basics"')


@pytest.mark.parametrize("size", [3, 30])
def test_index_query_count_does_not_grow(client, make_question, django_assert_num_queries, size):
    for n in range(size):
        library_reference(n + 1)
        make_question(tags=[f"tag {n}", "shared"], answer=f"A fact [@ref{n + 1}; @ref1].")
    # Entries with their topics, the page's entries, glossary version and index; for
    # citations, the library's version, the keys looked up and the records listed: each
    # once for all the answers.
    with django_assert_num_queries(7):
        response = client.get(reverse("faq:index"))
    assert response.status_code == 200


def test_a_large_faq_gets_pages_and_its_topics_link_to_where_they_start(
    client, make_question, topic, settings
):
    settings.EXOSITE_FAQ_PER_PAGE = 2
    safety = Topic.objects.create(name="Safety", slug="safety", position=2)
    make_question(question="First basic?", position=1)
    make_question(question="Second basic?", position=2)
    make_question(question="Third basic?", position=3)
    make_question(question="Is it safe?", topic=safety)
    first = client.get(reverse("faq:index"))
    assertContains(first, "<summary>Second basic?</summary>", html=True)
    assertNotContains(first, "Third basic?")
    assert first.context["toc"] == [("Basics", "#basics"), ("Safety", "?page=2#safety")]
    assertContains(first, '<a href="?page=2" rel="next">', html=False)
    second = client.get(reverse("faq:index"), {"page": "2"})
    assertContains(second, "<summary>Third basic?</summary>", html=True)
    assertContains(second, "<summary>Is it safe?</summary>", html=True)
    assert second.context["toc"] == [("Basics", "/faq/#basics"), ("Safety", "#safety")]
    assertContains(second, 'rel="canonical" href="http://testserver/faq/?page=2"')
    for page in ("3", "0", "two", "9" * 7):
        assert client.get(reverse("faq:index"), {"page": page}).status_code == 404


def test_index_gives_every_answer_its_own_references(client, make_question):
    """Every answer is on the index, each numbering its own references from 1: each has its
    own anchors and list, so no two ids clash and every citation leads to its reference."""
    library_reference(1), library_reference(2)
    first = make_question(answer="Cites [@ref1].")
    second = make_question(answer="Cites [@ref2], then [@ref1].")
    html = client.get(reverse("faq:index")).content.decode()
    for question, keys in ((first, ["1"]), (second, ["2", "1"])):
        prefix = f"q{question.pk}-"
        assert f'id="{prefix}cite-1"' in html
        for number, key in enumerate(keys, 1):
            assert f'href="#{prefix}ref-{number}"' in html
            entry = html.split(f'<li id="{prefix}ref-{number}"', 1)[1].split("</li>", 1)[0]
            assert f"Author {key}." in entry
            assert f'href="#{prefix}cite-' in entry  # and back to the citation
    assert 'id="cite-1"' not in html and 'id="ref-1"' not in html


@pytest.mark.parametrize("size", [3, 30])
def test_detail_query_count_does_not_grow(client, make_question, django_assert_num_queries, size):
    for _ in range(size):
        make_question()
    question = make_question(tags=[f"tag {n}" for n in range(size)])
    with django_assert_num_queries(8):  # 7, and its translations (kept with its parts)
        response = client.get(question.get_absolute_url())
    assert response.content.count(b'rel="tag"') == size
