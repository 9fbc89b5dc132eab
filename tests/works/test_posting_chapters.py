"""Chapters: add, edit, reorder, delete; the counts and dates that follow from them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from ficarchive.accounts.models import User
from ficarchive.core.models import ChangeLog
from ficarchive.works.models import Work
from tests.html import parse
from tests.works.posting_data import chapter_data, post_work

pytestmark = pytest.mark.django_db


@pytest.fixture
def writer(client: Client, author: User) -> User:
    client.force_login(author)
    return author


@pytest.fixture
def work(client: Client, writer: User) -> Work:
    return post_work(client, writer, expected_chapters="")


def test_adding_a_chapter_updates_counts_date_and_the_index(client: Client, work: Work) -> None:
    Work.objects.filter(pk=work.pk).update(revised_at=timezone.now() - dt.timedelta(days=3))
    ChangeLog.objects.all().delete()
    response = client.post(f"/works/{work.pk}/chapters/new", chapter_data(expected_chapters="2"))
    assert response.status_code == 302
    work.refresh_from_db()
    assert work.chapter_count == 2 and work.expected_chapters == 2 and work.complete
    assert work.word_count == 12 + 9
    assert timezone.now() - work.revised_at < dt.timedelta(minutes=1)
    second = work.chapters.get(position=2)
    assert second.title == "The Second Night"
    assert list(ChangeLog.objects.values_list("reason", flat=True)) == ["chapter added"]
    page = client.get(f"/works/{work.pk}/chapters/{second.pk}").content.decode()
    assert "The second night was quieter" in page


def test_a_chapter_beyond_the_planned_total_makes_it_unknown(client: Client, writer: User) -> None:
    work = post_work(client, writer, expected_chapters="1")
    client.post(f"/works/{work.pk}/chapters/new", chapter_data())
    work.refresh_from_db()
    assert work.expected_chapters is None and not work.complete
    assert work.chapter_total_display() == "2/?"


def test_editing_a_chapter_changes_its_text_and_words(client: Client, work: Work) -> None:
    client.post(f"/works/{work.pk}/chapters/new", chapter_data())
    second = work.chapters.get(position=2)
    form = parse(client.get(f"/works/{work.pk}/chapters/{second.pk}/edit").content)
    assert "The second night" in form.find("textarea", name="text").text()
    data = chapter_data(text="A new second chapter, much shorter.", chapter_title="Renamed")
    client.post(f"/works/{work.pk}/chapters/{second.pk}/edit", data)
    second.refresh_from_db()
    work.refresh_from_db()
    assert second.title == "Renamed" and second.word_count == 6
    assert work.word_count == 12 + 6
    assert ChangeLog.objects.filter(work_id=work.pk, reason="chapter edited").exists()


def test_chapters_are_reordered_by_their_places(client: Client, work: Work) -> None:
    client.post(f"/works/{work.pk}/chapters/new", chapter_data(chapter_title="Two"))
    client.post(f"/works/{work.pk}/chapters/new", chapter_data(chapter_title="Three"))
    first, second, third = work.chapters.order_by("position")
    data = {f"position_{first.pk}": "3", f"position_{second.pk}": "1", f"position_{third.pk}": "2"}
    assert client.post(f"/works/{work.pk}/chapters/manage", data).status_code == 302
    titles = list(work.chapters.order_by("position").values_list("title", flat=True))
    assert titles == ["Two", "Three", ""]
    assert ChangeLog.objects.filter(work_id=work.pk, reason="chapters reordered").exists()


def test_a_place_out_of_range_is_refused(client: Client, work: Work) -> None:
    client.post(f"/works/{work.pk}/chapters/new", chapter_data())
    first, second = work.chapters.order_by("position")
    data = {f"position_{first.pk}": "9", f"position_{second.pk}": "x"}
    response = client.post(f"/works/{work.pk}/chapters/manage", data)
    assert response.status_code == 200
    assert "less than or equal to 2" in response.content.decode()


def test_deleting_a_chapter_asks_then_renumbers_and_recounts(client: Client, work: Work) -> None:
    client.post(f"/works/{work.pk}/chapters/new", chapter_data(chapter_title="Two"))
    client.post(f"/works/{work.pk}/chapters/new", chapter_data(chapter_title="Three"))
    second = work.chapters.get(position=2)
    assert (
        "Yes, delete the chapter"
        in client.get(f"/works/{work.pk}/chapters/{second.pk}/delete").content.decode()
    )
    client.post(f"/works/{work.pk}/chapters/{second.pk}/delete")
    work.refresh_from_db()
    assert work.chapter_count == 2
    assert list(work.chapters.values_list("position", "title")) == [(1, ""), (2, "Three")]


def test_the_only_chapter_cannot_be_deleted(client: Client, work: Work) -> None:
    only = work.chapters.get()
    page = client.get(f"/works/{work.pk}/chapters/{only.pk}/delete").content.decode()
    assert "delete the work" in page
    client.post(f"/works/{work.pk}/chapters/{only.pk}/delete")
    assert work.chapters.count() == 1


def test_chapter_preview_saves_nothing(client: Client, work: Work) -> None:
    response = client.post(
        f"/works/{work.pk}/chapters/new", chapter_data(action="preview", text="Preview only text.")
    )
    assert "Preview only text." in parse(response.content).find("section", "preview").text()
    assert work.chapters.count() == 1


def test_a_chapter_of_someone_elses_work_is_not_found(
    client: Client, work: Work, other_user: User
) -> None:
    reader = Client()
    reader.force_login(other_user)
    chapter = work.chapters.get()
    assert reader.get(f"/works/{work.pk}/chapters/new").status_code == 404
    assert (
        reader.post(f"/works/{work.pk}/chapters/{chapter.pk}/edit", chapter_data()).status_code
        == 404
    )
    assert reader.post(f"/works/{work.pk}/chapters/manage", {}).status_code == 404
