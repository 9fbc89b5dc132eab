"""Hits: one per visitor, work and day, never for the work's own creators."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.test import Client

from ficarchive.accounts.models import User
from ficarchive.works.models import Work
from ficarchive.works.services import work_hit
from tests.factories import WorkFactory
from tests.works.builders import chapter, chaptered_work

pytestmark = pytest.mark.django_db

NOON = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def hits(work: Work) -> int:
    return Work.objects.get(pk=work.pk).hits


def test_a_guest_counts_once_a_day_however_often_they_read(guest: Any) -> None:
    work = WorkFactory.create()
    assert work_hit(work, guest, "192.0.2.1", NOON)
    assert not work_hit(work, guest, "192.0.2.1", NOON + timedelta(hours=5))
    assert hits(work) == 1


def test_the_next_day_counts_again(guest: Any) -> None:
    work = WorkFactory.create()
    work_hit(work, guest, "192.0.2.1", NOON)
    assert work_hit(work, guest, "192.0.2.1", NOON + timedelta(days=1))
    assert hits(work) == 2


def test_another_address_is_another_visitor(guest: Any) -> None:
    work = WorkFactory.create()
    work_hit(work, guest, "192.0.2.1", NOON)
    assert work_hit(work, guest, "192.0.2.2", NOON)
    assert hits(work) == 2


def test_a_logged_in_reader_counts_once_whatever_their_address(other_user: User) -> None:
    work = WorkFactory.create()
    assert work_hit(work, other_user, "192.0.2.1", NOON)
    assert not work_hit(work, other_user, "198.51.100.7", NOON)
    assert hits(work) == 1


def test_a_visitor_counts_once_per_work(guest: Any) -> None:
    first, second = WorkFactory.create(), WorkFactory.create()
    work_hit(first, guest, "192.0.2.1", NOON)
    assert work_hit(second, guest, "192.0.2.1", NOON)
    assert (hits(first), hits(second)) == (1, 1)


def test_creators_never_count_on_their_own_work(author: User) -> None:
    work = WorkFactory.create(creators=[author.default_pseud()])
    assert not work_hit(work, author, "192.0.2.1", NOON)
    assert hits(work) == 0


def test_drafts_and_hidden_works_count_no_hits(admin: User) -> None:
    for work in (WorkFactory.create(posted=False), WorkFactory.create(hidden_by_admin=True)):
        assert not work_hit(work, admin, "192.0.2.1", NOON)
        assert hits(work) == 0


def test_reading_every_chapter_of_a_work_counts_one_hit(client: Client) -> None:
    work = chaptered_work(3)
    client.get(f"/works/{work.pk}")
    for position in (2, 3):
        client.get(f"/works/{work.pk}/chapters/{chapter(work, position).pk}")
    client.get(f"/works/{work.pk}?view_full_work=true")
    assert hits(work) == 1


def test_a_creator_reading_their_work_adds_no_hit(client: Client, author: User) -> None:
    work = WorkFactory.create(creators=[author.default_pseud()])
    client.force_login(author)
    client.get(f"/works/{work.pk}")
    assert hits(work) == 0


def test_the_cache_never_holds_a_reader_address(guest: Any) -> None:
    from ficarchive.works.services import hit_visitor

    assert "192.0.2.1" not in hit_visitor(guest, "192.0.2.1")
    assert hit_visitor(guest, "192.0.2.1") != hit_visitor(guest, "192.0.2.2")
