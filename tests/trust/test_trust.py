from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from exosite.models import Status
from tests.faq.conftest import started
from trust.models import Feedback, Page, Person

pytestmark = pytest.mark.django_db

POLICY_SLUGS = ("about", "editorial-policy", "medical-disclaimer", "privacy", "funding", "contact")


@pytest.fixture
def person(db):
    return Person.objects.create(
        name="Ada Reviewer",
        slug="ada-reviewer",
        credentials="MD, PhD",
        role="Medical reviewer",
        bio="Reviews <b>clinical</b> content.",
        orcid="https://orcid.org/0000-0002-1825-0097",
        conflicts_of_interest="None declared.",
    )


# People --------------------------------------------------------------------------------


def test_article_names_authors_and_reviewer_with_credentials(client, make_article, person):
    writer = Person.objects.create(name="Sam Writer", slug="sam", credentials="PhD, cell biology")
    today = timezone.localdate()
    article = make_article(reviewed_at=today, reviewer=person, references=1)
    article.author_profiles.set([writer])
    response = client.get(article.get_absolute_url())
    assertContains(
        response, '<a href="/people/sam/" rel="author">Sam Writer</a>, PhD, cell biology', html=True
    )
    assertContains(
        response,
        f'<div><dt>Reviewed</dt><dd><time datetime="{today:%Y-%m-%d}">{today:%-d %B %Y}</time> '
        'by <a href="/people/ada-reviewer/">Ada Reviewer</a>, MD, PhD</dd></div>',
        html=True,
    )
    assertNotContains(response, "Not yet reviewed")
    assertContains(response, "Next review due")
    assertContains(response, 'href="/pages/medical-disclaimer/"')
    assertContains(response, f'href="/feedback/problem/?page={article.get_absolute_url()}"')
    assertContains(response, "Report a problem with this page")


def test_profile_lists_published_articles_written_and_reviewed(
    client, make_article, person, future
):
    written = make_article(title="Written piece")
    written.author_profiles.set([person])
    make_article(title="Reviewed piece", reviewer=person, reviewed_at=timezone.localdate())
    changed = make_article(title="Changed piece", reviewer=person, reviewed_at=timezone.localdate())
    changed.body = "Edited after the review."
    changed.save()  # the page now says it is not reviewed in this version: nor does this one
    make_article(title="Undated piece", reviewer=person)
    draft = make_article(
        title="Draft piece", status=Status.DRAFT, reviewer=person, reviewed_at=timezone.localdate()
    )
    scheduled = make_article(title="Scheduled piece", published_at=future)
    scheduled.author_profiles.set([person])
    response = client.get(person.get_absolute_url())
    assert response.status_code == 200
    assertContains(response, "MD, PhD")
    assertContains(response, "Medical reviewer")
    assertContains(response, "Reviews &lt;b&gt;clinical&lt;/b&gt; content.")
    assertContains(response, 'href="https://orcid.org/0000-0002-1825-0097"')
    assertContains(response, "None declared.")
    assert [a.title for a in response.context["written"]] == ["Written piece"]
    assert [a.title for a in response.context["reviewed"]] == ["Reviewed piece"]
    assertNotContains(response, draft.title)
    assertNotContains(response, scheduled.title)
    assertContains(client.get(reverse("trust:people")), "Ada Reviewer")


def test_a_profile_pages_each_list_on_its_own(client, make_article, person, settings):
    settings.EXOSITE_PERSON_PER_PAGE = 2
    for n in range(3):
        written = make_article(title=f"Written {n}")
        written.author_profiles.set([person])
        make_article(title=f"Reviewed {n}", reviewer=person, reviewed_at=timezone.localdate())
    first = client.get(person.get_absolute_url())
    assert len(first.context["written"]) == len(first.context["reviewed"]) == 2
    assertContains(first, '<nav class="pagination" aria-label="Pages of articles written">')
    assertContains(first, '<nav class="pagination" aria-label="Pages of articles reviewed">')
    assertContains(first, '<a href="?written=2" rel="next">', html=False)
    later = client.get(person.get_absolute_url(), {"written": "2"})
    assert len(later.context["written"]) == 1
    # The other list's links keep this one's page.
    assertContains(later, '<a href="?written=2&amp;reviewed=2" rel="next">', html=False)
    assertContains(
        later, f'rel="canonical" href="http://testserver{person.get_absolute_url()}?written=2"'
    )
    everything = {a.title for a in first.context["written"]} | {
        a.title for a in later.context["written"]
    }
    assert everything == {"Written 0", "Written 1", "Written 2"}
    for wanted in ("3", "0", "x"):
        assert client.get(person.get_absolute_url(), {"written": wanted}).status_code == 404


