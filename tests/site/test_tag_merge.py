"""Merging tags in the admin asks which tag to keep; the merged tags' addresses then lead
to the kept tag's page for good (exosite.kernel.tags, TagRedirect)."""

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects
from taggit.models import Tag, TaggedItem

from exosite.kernel.tags import merge
from exosite.models import Status, TagRedirect

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:taggit_tag_changelist")


def merge_action(client, tags, **confirm):
    data = {"action": "merge_tags", "_selected_action": [tag.pk for tag in tags], **confirm}
    return client.post(CHANGELIST, data)


def tag(name):
    return Tag.objects.get(name=name)


def staff(name, group):
    user = User.objects.create_user(name, password="a-long-passphrase", is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def vesicle_tags(make_article, make_term, make_question):
    """ "Extracellular vesicles" on three items, "EVs" on two (one shared), "vesicles" on one."""
    make_article(tags=["Extracellular vesicles", "EVs"])
    make_term(tags=["Extracellular vesicles"])
    make_question(tags=["Extracellular vesicles"])
    make_article(tags=["EVs"])
    make_term(tags=["vesicles"])
    return [tag("EVs"), tag("Extracellular vesicles"), tag("vesicles")]


def test_merging_first_asks_which_tag_to_keep(admin_client, vesicle_tags):
    response = merge_action(admin_client, vesicle_tags)
    assert response.status_code == 200
    assertContains(response, "Keep which tag?")
    assertContains(response, "csrfmiddlewaretoken")
    listed = {
        t.name: (t.items, str(t.pk) == str(response.context["keep"]))
        for t in response.context["tags"]
    }
    # Each with its number of items; the most used is chosen unless the editor says.
    assert listed == {
        "Extracellular vesicles": (3, True),
        "EVs": (2, False),
        "vesicles": (1, False),
    }
    assertContains(
        response,
        f'<input type="radio" name="keep" value="{tag("Extracellular vesicles").pk}" '
        "required checked>",
        html=True,
    )
    assertContains(response, "(/tags/evs/): 2 items")
    assertContains(response, "(/tags/vesicles/): 1 item</label>")
    assert Tag.objects.count() == 3  # nothing merged yet
    assert TagRedirect.objects.count() == 0


def test_confirming_keeps_the_chosen_tag(admin_client, vesicle_tags):
    evs = tag("EVs")
    response = merge_action(admin_client, vesicle_tags, post="yes", keep=evs.pk)
    assertRedirects(response, CHANGELIST, fetch_redirect_response=False)
    assert list(Tag.objects.values_list("name", flat=True)) == ["EVs"]
    assert TaggedItem.objects.filter(tag=evs).count() == 5
    message = str(list(response.wsgi_request._messages)[0])
    assert message.startswith("Merged “Extracellular vesicles”, “vesicles” into “EVs” (4 items")
    assert {(r.old_slug, r.tag_id) for r in TagRedirect.objects.all()} == {
        ("extracellular-vesicles", evs.pk),
        ("vesicles", evs.pk),
    }


def test_confirming_without_a_choice_among_the_tags_asks_again(admin_client, vesicle_tags):
    stranger = Tag.objects.create(name="Unselected")
    response = merge_action(admin_client, vesicle_tags, post="yes", keep=stranger.pk)
    assert response.status_code == 200
    assertContains(response, "Choose the tag to keep.")
    assert Tag.objects.count() == 4


def test_one_tag_is_not_a_merge(admin_client, vesicle_tags):
    response = merge_action(admin_client, vesicle_tags[:1], post="yes", keep=vesicle_tags[0].pk)
    assert response.status_code == 302
    assert Tag.objects.count() == 3


def test_only_staff_who_may_change_tags_can_merge(client, vesicle_tags):
    client.force_login(staff("fay", "FAQ staff"))  # may view tags, not change them
    listing = client.get(CHANGELIST)
    assert listing.status_code == 200
    assertNotContains(listing, "Merge selected tags")
    for confirm in ({}, {"post": "yes", "keep": vesicle_tags[1].pk}):
        response = merge_action(client, vesicle_tags, **confirm)
        assert response.status_code in (200, 302)
        assertNotContains(response, "Keep which tag?", status_code=response.status_code)
    assert Tag.objects.count() == 3
    client.force_login(staff("eddie", "Editors"))
    assertContains(merge_action(client, vesicle_tags), "Keep which tag?")


def test_the_confirmation_needs_the_csrf_token(vesicle_tags):
    client = Client(enforce_csrf_checks=True)
    client.force_login(User.objects.create_superuser("admin", "admin@example.org", "pw"))
    response = merge_action(client, vesicle_tags, post="yes", keep=vesicle_tags[0].pk)
    assert response.status_code == 403
    assert Tag.objects.count() == 3


def test_a_merged_tags_address_leads_to_the_kept_tag(client, admin_client, vesicle_tags):
    evs = tag("EVs")
    merge_action(admin_client, vesicle_tags, post="yes", keep=evs.pk)
    for old in ("extracellular-vesicles", "vesicles"):
        response = client.get(reverse("tag-detail", args=[old]))
        assert response.status_code == 301
        assert response["Location"] == reverse("tag-detail", args=["evs"])
    assertContains(client.get(reverse("tag-detail", args=["evs"])), "EVs")
    assert client.get(reverse("tag-detail", args=["never-a-tag"])).status_code == 404


def test_redirects_collapse_when_the_kept_tag_is_merged_again(client, make_article):
    make_article(tags=["a", "b", "c"])
    make_article(tags=["b", "c"])
    make_article(tags=["c"])
    merge([tag("a"), tag("b")], keep=tag("b"))
    merge([tag("b"), tag("c")], keep=tag("c"))
    c = tag("c")
    assert {(r.old_slug, r.tag_id) for r in TagRedirect.objects.all()} == {
        ("a", c.pk),
        ("b", c.pk),
    }
    for old in ("a", "b"):  # one hop each, straight to the tag that is left
        response = client.get(reverse("tag-detail", args=[old]))
        assert (response.status_code, response["Location"]) == (301, "/tags/c/")


def test_a_redirect_never_shadows_a_tag(client, make_article, vesicle_tags):
    merge(vesicle_tags, keep=tag("Extracellular vesicles"))
    assert TagRedirect.objects.filter(old_slug="evs").exists()
    # "EVs" comes back as a tag of its own: its address is its own again.
    make_article(title="Back again", tags=["EVs"])
    assert tag("EVs").slug == "evs"
    assert not TagRedirect.objects.filter(old_slug="evs").exists()
    assertContains(client.get(reverse("tag-detail", args=["evs"])), "Back again")
    # A tag that no published item carries has no page, and is not redirected either.
    Tag.objects.create(name="vesicles", slug="vesicles")
    assert client.get(reverse("tag-detail", args=["vesicles"])).status_code == 404


def test_a_kept_tag_without_a_page_is_not_revealed(client, make_article):
    make_article(tags=["Hidden", "Secret"], status=Status.DRAFT)
    merge([tag("Hidden"), tag("Secret")], keep=tag("Secret"))
    assert TagRedirect.objects.filter(old_slug="hidden").exists()
    response = client.get(reverse("tag-detail", args=["hidden"]))
    assert response.status_code == 404
    assertNotContains(response, "secret", status_code=404)


def test_a_twin_merged_on_tagging_is_redirected_too(make_article):
    make_article(tags=["Réponse"])
    make_article(tags=["REPONSE"])  # a twin: created, then merged into "Réponse"
    kept = tag("Réponse")
    assert Tag.objects.count() == 1
    twins = list(TagRedirect.objects.values_list("old_slug", "tag_id"))
    assert [tag_id for _, tag_id in twins] == [kept.pk]
    assert twins[0][0] != kept.slug


def test_a_cached_tag_page_gives_way_to_the_redirect(client, settings, vesicle_tags):
    settings.EXOSITE_PAGE_CACHE = True
    url = reverse("tag-detail", args=["vesicles"])
    assert client.get(url).status_code == 200
    assert client.get(url)["X-Cache"] == "hit"
    merge(vesicle_tags)
    response = client.get(url)
    assert (response.status_code, response["Location"]) == (301, "/tags/extracellular-vesicles/")
