"""The insight dashboard in the admin: who sees what, charts with tables, CSV, and the
actions that turn a search that found nothing into work."""

import csv
import io
from datetime import date, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from exosite.insight.models import ItemDay, Period, Promotion, SearchDay
from exosite.models import Status
from glossary.models import Term
from trust.models import Feedback

pytestmark = pytest.mark.django_db

DASHBOARD = "admin:insight_dashboard_changelist"


def staff(client, username, group=None):
    user = get_user_model().objects.create_user(username, password="pw", is_staff=True)
    if group:
        user.groups.add(Group.objects.get(name=group))
    client.force_login(user)
    return user


@pytest.fixture
def counted(make_article, make_question, make_term):
    today = timezone.localdate()
    article = make_article(title="Exosomes in wound healing")
    question = make_question(question="Are exosome clinics safe?")
    term = make_term(name="Dendritic cell", next_review_at=today - timedelta(days=40))
    for days_ago, views in ((1, 50), (10, 30), (60, 20), (200, 99)):
        ItemDay.objects.create(
            day=today - timedelta(days=days_ago), kind="article", object_id=article.pk,
            language="en", views=views,
        )  # fmt: skip
    ItemDay.objects.create(day=today, kind="faq", object_id=question.pk, language="en", views=7)
    ItemDay.objects.create(day=today, kind="glossary", object_id=term.pk, language="en", views=3)
    SearchDay.objects.create(
        day=today, query="zebrafish lanterns", language="en", searches=4, empty=4, results=0
    )
    SearchDay.objects.create(
        day=today, query="vesicle", language="en", searches=9, results=12, opened=0
    )
    SearchDay.objects.create(
        day=today, query="=HYPERLINK(1)", language="en", searches=1, empty=1, results=0
    )
    for kind in ("not-helpful", "not-helpful", "not-helpful", "helpful"):
        Feedback.objects.create(kind=kind, page=article.get_absolute_url(), client="x")
    Feedback.objects.create(kind="helpful", page=question.get_absolute_url(), client="y")
    return article, question, term


def test_editors_see_everything(client, counted):
    article, question, term = counted
    staff(client, "edna", "Editors")
    response = client.get(reverse(DASHBOARD))
    assert response.status_code == 200
    for title in (
        "Most read",
        "Searches with no results",
        "Searches whose results nobody opened",
        "Helpful ratio per item",
        "Read a lot, found unhelpful",
        "Feedback over time",
        "Review overdue, most read first",
        "How long counts are kept",
    ):
        assertContains(response, title)
    assertContains(response, "Exosomes in wound healing")
    assertContains(response, "zebrafish lanterns")
    assertContains(response, '<svg class="insight-chart"', count=3)
    # Every chart is named for assistive technology; its figures are in a table too.
    assertContains(response, 'role="img" aria-labelledby="chart-most-read-title')
    # 7 days: 50; 30 days: 50 + 30; 90 days: + 20; 200 days ago is outside every window.
    tables = response.context["tables"]
    first = tables["most-read"].rows[0]
    assert first[:6] == ["Exosomes in wound healing", "Article", "en", 50, 80, 100]
    assert tables["unhelpful"].rows[0][0] == "Exosomes in wound healing"
    assert tables["review-overdue"].rows[0][0] == "Dendritic cell"
    assert [row[0] for row in tables["not-opened"].rows] == ["vesicle"]
    # This week: helpful 1 (article) + 1 (FAQ entry), not helpful 3, no problem report.
    assert tables["feedback"].rows[-1][1:] == [2, 3, 0]
    assert len(tables["feedback"].rows) == 12
    helpful = {row[0]: row[2:6] for row in tables["helpful"].rows}
    assert helpful["Exosomes in wound healing"] == [1, 3, 25, 0]


def test_a_search_that_found_nothing_offers_work(client, counted):
    staff(client, "edna", "Editors")
    response = client.get(reverse(DASHBOARD))
    actions = dict(response.context["tables"]["no-results"].extra[0]["actions"])
    term_url = actions["Create a glossary term"]
    assert term_url.startswith(reverse("admin:glossary_term_add"))
    form = client.get(term_url)
    assert form.status_code == 200
    assert form.context["adminform"].form.initial["name"] == "Zebrafish lanterns"
    assert form.context["adminform"].form.initial["status"] == "draft"
    faq_form = client.get(actions["Create an FAQ entry"])
    assert faq_form.context["adminform"].form.initial["question"] == "Zebrafish lanterns"
    pin = client.get(actions["Pin a result"])
    assert pin.context["adminform"].form.initial["query"] == "zebrafish lanterns"
    assert "Add as an alias of a term" in actions


def test_faq_staff_see_searches_and_faq_entries_only(client, counted):
    article, question, term = counted
    staff(client, "fay", "FAQ staff")
    response = client.get(reverse(DASHBOARD))
    assert response.status_code == 200
    tables = response.context["tables"]
    assert [row[0] for row in tables["most-read"].rows] == [question.question]
    assert [row[0] for row in tables["helpful"].rows] == [question.question]
    assertNotContains(response, "Exosomes in wound healing")
    assertNotContains(response, "Dendritic cell")
    assertContains(response, "zebrafish lanterns")
    actions = dict(tables["no-results"].extra[0]["actions"])
    assert set(actions) == {"Create an FAQ entry"}


