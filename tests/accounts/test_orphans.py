"""works_orphan: the service that account deletion (and later orphaning) uses."""

from __future__ import annotations

import pytest

from ficarchive.accounts.models import User
from ficarchive.accounts.orphans import ORPHAN_LOGIN, orphan_account
from ficarchive.core.models import ChangeLog
from ficarchive.works.models import Creatorship
from ficarchive.works.orphaning import works_orphan
from tests.factories import PseudFactory, WorkFactory

pytestmark = pytest.mark.django_db


def test_only_the_users_part_moves_and_co_creators_stay(author: User, other_user: User) -> None:
    work = WorkFactory.create(creators=[author.default_pseud(), other_user.default_pseud()])
    assert works_orphan(author, [work.pk]) == 1
    owners = [c.pseud.user.username for c in work.creatorships.all()]
    assert owners == [ORPHAN_LOGIN, "reader"]
    orphaned = ChangeLog.objects.filter(reason="orphaned")
    assert list(orphaned.values_list("work_id", flat=True)) == [work.pk]


def test_works_of_others_are_left_alone(author: User, other_user: User) -> None:
    theirs = WorkFactory.create(creators=[other_user.default_pseud()])
    assert works_orphan(author, [theirs.pk]) == 0
    assert [c.pseud.user for c in theirs.creatorships.all()] == [other_user]


def test_two_pseuds_of_one_user_on_a_work_become_one_orphan_creator(author: User) -> None:
    second = PseudFactory.create(user=author, name="Second")
    work = WorkFactory.create(creators=[author.default_pseud(), second])
    works_orphan(author, [work.pk])
    assert Creatorship.objects.filter(work=work).count() == 1


def test_pending_invitations_are_withdrawn(author: User, other_user: User) -> None:
    work = WorkFactory.create(creators=[other_user.default_pseud()])
    Creatorship.objects.create(work=work, pseud=author.default_pseud(), approved=False, position=1)
    works_orphan(author, [work.pk])
    assert [c.pseud.user for c in work.creatorships.all()] == [other_user]


def test_the_orphan_account_cannot_log_in(db: None) -> None:
    orphans = orphan_account()
    assert not orphans.has_usable_password()
    assert orphans.default_pseud().name == ORPHAN_LOGIN
    assert orphan_account() == orphans
