"""Reading history and Marked for Later: one upsert a visit, "continue reading" on the work
page and the history page, the preference that turns it off, clearing, and Marked for Later
cleared when read unless the reader keeps it."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from ficarchive.accounts.models import Preference, User
from ficarchive.works.models import Reading, Work
from tests.works.builders import chaptered_work

pytestmark = pytest.mark.django_db


@pytest.fixture
def reader(client: Client, other_user: User) -> User:
    client.force_login(other_user)
    return other_user


@pytest.fixture
def work(author: User) -> Work:
    return chaptered_work(3, creators=[author.default_pseud()])


def test_each_visit_is_one_upsert_that_counts_and_keeps_the_chapter(
    client: Client, reader: User, work: Work
) -> None:
    chapters = list(work.chapters.order_by("position"))
    client.get(f"/works/{work.pk}/chapters/{chapters[1].pk}")
    with CaptureQueriesContext(connection) as queries:
        client.get(f"/works/{work.pk}")
    writes = [q["sql"] for q in queries.captured_queries if "works_reading" in q["sql"]]
    assert len([sql for sql in writes if sql.startswith("INSERT")]) == 1
    assert not [sql for sql in writes if sql.startswith(("UPDATE", "DELETE"))]
    reading = Reading.objects.get(user=reader, work=work)
    assert reading.visits == 2 and reading.last_chapter_id == chapters[1].pk
    page = client.get(f"/works/{work.pk}").content.decode()
    assert f"/works/{work.pk}/chapters/{chapters[1].pk}" in page and "Continue reading" in page
    history = client.get("/account/history").content.decode()
    assert work.title in history and "Continue reading: Chapter 2" in history


def test_history_off_records_nothing_and_clearing_forgets(
    client: Client, reader: User, work: Work
) -> None:
    client.get(f"/works/{work.pk}")
    client.post("/account/history/clear")
    assert not Reading.objects.filter(user=reader).exists()
    Preference.objects.create(user=reader, reading_history=False)
    client.get(f"/works/{work.pk}")
    assert not Reading.objects.filter(user=reader).exists()
    assert "is off" in client.get("/account/history").content.decode()


def test_guests_have_no_history(work: Work) -> None:
    Client().get(f"/works/{work.pk}")
    assert not Reading.objects.exists()


def test_marked_for_later_is_cleared_when_read_unless_kept(
    client: Client, reader: User, work: Work
) -> None:
    client.post(f"/works/{work.pk}/later")
    assert work.title in client.get("/account/later").content.decode()
    client.get(f"/works/{work.pk}")
    assert work.title not in client.get("/account/later").content.decode()
    Preference.objects.create(user=reader, later_kept=True)
    client.post(f"/works/{work.pk}/later")
    client.get(f"/works/{work.pk}")
    assert Reading.objects.get(user=reader, work=work).later
    assert "Unmark for Later" in client.get(f"/works/{work.pk}").content.decode()


def test_history_hides_works_the_reader_may_no_longer_see(
    client: Client, reader: User, work: Work
) -> None:
    client.get(f"/works/{work.pk}")
    Work.objects.filter(pk=work.pk).update(hidden_by_admin=True)
    assert work.title not in client.get("/account/history").content.decode()
    assert client.post(f"/works/{work.pk}/later").status_code == 404
