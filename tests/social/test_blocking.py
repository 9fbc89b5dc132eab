"""Blocking: the one rule (Work.accepts_interaction_from), the services and their limits, and
the Block/Unblock buttons, confirmation and list."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from ficarchive.accounts.models import Block, User
from ficarchive.social.blocking import BlockError, user_block, user_unblock
from tests.factories import PseudFactory, WorkFactory

pytestmark = pytest.mark.django_db


def test_a_work_refuses_interaction_from_a_user_any_creator_blocked(
    author: User, other_user: User, wrangler: User, guest: object
) -> None:
    cocreator_pseud = wrangler.default_pseud()
    work = WorkFactory.create(creators=[author.default_pseud(), cocreator_pseud])
    assert work.accepts_interaction_from(other_user)
    user_block(wrangler, other_user)
    assert not work.accepts_interaction_from(other_user)
    assert work.accepts_interaction_from(author)
    assert work.accepts_interaction_from(guest)


def test_a_block_by_an_invited_co_creator_who_never_accepted_does_not_count(
    author: User, other_user: User, wrangler: User
) -> None:
    work = WorkFactory.create(creators=[author.default_pseud()])
    work.creatorships.create(pseud=wrangler.default_pseud(), position=1, approved=False)
    user_block(wrangler, other_user)
    assert work.accepts_interaction_from(other_user)


def test_a_block_covers_every_pseud_of_the_blocker(author: User, other_user: User) -> None:
    work = WorkFactory.create(creators=[PseudFactory.create(user=author, name="Second Name")])
    user_block(author, other_user)
    assert not work.accepts_interaction_from(other_user)


def test_nobody_blocks_themselves_or_twice(author: User, other_user: User) -> None:
    with pytest.raises(BlockError, match="can't block yourself"):
        user_block(author, author)
    user_block(author, other_user)
    with pytest.raises(BlockError, match="already blocked reader"):
        user_block(author, other_user)
    assert Block.objects.filter(user=author).count() == 1


def test_blocks_stop_at_the_limit(
    author: User, other_user: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("ficarchive.social.blocking.BLOCKED_USERS_MAX", 1)
    user_block(author, other_user)
    third = User.objects.create(username="third")
    with pytest.raises(BlockError, match="at most 1 users"):
        user_block(author, third)
    assert user_unblock(author, other_user)
    user_block(author, third)


def test_unblocking_lets_the_user_interact_again(author: User, other_user: User) -> None:
    work = WorkFactory.create(creators=[author.default_pseud()])
    user_block(author, other_user)
    assert user_unblock(author, other_user)
    assert not user_unblock(author, other_user)
    assert work.accepts_interaction_from(other_user)


# The views.


def test_block_asks_for_confirmation_then_blocks(
    client: Client, author: User, other_user: User
) -> None:
    client.force_login(author)
    creator_page = client.get(reverse("accounts:user_works", args=["reader"])).content.decode()
    assert 'href="/users/reader/block">Block</a>' in creator_page
    confirm = client.get(reverse("social:block", args=["reader"]))
    assert "can no longer" in confirm.content.decode()
    assert not Block.objects.exists()
    response = client.post(reverse("social:block", args=["reader"]), follow=True)
    assert "You have blocked reader" in response.content.decode()
    assert Block.objects.filter(user=author, blocked=other_user).exists()
    assert ">Unblock</button>" in response.content.decode()


def test_no_block_button_on_ones_own_page_or_for_guests(client: Client, author: User) -> None:
    assert ">Block</a>" not in client.get("/users/author/works").content.decode()
    client.force_login(author)
    assert ">Block</a>" not in client.get("/users/author/works").content.decode()
    response = client.post(reverse("social:block", args=["author"]), follow=True)
    assert "can&#x27;t block yourself" in response.content.decode()


def test_guests_are_sent_to_log_in(client: Client, other_user: User) -> None:
    response = client.post(reverse("social:block", args=["reader"]))
    assert response.status_code == 302
    assert response["Location"].startswith("/login")
    assert not Block.objects.exists()


def test_the_blocked_list_unblocks(client: Client, author: User, other_user: User) -> None:
    user_block(author, other_user)
    client.force_login(author)
    page = client.get(reverse("social:blocked")).content.decode()
    assert 'href="/users/reader/works">reader</a>' in page
    response = client.post(
        reverse("social:unblock", args=["reader"]), {"back": "blocked"}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("social:blocked")
    assert "You have unblocked reader" in response.content.decode()
    assert "You have not blocked anyone." in response.content.decode()
    assert not Block.objects.exists()


def test_blocking_an_unknown_user_is_not_found(client: Client, author: User) -> None:
    client.force_login(author)
    assert client.get(reverse("social:block", args=["nobody_here"])).status_code == 404