def test_hidden_profiles_are_not_shown(client, person):
    person.is_public = False
    person.save()
    assert client.get(person.get_absolute_url()).status_code == 404
    assertNotContains(client.get(reverse("trust:people")), "Ada Reviewer")


def test_a_profile_needs_no_login_and_checks_orcid_and_photo_text():
    outsider = Person(name="Outside Reviewer", slug="outside", orcid="https://example.org/me")
    with pytest.raises(ValidationError) as error:
        outsider.full_clean()
    assert "full ORCID address" in str(error.value)


# Policy pages --------------------------------------------------------------------------


def test_policy_pages_exist_from_the_start_and_go_through_the_pipeline(client, make_term):
    make_term(name="Exosome", slug="exosome")
    for slug in POLICY_SLUGS:
        response = client.get(reverse("trust:page", args=[slug]))
        assert response.status_code == 200, slug
    about = client.get(reverse("trust:page", args=["about"]))
    html = about.context["body"].html
    assert '<a class="xref" href="/pages/medical-disclaimer/">medical disclaimer</a>' in html
    assert 'href="/glossary/exosome/"' in html  # auto-linked
    privacy = client.get(reverse("trust:page", args=["privacy"]))
    assertContains(privacy, "90 days after your question is answered or closed")


def test_privacy_page_matches_the_settings_in_force(settings):
    page = Page.objects.get(slug="privacy")
    assert f"{settings.EXOSITE_CONTACT_RETENTION_DAYS} days" in page.body


def test_unpublished_policy_page_is_hidden(client):
    Page.objects.filter(slug="funding").update(status=Status.DRAFT)
    assert client.get(reverse("trust:page", args=["funding"])).status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/articles/",
        "/glossary/",
        "/faq/",
        "/tags/",
        "/faq/ask/",
        "/people/",
        "/pages/about/",
        "/nope/",
    ],
)
def test_footer_links_every_policy_page(client, url):
    response = client.get(url)
    for slug in POLICY_SLUGS:
        assert f'href="/pages/{slug}/"' in response.content.decode(), (url, slug)
    assert 'href="/people/"' in response.content.decode()


def test_footer_links_on_detail_pages(client, make_article, make_term, make_question, person):
    for obj in (make_article(), make_term(), make_question(), person):
        content = client.get(obj.get_absolute_url()).content.decode()
        assert all(f'href="/pages/{slug}/"' in content for slug in POLICY_SLUGS)


# Feedback ------------------------------------------------------------------------------


def test_was_this_page_helpful_needs_no_login_no_js_and_no_token(make_article):
    article = make_article()
    client = Client(enforce_csrf_checks=True)
    page = client.get(article.get_absolute_url())
    assertContains(page, "Was this page helpful?")
    assertNotContains(page, "csrfmiddlewaretoken")  # the page stays cacheable
    response = client.post(
        reverse("trust:helpful"), {"page": article.get_absolute_url(), "helpful": "no"}
    )
    assert response.status_code == 302
    feedback = Feedback.objects.get()
    assert (feedback.kind, feedback.page) == ("not-helpful", article.get_absolute_url())
    thanks = client.get(response.url)
    assertContains(thanks, "Thank you for your feedback")
    token = thanks.context["csrf_token"]
    done = client.post(
        response.url,
        {"comment": "<script>x</script> Too technical", "csrfmiddlewaretoken": str(token)},
    )
    assert done.status_code == 200
    feedback.refresh_from_db()
    assert feedback.comment == "<script>x</script> Too technical"


def test_helpful_votes_are_deduplicated_and_rate_limited(client, settings):
    settings.EXOSITE_FEEDBACK_RATE = "2/h"
    for _ in range(3):
        client.post(reverse("trust:helpful"), {"page": "/glossary/", "helpful": "yes"})
    assert Feedback.objects.count() == 1
    client.post(reverse("trust:helpful"), {"page": "/faq/", "helpful": "yes"})
    limited = client.post(reverse("trust:helpful"), {"page": "/tags/", "helpful": "yes"})
    assert limited.status_code == 429
    assertContains(limited, "Please wait a while", status_code=429)
    assert Feedback.objects.count() == 2


def test_feedback_pages_only_point_at_this_site(client):
    client.post(reverse("trust:helpful"), {"page": "https://evil.example/x", "helpful": "yes"})
    client.post(reverse("trust:helpful"), {"page": "//evil.example/x", "helpful": "no"})
    assert set(Feedback.objects.values_list("page", flat=True)) == {"/"}
    assert client.get(reverse("trust:feedback-thanks", args=["forged"])).status_code == 302


