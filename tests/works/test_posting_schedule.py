"""Scheduled posting: works_publish_due and `ficarchive publish_scheduled`."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from ficarchive.accounts.models import Preference, User
from ficarchive.core.models import ChangeLog
from ficarchive.works.models import Work
from ficarchive.works.posting import works_publish_due
from tests.works.posting_data import post_work

pytestmark = pytest.mark.django_db


@pytest.fixture
def writer(client: Client, author: User) -> User:
    client.force_login(author)
    return author


def _later(hours: int = 2) -> str:
    return (timezone.now() + dt.timedelta(hours=hours)).strftime("%Y-%m-%dT%H:%M")


def test_a_scheduled_work_stays_hidden_until_its_time(client: Client, writer: User) -> None:
    work = post_work(client, writer, publish_at=_later())
    assert not work.posted and work.publish_at is not None
    assert Client().get(f"/works/{work.pk}").status_code == 404
    assert "scheduled for" in client.get("/account/works").content.decode()
    assert works_publish_due(timezone.now()) == 0
    work.refresh_from_db()
    assert not work.posted


def test_at_its_time_the_work_is_posted_dated_and_indexed(client: Client, writer: User) -> None:
    work = post_work(client, writer, publish_at=_later(3))
    assert work.publish_at is not None
    ChangeLog.objects.all().delete()
    assert works_publish_due(work.publish_at + dt.timedelta(minutes=1)) == 1
    work.refresh_from_db()
    assert work.posted and work.publish_at is None
    assert work.published_on == timezone.localdate(work.revised_at)
    assert ChangeLog.objects.filter(work_id=work.pk, reason="scheduled work published").exists()
    assert Client().get(f"/works/{work.pk}").status_code == 200
    # Running again posts nothing twice.
    assert works_publish_due(timezone.now() + dt.timedelta(days=1)) == 0


def test_a_plain_draft_is_never_published_by_the_schedule(client: Client, writer: User) -> None:
    work = post_work(client, writer, action="draft", publish_at=_later())
    assert work.publish_at is None
    assert works_publish_due(timezone.now() + dt.timedelta(days=30)) == 0


def test_the_time_is_read_in_the_writers_time_zone(client: Client, writer: User) -> None:
    Preference.objects.create(user=writer, time_zone="Asia/Tokyo")
    moment = timezone.now().astimezone(dt.timezone(dt.timedelta(hours=9))) + dt.timedelta(days=1)
    work = post_work(client, writer, publish_at=moment.strftime("%Y-%m-%dT%H:%M"))
    assert work.publish_at is not None
    assert abs(work.publish_at - moment.replace(second=0, microsecond=0)) < dt.timedelta(seconds=1)


def test_the_command_publishes_what_is_due(client: Client, writer: User) -> None:
    work = post_work(client, writer, publish_at=_later())
    Work.objects.filter(pk=work.pk).update(publish_at=timezone.now() - dt.timedelta(minutes=5))
    out = StringIO()
    call_command("publish_scheduled", stdout=out)
    assert "published 1 scheduled work(s)" in out.getvalue()
    work.refresh_from_db()
    assert work.posted


def test_posting_a_scheduled_work_early(client: Client, writer: User) -> None:
    work = post_work(client, writer, publish_at=_later())
    client.post(f"/works/{work.pk}/post")
    work.refresh_from_db()
    assert work.posted and work.publish_at is None
