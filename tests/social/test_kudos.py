"""Kudos: the service's rules (once per user or guest, not on one's own work, not when blocked,
not on works the reader cannot see) and the work page's button and list."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from ficarchive.accounts.models import Block, User
from ficarchive.core.models import ChangeLog
from ficarchive.social.models import Kudo
from ficarchive.social.services import (
    ALREADY_LEFT,
    BLOCKED,
    NOT_AVAILABLE,
    OWN_WORK,
    KudosError,
    guest_ip_hash,
    kudos_give,
)
from ficarchive.works.models import Work
from tests.factories import WorkFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def work(author: User) -> Work:
    return WorkFactory.create(creators=[author.default_pseud()])


def _count(work: Work) -> int:
    work.refresh_from_db(fields=["kudos_count"])
    return work.kudos_count


def test_a_reader_leaves_kudos_once(work: Work, other_user: User) -> None:
    kudos_give(work, other_user)
    with pytest.raises(KudosError, match="already left kudos"):
        kudos_give(work, other_user)
    assert Kudo.objects.filter(work=work, user=other_user).count() == 1
    assert _count(work) == 1


def test_guests_are_told_apart_by_a_hash_of_their_address(work: Work) -> None:
    kudos_give(work, "192.0.2.1")
    kudos_give(work, "192.0.2.2")
    with pytest.raises(KudosError, match="already left kudos"):
        kudos_give(work, "192.0.2.1")
    hashes = set(Kudo.objects.filter(work=work).values_list("ip_hash", flat=True))
    assert hashes == {guest_ip_hash("192.0.2.1"), guest_ip_hash("192.0.2.2")}
    assert "192.0.2.1" not in hashes
    assert _count(work) == 2


def test_the_creator_cannot_leave_kudos_on_their_own_work(work: Work, author: User) -> None:
    with pytest.raises(KudosError) as raised:
        kudos_give(work, author)
    assert str(raised.value) == OWN_WORK
    assert _count(work) == 0


def test_a_blocked_reader_cannot_leave_kudos(work: Work, author: User, other_user: User) -> None:
    Block.objects.create(user=author, blocked=other_user)
    with pytest.raises(KudosError) as raised:
        kudos_give(work, other_user)
    assert str(raised.value) == BLOCKED
    assert not Kudo.objects.exists()


@pytest.mark.parametrize("fields", [{"posted": False}, {"hidden_by_admin": True}])
def test_no_kudos_on_drafts_or_hidden_works(
    author: User, other_user: User, admin: User, fields: dict[str, Any]
) -> None:
    work = WorkFactory.create(creators=[author.default_pseud()], **fields)
    for giver in (other_user, admin, "192.0.2.1"):
        with pytest.raises(KudosError) as raised:
            kudos_give(work, giver)
        assert str(raised.value) == NOT_AVAILABLE
    assert _count(work) == 0


def test_guests_cannot_leave_kudos_on_restricted_works(author: User, other_user: User) -> None:
    work = WorkFactory.create(creators=[author.default_pseud()], restricted=True)
    with pytest.raises(KudosError):
        kudos_give(work, "192.0.2.1")
    kudos_give(work, other_user)
    assert _count(work) == 1


def test_kudos_reach_the_search_index_with_the_counters(
    work: Work, other_user: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("ficarchive.core.changes.COUNTER_FLUSH_SECONDS", 0.0)
    ChangeLog.objects.all().delete()
    kudos_give(work, other_user)
    assert ChangeLog.objects.filter(work_id=work.pk, reason="counters").exists()


# The views.


def test_a_reader_leaves_kudos_from_the_work_page(
    client: Client, work: Work, other_user: User
) -> None:
    client.force_login(other_user)
    page = client.get(reverse("works:work_detail", args=[work.pk])).content.decode()
    assert "Kudos ♥" in page
    response = client.post(reverse("social:kudos", args=[work.pk]), follow=True)
    text = response.content.decode()
    assert "Thank you for leaving kudos!" in text
    assert 'href="/users/reader/works">reader</a> left kudos on this work!' in text
    assert _count(work) == 1
    again = client.post(reverse("social:kudos", args=[work.pk]), follow=True)
    assert ALREADY_LEFT in again.content.decode()
    assert _count(work) == 1


def test_htmx_gets_the_kudos_section_alone(client: Client, work: Work, other_user: User) -> None:
    client.force_login(other_user)
    response = client.post(reverse("social:kudos", args=[work.pk]), headers={"HX-Request": "true"})
    text = response.content.decode()
    assert response.status_code == 200
    assert text.lstrip().startswith('<div id="kudos"')
    assert '<span class="kudos-total">1</span>' in text
    assert "Thank you for leaving kudos!" in text


def test_guests_leave_kudos_without_a_csrf_token(work: Work) -> None:
    guest = Client(enforce_csrf_checks=True, REMOTE_ADDR="198.51.100.7")
    guest.post(reverse("social:kudos", args=[work.pk]))
    guest.post(reverse("social:kudos", args=[work.pk]))
    assert _count(work) == 1
    page = guest.get(reverse("works:work_detail", args=[work.pk])).content.decode()
    assert "1 guest left kudos on this work!" in page


def test_logged_in_kudos_need_the_csrf_token(work: Work, other_user: User) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(other_user)
    response = client.post(reverse("social:kudos", args=[work.pk]))
    assert response.status_code == 403
    assert _count(work) == 0


def test_the_list_names_users_and_counts_guests(work: Work, other_user: User, admin: User) -> None:
    kudos_give(work, other_user)
    kudos_give(work, admin)
    kudos_give(work, "192.0.2.1")
    kudos_give(work, "192.0.2.2")
    page = Client().get(reverse("works:work_detail", args=[work.pk])).content.decode()
    assert (
        '<a href="/users/admin/works">admin</a>, <a href="/users/reader/works">reader</a> and '
        "2 guests left kudos on this work!"
    ) in page


def test_the_creator_and_a_blocked_reader_see_no_button(
    client: Client, work: Work, author: User, other_user: User
) -> None:
    client.force_login(author)
    assert (
        "Kudos ♥" not in client.get(reverse("works:work_detail", args=[work.pk])).content.decode()
    )
    Block.objects.create(user=author, blocked=other_user)
    client.force_login(other_user)
    assert (
        "Kudos ♥" not in client.get(reverse("works:work_detail", args=[work.pk])).content.decode()
    )
    response = client.post(reverse("social:kudos", args=[work.pk]), follow=True)
    assert response.status_code == 200
    assert escape(BLOCKED) in response.content.decode()
    assert _count(work) == 0


def test_kudos_on_a_work_the_reader_cannot_see_is_not_found(
    client: Client, author: User, other_user: User
) -> None:
    draft = WorkFactory.create(creators=[author.default_pseud()], posted=False)
    client.force_login(other_user)
    assert client.post(reverse("social:kudos", args=[draft.pk])).status_code == 404
    assert client.get(reverse("social:kudos", args=[draft.pk])).status_code == 405
