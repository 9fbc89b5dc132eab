"""Pseuds: create, rename, delete (works move to the default), choose the default."""

from __future__ import annotations

import pytest
from django.test import Client

from ficarchive.accounts.models import Pseud, User
from ficarchive.core.models import ChangeLog
from tests.factories import PseudFactory, WorkFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def logged_in(client: Client, author: User) -> Client:
    client.force_login(author)
    return client


def test_creating_a_pseud(logged_in: Client, author: User) -> None:
    response = logged_in.post("/account/pseuds/new", {"name": "Night Owl", "description": "Hi"})
    assert response.status_code == 302
    pseud = Pseud.objects.get(user=author, name="Night Owl")
    assert not pseud.is_default
    assert "Night Owl (author)" in logged_in.get("/account/pseuds").content.decode()


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("AUTHOR", "You already have a pseud called"),
        ("<b>x</b>", "A pseud uses letters"),
        ("", "required"),
    ],
)
def test_a_refused_name_says_why(logged_in: Client, name: str, message: str) -> None:
    response = logged_in.post("/account/pseuds/new", {"name": name})
    assert message in response.content.decode()


def test_renaming_reaches_bylines_and_the_index(logged_in: Client, author: User) -> None:
    pseud = PseudFactory.create(user=author, name="Old Name")
    work = WorkFactory.create(creators=[pseud])
    logged_in.post(f"/account/pseuds/{pseud.pk}/edit", {"name": "New Name", "description": ""})
    pseud.refresh_from_db()
    assert pseud.name == "New Name"
    assert ChangeLog.objects.filter(work_id=work.pk, reason="pseud renamed").exists()
    assert "New Name (author)" in Client().get(f"/works/{work.pk}").content.decode()


def test_deleting_a_pseud_moves_its_works_to_the_default(logged_in: Client, author: User) -> None:
    pseud = PseudFactory.create(user=author, name="Leaving")
    only = WorkFactory.create(creators=[pseud])
    both = WorkFactory.create(creators=[author.default_pseud(), pseud])
    assert (
        "will move to your default pseud"
        in logged_in.get(f"/account/pseuds/{pseud.pk}/delete").content.decode()
    )
    logged_in.post(f"/account/pseuds/{pseud.pk}/delete")
    assert not Pseud.objects.filter(pk=pseud.pk).exists()
    assert [c.pseud for c in only.creatorships.all()] == [author.default_pseud()]
    assert [c.pseud for c in both.creatorships.all()] == [author.default_pseud()]
    assert ChangeLog.objects.filter(work_id=only.pk, reason="pseud deleted").exists()


def test_the_default_pseud_cannot_be_deleted(logged_in: Client, author: User) -> None:
    default = author.default_pseud()
    response = logged_in.post(f"/account/pseuds/{default.pk}/delete", follow=True)
    assert "cannot be deleted" in response.content.decode()
    assert Pseud.objects.filter(pk=default.pk).exists()


def test_choosing_another_default(logged_in: Client, author: User) -> None:
    pseud = PseudFactory.create(user=author, name="Favourite")
    logged_in.post(f"/account/pseuds/{pseud.pk}/default")
    assert author.default_pseud() == pseud
    assert Pseud.objects.filter(user=author, is_default=True).count() == 1
    # New works get it.
    page = logged_in.get("/works/new").content.decode()
    assert f'value="{pseud.pk}" id="id_pseuds_' in page and "checked" in page


def test_someone_elses_pseud_is_not_found(logged_in: Client, other_user: User) -> None:
    theirs = other_user.default_pseud()
    assert logged_in.get(f"/account/pseuds/{theirs.pk}/edit").status_code == 404
    assert logged_in.post(f"/account/pseuds/{theirs.pk}/delete").status_code == 404
    assert logged_in.post(f"/account/pseuds/{theirs.pk}/default").status_code == 404
