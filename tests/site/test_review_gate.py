"""The editorial gate (exosite.kernel.review): nothing is published through the admin
without a recorded review of that very version, with working cross-links and citations
that name library references; an override needs its own permission and a reason."""

from datetime import date

import pytest
from django import forms
from django.contrib.auth.models import Group, Permission, User
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from articles.models import Article
from exosite.models import Status
from faq.models import Question
from glossary.models import Term
from trust.models import Person

pytestmark = pytest.mark.django_db


def admin_url(obj, view="change"):
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_{view}", args=[obj.pk])


def form_data(client, url, **changes):
    """What the change form at `url` would send as it is shown, with `changes`."""
    response = client.get(url)
    assert response.status_code == 200
    data = fields_of(response.context["adminform"].form)
    for formset in response.context.get("inline_admin_formsets", []):
        management = formset.formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = management[name].value()
        for inline in formset.formset.initial_forms:
            data.update(fields_of(inline))
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def fields_of(form):
    """A bound-looking copy of `form`'s values, as a browser would post them."""
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if value is None or value is False or isinstance(field, forms.FileField):
            continue
        if value is True:
            value = "on"
        elif name == "tags" and not isinstance(value, str):
            value = ", ".join(tag.tag.name if hasattr(tag, "tag") else tag.name for tag in value)
        elif isinstance(value, (list, tuple)):
            value = [str(v.pk if hasattr(v, "pk") else v) for v in value]
        elif hasattr(value, "pk"):
            value = value.pk
        data[form.add_prefix(name)] = value
    return data


def user_in(name, *groups, permissions=()):
    user = User.objects.create_user(name, password="a-long-passphrase", is_staff=True)
    for group in groups:
        user.groups.add(Group.objects.get(name=group))
    for codename in permissions:
        user.user_permissions.add(Permission.objects.get(codename=codename))
    return user


@pytest.fixture
def editor_reviewer(client):
    """One person who may edit, publish and record reviews (Editors + Medical reviewers)."""
    user = user_in("erin", "Editors", "Medical reviewers")
    client.force_login(user)
    return user


@pytest.fixture
def items(make_article, make_term, make_question):
    """A draft of each reviewed kind, never reviewed."""
    return [
        make_article(status=Status.DRAFT, body="Plain text."),
        make_term(status=Status.DRAFT, definition="Plain text."),
        make_question(status=Status.DRAFT, answer="Plain text."),
    ]


def errors_of(response):
    form = response.context["adminform"].form
    return {name: [str(e) for e in errors] for name, errors in form.errors.items()}


# The status field ------------------------------------------------------------------------


@pytest.mark.parametrize("index", [0, 1, 2], ids=["article", "term", "faq"])
def test_publishing_an_unreviewed_item_is_refused_next_to_the_reviewer(
    client, editor_reviewer, items, index
):
    item = items[index]
    url = admin_url(item)
    response = client.post(url, form_data(client, url, status="published"))

    assert response.status_code == 200
    assert "reviewer" in errors_of(response)
    assertContains(response, "nothing is published unreviewed")
    item.refresh_from_db()
    assert item.status == Status.DRAFT


@pytest.mark.parametrize("index", [0, 1, 2], ids=["article", "term", "faq"])
def test_a_reviewer_records_the_review_and_publishes_in_one_save(
    client, editor_reviewer, items, reviewer, index
):
    item = items[index]
    url = admin_url(item)
    data = form_data(client, url, status="published", reviewer=reviewer.pk, record_review="on")
    response = client.post(url, data)

    assert response.status_code == 302, errors_of(response)
    item.refresh_from_db()
    assert item.is_published and item.review_current
    assert item.reviewer == reviewer and item.reviewed_at == date.today()
    page = client.get(item.get_absolute_url())
    assertContains(page, "Rita Reviewer")
    assertNotContains(page, "Not yet reviewed")