def test_others_may_not_see_it(client, counted):
    staff(client, "rita", "Medical reviewers")
    assert client.get(reverse(DASHBOARD)).status_code == 403
    assert client.get(reverse("admin:insight_dashboard_csv", args=["most-read"])).status_code == 403
    client.logout()
    assert client.get(reverse(DASHBOARD)).status_code == 302  # to the log-in page


def test_the_admin_index_links_to_it(client, counted):
    staff(client, "edna", "Editors")
    assertContains(client.get(reverse("admin:index")), reverse(DASHBOARD))


@pytest.mark.parametrize("window", ["7", "30", "90", "nonsense", "-1"])
def test_every_window_renders(client, counted, window):
    staff(client, "edna", "Editors")
    response = client.get(reverse(DASHBOARD), {"days": window})
    assert response.status_code == 200
    assert response.context["days"] in (7, 30, 90)


def test_each_table_downloads_as_csv(client, counted):
    staff(client, "edna", "Editors")
    for slug in ("most-read", "no-results", "not-opened", "helpful", "unhelpful", "feedback",
                 "review-overdue"):  # fmt: skip
        response = client.get(reverse("admin:insight_dashboard_csv", args=[slug]), {"days": 90})
        assert response.status_code == 200, slug
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert "attachment" in response["Content-Disposition"]
        rows = list(csv.reader(io.StringIO(response.content.decode())))
        assert len(rows[0]) >= 3, slug
    most_read = client.get(reverse("admin:insight_dashboard_csv", args=["most-read"]), {"days": 90})
    rows = list(csv.reader(io.StringIO(most_read.content.decode())))
    assert rows[1][:6] == ["Exosomes in wound healing", "Article", "en", "50", "80", "100"]
    # A visitor's query is never a spreadsheet formula.
    empty = client.get(reverse("admin:insight_dashboard_csv", args=["no-results"]))
    assert "'=HYPERLINK(1)" in empty.content.decode()
    assert client.get(reverse("admin:insight_dashboard_csv", args=["nope"])).status_code == 404


def test_faq_staff_get_no_csv_of_what_they_cannot_see(client, counted):
    staff(client, "fay", "FAQ staff")
    response = client.get(reverse("admin:insight_dashboard_csv", args=["most-read"]))
    assert "Exosomes in wound healing" not in response.content.decode()


def test_an_empty_dashboard(client, db):
    staff(client, "edna", "Editors")
    response = client.get(reverse(DASHBOARD))
    assert response.status_code == 200
    assertContains(response, "Nothing counted yet for this period.")


# -- add as an alias ---------------------------------------------------------------------------


def test_add_a_search_as_an_alias_of_a_draft_term(client, make_term):
    term = make_term(name="Zebrafish", aliases="Danio rerio", status=Status.DRAFT)
    make_term(name="Zebra finch")
    user = staff(client, "edna", "Editors")
    url = reverse("admin:insight_dashboard_alias")
    form = client.get(url, {"query": "zebrafish lanterns", "language": "en"})
    assert form.status_code == 200
    assertContains(form, "Zebra finch")  # a candidate
    response = client.post(
        url,
        {"query": "zebrafish lanterns", "language": "en", "alias": "zebrafish lanterns",
         "choice": str(term.pk)},
    )  # fmt: skip
    assert response.status_code == 302
    term.refresh_from_db()
    assert term.alias_list == ["Danio rerio", "zebrafish lanterns"]
    # Through the normal save: a revision naming the editor.
    latest = term.history.latest()
    assert latest.history_user == user
    assert latest.aliases.endswith("zebrafish lanterns")


def test_an_alias_by_name_and_the_errors(client, make_term):
    term = make_term(name="Zebrafish", status=Status.DRAFT)
    staff(client, "edna", "Editors")
    url = reverse("admin:insight_dashboard_alias")
    data = {"query": "danio", "language": "en", "alias": "Danio"}
    response = client.post(url, {**data, "name": "No such term"})
    assert response.status_code == 200
    assertContains(response, "No term has that name in this language.")
    assertContains(response, 'value="Danio"')  # what was typed is kept
    response = client.post(url, data)
    assertContains(response, "Choose a term, or type its name.")
    assert client.post(url, {**data, "name": "zebrafish"}).status_code == 302
    term.refresh_from_db()
    assert term.alias_list == ["Danio"]


def test_a_published_term_keeps_its_review_gate(client, make_term, reviewer):
    term = make_term(name="Zebrafish", status=Status.PUBLISHED)
    staff(client, "edna", "Editors")
    url = reverse("admin:insight_dashboard_alias")
    response = client.post(
        url, {"query": "danio", "language": "en", "alias": "Danio", "name": "Zebrafish"},
        follow=True,
    )  # fmt: skip
    term.refresh_from_db()
    assert term.alias_list == []
    assertContains(response, "Not added")


def test_faq_staff_may_not_add_aliases(client, make_term):
    staff(client, "fay", "FAQ staff")
    response = client.get(reverse("admin:insight_dashboard_alias"), {"query": "x"})
    assert response.status_code == 403


def test_month_rows_are_not_in_the_windows(client, counted):
    article = counted[0]
    ItemDay.objects.create(
        day=date.today().replace(day=1), period=Period.MONTH, kind="article",
        object_id=article.pk, language="en", views=1000,
    )  # fmt: skip
    staff(client, "edna", "Editors")
    response = client.get(reverse(DASHBOARD), {"days": 90})
    assert response.context["tables"]["most-read"].rows[0][5] == 100
    assert Term.objects.exists()
    assert Promotion.objects.count() == 0
