"""Muting users and tags and default filters through the pages: every listing hides what the
reader muted, says how many works it hid, and shows them once on request."""

from __future__ import annotations

import pytest
from django.test import Client

from ficarchive.accounts.models import MUTED_TAGS_MAX, Mute, MutedTag, User
from ficarchive.tags.models import Tag, TagType
from ficarchive.works.templatetags.reading import tag_works_url
from tests.factories import UserFactory
from tests.tags.conftest import MakeTag, MakeWork, make_tag, make_work

pytestmark = pytest.mark.django_db
__all__ = ["make_tag", "make_work"]


@pytest.fixture
def fandom(make_tag: MakeTag) -> Tag:
    return make_tag("Muting Fandom", type=TagType.FANDOM, canonical=True)


@pytest.fixture
def someone(make_work: MakeWork, fandom: Tag) -> User:
    user = UserFactory.create(username="someone")
    make_work(fandom, title="Loud Work", creators=[user.default_pseud()])
    make_work(fandom, title="Quiet Work")
    return user


@pytest.fixture
def reader(client: Client, other_user: User) -> Client:
    client.force_login(other_user)
    return client


def test_muting_a_user_from_their_page_hides_their_works_everywhere(
    reader: Client, someone: User, other_user: User, fandom: Tag
) -> None:
    page = reader.get("/users/someone/works").content.decode()
    assert "Mute someone" in page
    response = reader.post("/users/someone/mute", {"next": "/users/someone/works"})
    assert response.status_code == 302
    assert Mute.objects.filter(user=other_user, muted=someone).exists()
    for url in ("/", tag_works_url(fandom.name), "/works/search?q=work"):
        html = reader.get(url).content.decode()
        assert "Loud Work" not in html, url
        assert "Quiet Work" in html, url
        assert "hid 1 work here" in html, url
        assert "1 – 1 of 1 work" in html, url
    # Their own page still lists them, with the button to unmute.
    own = reader.get("/users/someone/works").content.decode()
    assert "Loud Work" in own
    assert "Unmute someone" in own


def test_show_them_this_once_and_then_hide_again(
    reader: Client, someone: User, other_user: User
) -> None:
    Mute.objects.create(user=other_user, muted=someone)
    html = reader.get("/").content.decode()
    assert "Show it this once" in html
    shown = reader.get("/?show_hidden=1").content.decode()
    assert "Loud Work" in shown
    assert "Hide them again" in shown
    # Only this once: the next page load hides them again.
    assert "Loud Work" not in reader.get("/").content.decode()


def test_unmuting_brings_works_back(reader: Client, someone: User, other_user: User) -> None:
    Mute.objects.create(user=other_user, muted=someone)
    page = reader.get("/account/muted").content.decode()
    assert "someone" in page
    reader.post("/users/someone/mute", {"action": "unmute"})
    assert not Mute.objects.filter(user=other_user).exists()
    assert "Loud Work" in reader.get("/").content.decode()


def test_nobody_mutes_themselves(reader: Client, other_user: User) -> None:
    response = reader.post("/users/reader/mute", follow=True)
    assert "mute yourself" in response.content.decode()
    assert not Mute.objects.exists()


def test_guests_are_sent_to_log_in(client: Client, someone: User) -> None:
    response = client.post("/users/someone/mute")
    assert response.status_code == 302
    assert "/login" in response["Location"]
    assert "Mute someone" not in client.get("/users/someone/works").content.decode()


def test_muting_a_tag_from_its_page_and_from_the_filters_page(
    reader: Client, make_tag: MakeTag, make_work: MakeWork, fandom: Tag, other_user: User
) -> None:
    angst = make_tag("Angst", canonical=True)
    make_work(fandom, angst, title="Sad Work")
    make_work(fandom, title="Happy Work")
    url = tag_works_url(angst.name)
    reader.post(f"/tags/{angst.pk}/mute", {"next": url})
    assert MutedTag.objects.filter(user=other_user, tag=angst).exists()
    # Its own page still lists it, saying why.
    assert "Sad Work" in reader.get(url).content.decode()
    assert "Unmute this tag" in reader.get(url).content.decode()
    assert "Sad Work" not in reader.get("/").content.decode()
    page = reader.get("/account/filters").content.decode()
    assert "Angst" in page
    reader.post(f"/tags/{angst.pk}/mute", {"action": "unmute"})
    assert "Sad Work" in reader.get("/").content.decode()
    response = reader.post("/account/filters", {"mute_tag": "1", "tag": "  angst "})
    assert response.status_code == 302
    assert MutedTag.objects.filter(user=other_user, tag=angst).exists()


def test_muting_an_unknown_tag_says_so(reader: Client) -> None:
    response = reader.post("/account/filters", {"mute_tag": "1", "tag": "no such tag"})
    assert response.status_code == 200
    assert "There is no tag named" in response.content.decode()


def test_muted_tags_have_a_limit(reader: Client, make_tag: MakeTag, other_user: User) -> None:
    tags = Tag.objects.bulk_create(
        Tag(name=f"tag {number}", key=f"tag {number}", type=TagType.FREEFORM)
        for number in range(MUTED_TAGS_MAX)
    )
    MutedTag.objects.bulk_create(MutedTag(user=other_user, tag=tag) for tag in tags)
    one_more = make_tag("one more")
    response = reader.post("/account/filters", {"mute_tag": "1", "tag": one_more.name})
    assert f"at most {MUTED_TAGS_MAX} tags" in response.content.decode()
    assert MutedTag.objects.filter(user=other_user).count() == MUTED_TAGS_MAX


def test_default_filters_are_saved_and_a_listing_can_ask_otherwise(
    reader: Client, make_work: MakeWork, fandom: Tag, other_user: User
) -> None:
    make_work(fandom, title="Finished Work")
    make_work(fandom, title="Unfinished Work", complete=False)
    response = reader.post("/account/filters", {"save_defaults": "1", "default_complete": "on"})
    assert response.status_code == 302
    assert other_user.preferences().default_complete
    html = reader.get("/").content.decode()
    assert "Unfinished Work" not in html
    assert "hid 1 work here" in html
    assert "Unfinished Work" in reader.get("/works/search?complete=F").content.decode()


def test_bad_mute_requests_are_not_errors(reader: Client) -> None:
    assert reader.post("/users/nobody/mute").status_code == 404
    assert reader.post("/tags/999999/mute", follow=True).status_code == 200
    assert reader.get("/users/someone/mute").status_code == 405
    assert reader.post("/users/someone/mute", {"next": "https://evil.example/"}).status_code in (
        302,
        404,
    )
