"""Deleting an account: its works orphaned or deleted, co-created works kept."""

from __future__ import annotations

import pytest
from django.test import Client

from ficarchive.accounts.models import Pseud, User
from ficarchive.accounts.orphans import ORPHAN_LOGIN
from ficarchive.core.models import ChangeLog
from ficarchive.works.models import Work
from tests.factories import PseudFactory, WorkFactory

pytestmark = pytest.mark.django_db

PASSWORD = "a long test passphrase"


def test_deleting_with_orphaning_keeps_the_works_under_the_orphan_account(
    client: Client, author: User
) -> None:
    work = WorkFactory.create(creators=[author.default_pseud()])
    client.force_login(author)
    page = client.get("/account/delete").content.decode()
    assert "You have 1 work" in page
    response = client.post("/account/delete", {"works": "orphan", "password": PASSWORD})
    assert response["Location"] == "/account/deleted"
    assert not User.objects.filter(username="author").exists()
    work.refresh_from_db()
    (pseud,) = [c.pseud for c in work.creatorships.all()]
    assert pseud.user.username == ORPHAN_LOGIN and pseud.name == ORPHAN_LOGIN
    assert ChangeLog.objects.filter(work_id=work.pk, reason="orphaned").exists()
    assert "/users/author/" not in Client().get(f"/works/{work.pk}").content.decode()


def test_orphaning_can_keep_the_pseud_name_without_the_link(client: Client, author: User) -> None:
    pen = PseudFactory.create(user=author, name="Quiet Pen")
    work = WorkFactory.create(creators=[pen])
    client.force_login(author)
    client.post(
        "/account/delete", {"works": "orphan", "keep_pseud_name": "on", "password": PASSWORD}
    )
    (pseud,) = [c.pseud for c in Work.objects.get(pk=work.pk).creatorships.all()]
    assert pseud.name == "Quiet Pen" and pseud.user.username == ORPHAN_LOGIN
    assert "Quiet Pen (orphan_account)" in Client().get(f"/works/{work.pk}").content.decode()


def test_deleting_with_the_works_removes_them_but_not_shared_ones(
    client: Client, author: User, other_user: User
) -> None:
    mine = WorkFactory.create(creators=[author.default_pseud()])
    shared = WorkFactory.create(creators=[author.default_pseud(), other_user.default_pseud()])
    client.force_login(author)
    client.post("/account/delete", {"works": "delete", "password": PASSWORD})
    assert not Work.objects.filter(pk=mine.pk).exists()
    assert ChangeLog.objects.filter(work_id=mine.pk, reason="deleted").exists()
    remaining = Work.objects.get(pk=shared.pk)
    assert [c.pseud.user for c in remaining.creatorships.all()] == [other_user]
    assert not Pseud.objects.filter(user__username="author").exists()


def test_the_password_is_needed(client: Client, author: User) -> None:
    client.force_login(author)
    response = client.post("/account/delete", {"works": "delete", "password": "wrong"})
    assert "That is not your password." in response.content.decode()
    assert User.objects.filter(username="author").exists()