@pytest.mark.parametrize("index", [0, 1, 2], ids=["article", "term", "faq"])
def test_a_scheduled_publication_is_gated_too(client, editor_reviewer, items, future, index):
    item = items[index]
    url = admin_url(item)
    data = form_data(
        client,
        url,
        status="published",
        published_at_0=future.strftime("%Y-%m-%d"),
        published_at_1="09:00:00",
    )
    response = client.post(url, data)

    assert response.status_code == 200
    assert "reviewer" in errors_of(response)


def test_a_change_after_the_review_needs_a_new_review(client, editor_reviewer, reviewer, make_term):
    term = make_term(status=Status.DRAFT, definition="First text.")
    term.record_review(reviewer)
    term.save()
    assert term.review_current
    url = admin_url(term)

    changed = form_data(client, url, status="published", definition="Second text.")
    response = client.post(url, changed)

    assert response.status_code == 200
    assert "changed since the review" in " ".join(errors_of(response)["reviewed_at"])
    assertContains(response, "Second text.")  # what was typed is kept
    term.refresh_from_db()
    assert term.definition == "First text." and term.status == Status.DRAFT

    response = client.post(url, {**changed, "record_review": "on"})
    assert response.status_code == 302
    term.refresh_from_db()
    assert term.is_published and term.review_current and term.definition == "Second text."


def test_broken_cross_links_and_unknown_citations_are_listed_next_to_the_text(
    client, editor_reviewer, reviewer, make_question
):
    question = make_question(status=Status.DRAFT)
    url = admin_url(question)
    data = form_data(
        client,
        url,
        status="published",
        answer="See [[faq:nowhere]], as shown [@nosuchkey].",
        reviewer=reviewer.pk,
        record_review="on",
    )
    response = client.post(url, data)

    assert response.status_code == 200
    problems = " ".join(errors_of(response)["answer"])
    assert "[[faq:nowhere]] goes nowhere" in problems
    assert "@nosuchkey" in problems and "not in the reference library" in problems
    question.refresh_from_db()
    assert question.status == Status.DRAFT


def test_the_reviewer_may_not_be_an_author(client, editor_reviewer, make_article):
    author = Person.objects.create(name="Anna Author", slug="anna-author")
    article = make_article(status=Status.DRAFT, authors=[author])
    url = admin_url(article)
    response = client.post(url, form_data(client, url, reviewer=author.pk))

    assert response.status_code == 200
    assert "one of the authors" in " ".join(errors_of(response)["reviewer"])


def test_an_article_without_authors_is_not_published(
    client, editor_reviewer, reviewer, make_article
):
    article = make_article(status=Status.DRAFT, authors=[])
    url = admin_url(article)
    data = form_data(client, url, status="published", reviewer=reviewer.pk, record_review="on")
    data.pop("author_profiles", None)
    response = client.post(url, data)

    assert response.status_code == 200
    assert "author_profiles" in errors_of(response)


# Who may record a review ----------------------------------------------------------------


def test_an_editor_without_the_reviewer_role_cannot_record_or_change_a_review(
    client, reviewer, make_term
):
    client.force_login(user_in("ed", "Editors"))
    term = make_term(status=Status.DRAFT)
    url = admin_url(term)
    page = client.get(url)
    form = page.context["adminform"].form
    assert "record_review" not in page.content.decode()
    assert "reviewer" not in form.fields and "reviewed_at" not in form.fields

    forged = form_data(client, url, status="published", record_review="on", reviewer=reviewer.pk)
    response = client.post(url, forged)

    assert response.status_code == 200
    term.refresh_from_db()
    assert term.reviewer is None and term.status == Status.DRAFT


# The publish action ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("model", "index"), [(Article, 0), (Term, 1), (Question, 2)], ids=["article", "term", "faq"]
)
def test_the_publish_action_refuses_unreviewed_items_and_says_why(
    client, editor_reviewer, items, reviewer, model, index
):
    item, other = items[index], None
    meta = model._meta
    changelist = reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
    response = client.post(
        changelist, {"action": "publish", "_selected_action": [item.pk]}, follow=True
    )
    assertContains(response, "was not published")
    item.refresh_from_db()
    assert item.status == Status.DRAFT

    item.record_review(reviewer)
    item.save()
    client.post(changelist, {"action": "publish", "_selected_action": [item.pk]})
    item.refresh_from_db()
    assert item.is_published
    assert other is None


