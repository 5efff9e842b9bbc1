import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from exosite.models import Status
from faq.models import Topic

pytestmark = pytest.mark.django_db


def test_index_groups_questions_by_topic_with_answers_in_details(client, make_question, topic):
    safety = Topic.objects.create(name="Safety", slug="safety", position=2)
    Topic.objects.create(name="Empty topic", slug="empty", position=3)
    make_question(question="What is an exosome?", answer="A **small** vesicle.", position=2)
    make_question(question="Why study them?", position=1)
    make_question(question="Are they safe?", topic=safety)
    response = client.get(reverse("faq:index"))
    assert response.status_code == 200
    assert [t.name for t in response.context["topics"]] == ["Basics", "Safety"]
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
        make_question(tags=[f"tag {n}", "shared"])
    with django_assert_num_queries(5):
        response = client.get(reverse("faq:index"))
    assert response.status_code == 200


@pytest.mark.parametrize("size", [3, 30])
def test_detail_query_count_does_not_grow(client, make_question, django_assert_num_queries, size):
    for _ in range(size):
        make_question()
    question = make_question(tags=[f"tag {n}" for n in range(size)])
    with django_assert_num_queries(7):
        response = client.get(question.get_absolute_url())
    assert response.content.count(b'rel="tag"') == size
