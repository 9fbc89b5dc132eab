"""Editing and deleting a work, and who may."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from ficarchive.accounts.models import User
from ficarchive.core.models import ChangeLog
from ficarchive.tags.models import FilterTagging, TagType
from ficarchive.works.models import Work
from tests.factories import TagFactory
from tests.html import parse
from tests.works.builders import chaptered_work
from tests.works.posting_data import post_work, work_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def writer(client: Client, author: User) -> User:
    client.force_login(author)
    return author


def test_the_edit_form_comes_filled_with_the_work(client: Client, writer: User) -> None:
    work = post_work(client, writer)
    page = parse(client.get(f"/works/{work.pk}/edit").content)
    assert page.find("input", name="title").attrs["value"] == "Harbour Lights"
    assert page.find("input", name="fandoms").attrs["value"] == "Lighthouse Keepers (TV)"
    assert page.find("input", name="characters").attrs["value"] == "Mara Quill, Tobias Fenn"
    assert "checked" in page.find("input", name="rating", value="General Audiences").attrs
    assert "The lantern swung" in page.find("textarea", name="text").text()


def test_editing_replaces_the_tags_and_recomputes_the_filters(client: Client, writer: User) -> None:
    canonical = TagFactory.create(name="Sea Stories", type=TagType.FANDOM, canonical=True)
    work = post_work(client, writer)
    ChangeLog.objects.all().delete()
    data = work_data(writer, fandoms="Sea Stories", freeforms="Angst", action="update")
    response = client.post(f"/works/{work.pk}/edit", data)
    assert response.status_code == 302
    work.refresh_from_db()
    names = {tag.name for tag in work.tags.all()}
    assert "Sea Stories" in names and "Angst" in names and "Fluff" not in names
    filters = set(FilterTagging.objects.filter(work=work).values_list("filter_id", flat=True))
    assert canonical.pk in filters
    assert list(ChangeLog.objects.values_list("work_id", "reason")) == [(work.pk, "edited")]


def test_editing_the_text_of_a_one_chapter_work_updates_its_word_count(
    client: Client, writer: User
) -> None:
    work = post_work(client, writer)
    data = work_data(writer, text="Only four words here.", action="update")
    client.post(f"/works/{work.pk}/edit", data)
    work.refresh_from_db()
    assert work.word_count == 4
    assert work.chapters.get().text == "Only four words here."


def test_a_work_of_several_chapters_is_edited_without_its_text(
    client: Client, writer: User
) -> None:
    work = chaptered_work(3, creators=[writer.default_pseud()])
    page = parse(client.get(f"/works/{work.pk}/edit").content)
    assert not page.find_all("textarea", name="text")
    data = work_data(writer, text=None, expected_chapters="3", action="update")
    assert client.post(f"/works/{work.pk}/edit", data).status_code == 302
    work.refresh_from_db()
    assert work.chapter_count == 3 and work.complete and work.title == "Harbour Lights"
    assert work.chapters.get(position=2).text == "Text of chapter 2."


def test_fewer_chapters_planned_than_there_are_is_refused(client: Client, writer: User) -> None:
    work = chaptered_work(3, creators=[writer.default_pseud()])
    data = work_data(writer, text=None, expected_chapters="2", action="update")
    response = client.post(f"/works/{work.pk}/edit", data)
    assert "The work has 3 chapters already" in response.content.decode()


def test_only_its_creators_may_edit_or_delete_a_work(
    client: Client, writer: User, other_user: User
) -> None:
    work = post_work(client, writer)
    reader = Client()
    reader.force_login(other_user)
    for url in (f"/works/{work.pk}/edit", f"/works/{work.pk}/delete"):
        assert reader.get(url).status_code == 404
        assert reader.post(url, work_data(other_user)).status_code == 404
    assert Work.objects.filter(pk=work.pk, title="Harbour Lights").exists()


def test_deleting_asks_first_then_deletes_and_tells_the_index(client: Client, writer: User) -> None:
    work = post_work(client, writer)
    confirm = client.get(f"/works/{work.pk}/delete")
    assert "Yes, delete the work" in confirm.content.decode()
    assert Work.objects.filter(pk=work.pk).exists()
    response = client.post(f"/works/{work.pk}/delete")
    assert response.status_code == 302
    assert not Work.objects.filter(pk=work.pk).exists()
    assert ChangeLog.objects.filter(work_id=work.pk, reason="deleted").exists()
    assert client.get(f"/works/{work.pk}").status_code == 404


def test_a_draft_is_posted_from_its_page(client: Client, writer: User) -> None:
    work = post_work(client, writer, action="draft")
    page = client.get(f"/works/{work.pk}").content.decode()
    assert "Post Draft" in page
    client.post(f"/works/{work.pk}/post")
    work.refresh_from_db()
    assert work.posted
    assert ChangeLog.objects.filter(work_id=work.pk, reason="posted").exists()
    assert f"work_{work.pk}" in Client().get("/").content.decode()


def test_the_edit_links_show_only_to_creators(
    client: Client, writer: User, other_user: User
) -> None:
    work = post_work(client, writer)
    assert f"/works/{work.pk}/edit" in client.get(f"/works/{work.pk}").content.decode()
    reader = Client()
    assert f"/works/{work.pk}/edit" not in reader.get(f"/works/{work.pk}").content.decode()
    reader.force_login(other_user)
    assert f"/works/{work.pk}/edit" not in reader.get(f"/works/{work.pk}").content.decode()


def test_editing_shows_new_tags_in_listings_at_once(
    client: Client, writer: User, django_capture_on_commit_callbacks: Any
) -> None:
    work = post_work(client, writer)
    guest = Client()
    assert "Found Family" in guest.get("/users/author/works").content.decode()
    data = work_data(writer, freeforms="Hurt/Comfort", action="update")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/works/{work.pk}/edit", data)
    # The cached blurb of the old version is dropped once the edit commits.
    assert "Hurt/Comfort" in client.get("/users/author/works").content.decode()


def test_a_logged_out_click_on_post_draft_leads_back_to_the_work(
    client: Client, writer: User
) -> None:
    work = post_work(client, writer, action="draft")
    guest = Client()
    response = guest.post(f"/works/{work.pk}/post")
    assert response.status_code == 302
    assert response["Location"] == f"/login?next=/works/{work.pk}"
    work.refresh_from_db()
    assert not work.posted
