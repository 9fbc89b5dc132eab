"""Co-creators: invited through the form, shown once they accept."""

from __future__ import annotations

import pytest
from django.test import Client

from ficarchive.accounts.models import User
from ficarchive.core.models import ChangeLog
from ficarchive.works.models import Work
from tests.factories import PseudFactory
from tests.works.posting_data import post_work, work_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def writer(client: Client, author: User) -> User:
    client.force_login(author)
    return author


@pytest.fixture
def partner(other_user: User) -> Client:
    client = Client()
    client.force_login(other_user)
    return client


def test_an_invited_co_creator_shows_only_after_accepting(
    client: Client, writer: User, other_user: User, partner: Client
) -> None:
    PseudFactory.create(user=other_user, name="Ink Well")
    work = post_work(client, writer, cocreators="Ink Well (reader)")
    page = Client().get(f"/works/{work.pk}").content.decode()
    assert "Ink Well" not in page
    assert partner.get(f"/works/{work.pk}/edit").status_code == 404
    invitations = partner.get("/account/works").content.decode()
    assert "Harbour Lights" in invitations and "Accept" in invitations
    partner.post(f"/works/{work.pk}/cocreator", {"answer": "accept"})
    # (Guests may see a page cached for up to a minute; the creator sees it fresh.)
    assert "Ink Well (reader)" in client.get(f"/works/{work.pk}").content.decode()
    assert ChangeLog.objects.filter(work_id=work.pk, reason="co-creator accepted").exists()
    assert partner.get(f"/works/{work.pk}/edit").status_code == 200


def test_declining_removes_the_invitation(client: Client, writer: User, partner: Client) -> None:
    work = post_work(client, writer, cocreators="reader")
    partner.post(f"/works/{work.pk}/cocreator", {"answer": "decline"})
    assert [c.pseud.user.username for c in work.creatorships.all()] == ["author"]
    assert partner.post(f"/works/{work.pk}/cocreator", {"answer": "accept"}).status_code == 404


def test_an_accepted_co_creator_stays_when_the_other_edits(
    client: Client, writer: User, partner: Client
) -> None:
    work = post_work(client, writer, cocreators="reader")
    partner.post(f"/works/{work.pk}/cocreator", {"answer": "accept"})
    client.post(f"/works/{work.pk}/edit", work_data(writer, title="Renamed", action="update"))
    work = Work.objects.get(pk=work.pk)
    assert work.title == "Renamed"
    assert sorted(c.pseud.user.username for c in work.creatorships.all()) == ["author", "reader"]


def test_a_co_creator_can_leave_but_not_the_only_creator(
    client: Client, writer: User, partner: Client
) -> None:
    work = post_work(client, writer, cocreators="reader")
    client.post(f"/works/{work.pk}/leave")
    assert work.creatorships.filter(pseud__user=writer).exists()
    partner.post(f"/works/{work.pk}/cocreator", {"answer": "accept"})
    partner.post(f"/works/{work.pk}/leave")
    assert [c.pseud.user.username for c in work.creatorships.all()] == ["author"]


def test_own_pseuds_are_not_invited(client: Client, writer: User) -> None:
    response = client.post("/works/new", work_data(writer, cocreators="author"))
    assert "is one of your own pseuds" in response.content.decode()