def test_report_a_problem(client, settings):
    url = reverse("trust:problem") + "?page=/articles/x/"
    form = client.get(url)
    assertContains(form, "/articles/x/")
    data = {
        "page": "/articles/x/",
        "comment": "Reference 3 is a broken link.",
        "contact": "me@example.org",
        "website": "",
        "started": started(),
    }
    response = client.post(reverse("trust:problem"), data)
    assertContains(response, "We have your report")
    feedback = Feedback.objects.get()
    assert (feedback.kind, feedback.page, feedback.contact) == (
        "problem",
        "/articles/x/",
        "me@example.org",
    )


def test_problem_report_errors_keep_the_text_and_bots_are_refused(client, settings):
    data = {"page": "/faq/", "comment": "Typo", "website": "", "started": started(seconds_ago=0)}
    response = client.post(reverse("trust:problem"), data)
    assert response.status_code == 400
    assertContains(response, "faster than anyone can type", status_code=400)
    assertContains(response, "Typo", status_code=400)
    data.update(started=started(), website="http://spam")
    client.post(reverse("trust:problem"), data)
    assert not Feedback.objects.exists()
    settings.EXOSITE_FEEDBACK_RATE = "1/h"
    data.update(website="", comment="First real report.")
    client.post(reverse("trust:problem"), data)
    limited = client.post(
        reverse("trust:problem"), {**data, "comment": "Second report here.", "started": started()}
    )
    assert limited.status_code == 429
    assertContains(limited, "Second report here.", status_code=429)
    assert Feedback.objects.count() == 1


def test_a_problem_report_form_is_sent_once(client):
    data = {"page": "/faq/", "comment": "Reference 3 is broken.", "started": started()}
    assertContains(client.post(reverse("trust:problem"), data), "We have your report")
    replayed = client.post(reverse("trust:problem"), {**data, "comment": "And reference 4."})
    assertContains(replayed, "This form was already sent", status_code=400)
    assertContains(replayed, "And reference 4.", status_code=400)
    assert Feedback.objects.count() == 1


def test_feedback_queue_in_the_admin(admin_client):
    old = Feedback.objects.create(
        kind="problem",
        page="/faq/",
        comment="<b>Old</b> report",
        contact="x@example.org",
        client="c",
    )
    Feedback.objects.filter(pk=old.pk).update(received_at=timezone.now() - timedelta(days=10))
    Feedback.objects.create(kind="helpful", page="/glossary/", client="d")
    url = reverse("admin:trust_feedback_changelist")
    response = admin_client.get(url)
    assertContains(response, "&lt;b&gt;Old&lt;/b&gt; report")
    assertNotContains(response, "<b>Old</b>")
    assert list(admin_client.get(url, {"page": "/faq/"}).context["cl"].result_list) == [old]
    assert list(admin_client.get(url, {"age": "older"}).context["cl"].result_list) == [old]
    index = admin_client.get(reverse("admin:index"))
    # Both entries are new (a helpful vote counts as well as a problem report).
    assertContains(index, "<strong>2</strong> new feedback entries")
    admin_client.post(url, {"action": "mark_done", "_selected_action": [old.pk]})
    old.refresh_from_db()
    assert (old.status, old.contact) == ("done", "")


def json_ld_blocks(response):
    import json
    import re

    return [
        json.loads(block)
        for block in re.findall(
            r'<script type="application/ld\+json"[^>]*>(.*?)</script>',
            response.content.decode(),
            re.S,
        )
    ]


def test_article_json_ld_names_people_and_the_organization(client, make_article, person):
    writer = Person.objects.create(name="Sam Writer", slug="sam", credentials="PhD", role="Writer")
    article = make_article(reviewed_at=timezone.localdate(), reviewer=person)
    article.author_profiles.set([writer])
    data = next(
        d for d in json_ld_blocks(client.get(article.get_absolute_url())) if "headline" in d
    )
    author = data["author"][0]
    assert (author["@type"], author["name"], author["jobTitle"]) == (
        "Person",
        "Sam Writer",
        "Writer",
    )
    assert author["hasCredential"]["name"] == "PhD"
    assert author["url"].endswith("/people/sam/")
    reviewer = data["reviewedBy"]
    assert reviewer["name"] == "Ada Reviewer"
    assert reviewer["sameAs"] == ["https://orcid.org/0000-0002-1825-0097"]
    publisher = data["publisher"]
    assert publisher["@type"] == "Organization"
    assert publisher["contactPoint"]["email"]
    assert publisher["publishingPrinciples"].endswith("/pages/editorial-policy/")


def test_profile_and_about_pages_carry_person_and_organization(client, person):
    data = json_ld_blocks(client.get(person.get_absolute_url()))
    assert data[0]["@type"] == "Person" and data[0]["jobTitle"] == "Medical reviewer"
    about = json_ld_blocks(client.get(reverse("trust:page", args=["about"])))
    assert any(d.get("@type") == "Organization" and "contactPoint" in d for d in about)
