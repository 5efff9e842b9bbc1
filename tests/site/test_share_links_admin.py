"""Share links in the admin: FAQ staff see and revoke the links they made; Editors, who
may change every kind of item, see everyone's to clear up after a colleague."""

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from exosite.kernel.preview import share_token
from exosite.models import ShareLink, Status

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:exosite_sharelink_changelist")


def staff_client(name, group):
    user = User.objects.create_user(name, password="a-long-passphrase", is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    client = Client()
    client.force_login(user)
    return client, user


@pytest.fixture
def links(make_article, make_question):
    """A link each from an FAQ staff member, a second one, and an editor."""
    faq, fay = staff_client("fay", "FAQ staff")
    other, _ = staff_client("fred", "FAQ staff")
    editor, _ = staff_client("eddie", "Editors")
    question = make_question(question="Is it safe?", status=Status.DRAFT)
    second = make_question(question="Is it approved?", status=Status.DRAFT)
    article = make_article(title="Draft article", status=Status.DRAFT)
    for client, url in (
        (faq, reverse("admin:faq_question_share", args=[question.pk])),
        (other, reverse("admin:faq_question_share", args=[second.pk])),
        (editor, reverse("admin:articles_article_share", args=[article.pk])),
    ):
        assert client.post(url).status_code == 200
    own = ShareLink.objects.get(created_by=fay)
    return {
        "faq": faq,
        "editor": editor,
        "own": own,
        "others": ShareLink.objects.exclude(pk=own.pk),
    }


def test_faq_staff_see_only_the_links_they_made(links):
    response = links["faq"].get(CHANGELIST)
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [links["own"]]
    assertContains(response, "Is it safe?")
    assertNotContains(response, "Is it approved?")
    assertNotContains(response, "Draft article")
    assertContains(
        links["faq"].get(reverse("admin:exosite_sharelink_change", args=[links["own"].pk])),
        reverse("preview-share", args=[share_token(links["own"])]),
    )
    for other in links["others"]:
        url = reverse("admin:exosite_sharelink_change", args=[other.pk])
        assert links["faq"].get(url).status_code == 302  # "does not exist": back to the list


def test_faq_staff_revoke_their_own_link_and_no_one_elses(links, client):
    own = links["own"]
    everyone = [link.pk for link in ShareLink.objects.all()]
    response = links["faq"].post(
        CHANGELIST, {"action": "revoke", "_selected_action": everyone}, follow=True
    )
    assertContains(response, "1 link revoked.")
    own.refresh_from_db()
    assert own.revoked_at is not None
    assert client.get(reverse("preview-share", args=[share_token(own)])).status_code == 410
    assert not links["others"].filter(revoked_at__isnull=False).exists()


def test_editors_see_and_revoke_every_link(links):
    response = links["editor"].get(CHANGELIST)
    assert response.context["cl"].result_count == 3
    response = links["editor"].post(
        CHANGELIST,
        {"action": "revoke", "_selected_action": [link.pk for link in ShareLink.objects.all()]},
        follow=True,
    )
    assertContains(response, "3 links revoked.")