# The override ----------------------------------------------------------------------------


def test_an_override_needs_its_permission_and_a_reason_and_is_kept(client, make_article):
    user = user_in("olga", "Editors", permissions=["publish_unreviewed_article"])
    client.force_login(user)
    article = make_article(status=Status.DRAFT)
    url = admin_url(article)

    without_reason = form_data(client, url, status="published", publish_unreviewed="on")
    response = client.post(url, without_reason)
    assert response.status_code == 200
    assert "unreviewed_reason_text" in errors_of(response)

    reason = "Urgent safety notice about an unapproved clinic; review booked for Monday."
    response = client.post(url, {**without_reason, "unreviewed_reason_text": reason})
    assert response.status_code == 302, errors_of(response)
    article.refresh_from_db()
    assert article.is_published and not article.review_current
    assert article.unreviewed_reason == reason
    revision = article.history.first()
    assert revision.unreviewed_reason == reason  # in full
    # The change-reason column holds 100 characters (PostgreSQL refuses more).
    assert revision.history_change_reason.startswith("Published without a current review: Ur")
    assert len(revision.history_change_reason) <= 100
    page = client.get(article.get_absolute_url())
    assertContains(page, "Not yet reviewed by our medical reviewers in this version.")


def test_the_override_is_offered_to_no_group(client, make_article):
    for group in Group.objects.all():
        assert not group.permissions.filter(codename__startswith="publish_unreviewed").exists()
    client.force_login(user_in("ed", "Editors"))
    article = make_article(status=Status.DRAFT)
    url = admin_url(article)
    assertNotContains(client.get(url), "publish_unreviewed")
    response = client.post(
        url,
        form_data(
            client, url, status="published", publish_unreviewed="on", unreviewed_reason_text="x"
        ),
    )
    assert response.status_code == 200
    article.refresh_from_db()
    assert article.status == Status.DRAFT


def test_an_override_never_waives_broken_links(client, make_article):
    client.force_login(user_in("olga", "Editors", permissions=["publish_unreviewed_article"]))
    article = make_article(status=Status.DRAFT, body="See [[article:nowhere]].")
    url = admin_url(article)
    response = client.post(
        url,
        form_data(
            client,
            url,
            status="published",
            publish_unreviewed="on",
            unreviewed_reason_text="It cannot wait.",
        ),
    )
    assert response.status_code == 200
    assert "body" in errors_of(response)


# The next review date --------------------------------------------------------------------


def test_the_next_review_follows_the_review_date_unless_set_by_hand(reviewer, make_article):
    article = make_article()
    article.record_review(reviewer, on=date(2026, 3, 1))
    article.save()
    assert article.next_review_at == date(2027, 3, 1)

    article.reviewed_at = date(2026, 11, 20)
    article.save()
    assert article.next_review_at == date(2027, 11, 20)

    article.reviewed_at, article.next_review_at = date(2026, 11, 25), date(2027, 5, 25)
    article.save()
    article.refresh_from_db()
    assert article.next_review_at == date(2027, 5, 25)


def test_what_the_page_says_about_its_review_is_true(client, reviewer, make_article):
    article = make_article(body="Reviewed text.")
    article.record_review(reviewer, on=date(2026, 10, 1))
    article.save()
    assertContains(client.get(article.get_absolute_url()), "Rita Reviewer")

    Article.objects.filter(pk=article.pk).update()  # nothing changed: still current
    article.body = "Changed by code after the review."
    article.save()
    page = client.get(article.get_absolute_url())
    assertNotContains(page, "Rita Reviewer")
    assertContains(page, "Not yet reviewed")
    assert '"reviewedBy"' not in page.content.decode()
