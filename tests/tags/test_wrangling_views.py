"""The wrangling pages: who may use them, the fandom bins, and the tag edit page."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.urls import reverse

from ficarchive.accounts.models import User
from ficarchive.tags.models import FilterTagging, MetaTagging, ParentTagging, Tag, TagType
from tests.tags.conftest import MakeTag, MakeWork


@pytest.fixture
def merlin(make_tag: MakeTag) -> Tag:
    return make_tag("Merlin", TagType.FANDOM, canonical=True)


def _as(client: Client, user: User | AnonymousUser) -> Client:
    if user.is_authenticated:
        client.force_login(user)
    return client


@pytest.mark.parametrize("who", ["guest", "other_user", "author"])
def test_only_wranglers_and_admins_open_the_wrangling_pages(
    client: Client, merlin: Tag, who: str, request: pytest.FixtureRequest
) -> None:
    user = request.getfixturevalue(who)
    _as(client, user)
    for url in (
        reverse("tags:wrangle_home"),
        reverse("tags:unwrangled_fandoms"),
        reverse("tags:fandom_bin", args=[merlin.pk]),
        reverse("tags:tag_edit", args=[merlin.pk]),
    ):
        assert client.get(url).status_code == 403
        assert client.post(url, {"action": "make_noncanonical"}).status_code == 403
    assert Tag.objects.get(pk=merlin.pk).canonical


@pytest.mark.parametrize("who", ["wrangler", "admin"])
def test_wranglers_and_admins_open_the_wrangling_pages(
    client: Client, merlin: Tag, who: str, request: pytest.FixtureRequest
) -> None:
    _as(client, request.getfixturevalue(who))
    home = client.get(reverse("tags:wrangle_home"), {"q": "merl"})
    assert home.status_code == 200
    assert "Merlin" in home.content.decode()
    assert client.get(reverse("tags:unwrangled_fandoms")).status_code == 200
    assert client.get(reverse("tags:fandom_bin", args=[merlin.pk])).status_code == 200
    assert client.get(reverse("tags:tag_edit", args=[merlin.pk])).status_code == 200


def test_a_bin_lists_unwrangled_tags_by_type_with_usage_counts(
    client: Client, wrangler: User, merlin: Tag, make_tag: MakeTag, make_work: MakeWork
) -> None:
    reveal = make_tag("magic reveal")
    make_work(merlin, make_tag("gwen", TagType.CHARACTER), reveal)
    make_work(merlin, reveal)
    _as(client, wrangler)
    url = reverse("tags:fandom_bin", args=[merlin.pk])
    characters = client.get(url).content.decode()
    assert "gwen" in characters and "magic reveal" not in characters
    freeforms = client.get(url, {"type": "freeform"})
    assert [(tag.name, tag.uses) for tag in freeforms.context["page"]] == [("magic reveal", 2)]


def test_ticked_tags_become_synonyms_of_a_chosen_canonical(
    client: Client, wrangler: User, merlin: Tag, make_tag: MakeTag, make_work: MakeWork
) -> None:
    gwen = make_tag("Gwen", TagType.CHARACTER, canonical=True)
    variants = [make_tag(name, TagType.CHARACTER) for name in ("gwen!", "Guinevere")]
    work = make_work(merlin, *variants)
    _as(client, wrangler)
    url = reverse("tags:fandom_bin", args=[merlin.pk])
    response = client.post(
        url, {"tags": [tag.pk for tag in variants], "action": "synonym", "canonical": "gwen"}
    )
    assert response.status_code == 302
    assert set(gwen.synonyms.all()) == set(variants)
    assert FilterTagging.objects.filter(work=work, filter=gwen).exists()
    assert "Wrangled 2 tags." in client.get(response["Location"]).content.decode()


def test_ticked_tags_become_canonical_in_the_fandom_or_its_children(
    client: Client, wrangler: User, merlin: Tag, make_tag: MakeTag, make_work: MakeWork
) -> None:
    gwen, arthur = make_tag("Gwen", TagType.CHARACTER), make_tag("Arthur", TagType.CHARACTER)
    make_work(merlin, gwen, arthur)
    _as(client, wrangler)
    url = reverse("tags:fandom_bin", args=[merlin.pk])
    client.post(url, {"tags": [gwen.pk], "action": "canonical"})
    client.post(url, {"tags": [arthur.pk], "action": "parent"})
    gwen.refresh_from_db()
    arthur.refresh_from_db()
    assert gwen.canonical and not arthur.canonical
    assert set(ParentTagging.objects.values_list("parent", "child")) == {
        (merlin.pk, gwen.pk),
        (merlin.pk, arthur.pk),
    }


def test_a_refused_bin_action_says_why(
    client: Client, wrangler: User, merlin: Tag, make_tag: MakeTag
) -> None:
    tag = make_tag("gwen", TagType.CHARACTER)
    _as(client, wrangler)
    url = reverse("tags:fandom_bin", args=[merlin.pk])
    page = client.post(url, {"tags": [tag.pk], "action": "synonym"}, follow=True)
    assert "Name the canonical tag" in page.content.decode()
    page = client.post(
        url, {"tags": [tag.pk], "action": "synonym", "canonical": "nope"}, follow=True
    )
    assert "There is no tag called" in page.content.decode()
    page = client.post(
        url, {"tags": [tag.pk], "action": "synonym", "canonical": "Merlin"}, follow=True
    )
    assert "Synonyms must belong to the same category" in page.content.decode()


def test_the_edit_page_wrangles_one_tag_and_shows_its_history(
    client: Client, wrangler: User, merlin: Tag, make_tag: MakeTag, make_work: MakeWork
) -> None:
    au = make_tag("Alternate Universe", canonical=True)
    coffee = make_tag("Coffee Shop AU")
    make_work(coffee)
    _as(client, wrangler)
    url = reverse("tags:tag_edit", args=[coffee.pk])
    client.post(url, {"action": "make_canonical"})
    client.post(url, {"action": "add_meta", "name": "alternate universe"})
    client.post(url, {"action": "add_parent", "name": "Merlin"})
    assert MetaTagging.objects.filter(meta_tag=au, sub_tag=coffee, direct=True).exists()
    assert ParentTagging.objects.filter(parent=merlin, child=coffee).exists()
    page = client.get(url)
    text = page.content.decode()
    assert page.context["works_count"] == 1
    for line in ("Made canonical.", "Added meta tag &#x27;Alternate Universe&#x27;.", "wrangler"):
        assert line in text
    au_page = client.get(reverse("tags:tag_edit", args=[au.pk]))
    assert au_page.context["works_count"] == 1


def test_the_edit_page_shows_a_refusal_and_changes_nothing(
    client: Client, wrangler: User, make_tag: MakeTag
) -> None:
    top, sub = make_tag("A", canonical=True), make_tag("B", canonical=True)
    _as(client, wrangler)
    client.post(reverse("tags:tag_edit", args=[sub.pk]), {"action": "add_meta", "name": "A"})
    page = client.post(
        reverse("tags:tag_edit", args=[top.pk]), {"action": "add_meta", "name": "B"}, follow=True
    )
    assert "would make a cycle" in page.content.decode()
    assert MetaTagging.objects.count() == 1
    page = client.post(reverse("tags:tag_edit", args=[top.pk]), {"action": "nonsense"}, follow=True)
    assert "Unknown action." in page.content.decode()


def test_bad_ids_are_not_found(client: Client, wrangler: User) -> None:
    _as(client, wrangler)
    assert client.get("/tags/99999999999999999/edit").status_code == 404
    assert client.get("/tags/999999999999999999999999/edit").status_code == 404
    assert client.get("/tags/1/wrangle").status_code == 404  # a rating, not a fandom


def test_a_migration_makes_the_wranglers_group_with_its_permission(db: None) -> None:
    from django.contrib.auth.models import Group

    group = Group.objects.get(name="wranglers")
    assert group.permissions.filter(codename="wrangle_tag").exists()
    user = User.objects.create(username="newwrangler")
    user.groups.add(group)
    assert User.objects.get(pk=user.pk).has_perm("tags.wrangle_tag")
