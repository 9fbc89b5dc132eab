"""Admins hide, unhide and mark works as spam; creators see why; readers, listings and search
lose the work at once."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from ficarchive.accounts.models import User
from ficarchive.core.models import ChangeLog
from ficarchive.search.engine import search_works
from ficarchive.search.query import WorkQuery
from ficarchive.works.models import Work
from ficarchive.works.moderation import ModerationError, work_hide, work_mark_spam, work_unhide
from tests.factories import WorkFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def work(author: User) -> Work:
    return WorkFactory.create(creators=[author.default_pseud()], title="Moonlit Orchard")


def _found(viewer: object) -> list[int]:
    return [w.pk for w in search_works(WorkQuery(text="orchard"), viewer).works]


def test_hiding_records_why_and_reaches_the_index_at_once(
    work: Work, admin: User, guest: object
) -> None:
    assert _found(guest) == [work.pk]
    ChangeLog.objects.all().delete()
    work_hide(work, admin, "Copied text")
    work.refresh_from_db()
    assert (work.hidden_by_admin, work.hidden_reason, work.hidden_by, work.spam) == (
        True,
        "Copied text",
        admin,
        False,
    )
    assert work.hidden_at is not None
    assert ChangeLog.objects.filter(work_id=work.pk, reason="hidden").exists()
    assert _found(guest) == []


def test_unhiding_brings_the_work_back(work: Work, admin: User, guest: object) -> None:
    work_mark_spam(work, admin)
    assert _found(guest) == []
    work_unhide(work, admin)
    work.refresh_from_db()
    assert not work.hidden_by_admin and not work.spam and work.hidden_reason == ""
    assert _found(guest) == [work.pk]


def test_spam_is_hidden_with_the_reason_spam(work: Work, admin: User) -> None:
    work_mark_spam(work, admin)
    work.refresh_from_db()
    assert work.hidden_by_admin and work.spam and work.hidden_reason == "spam"
    assert ChangeLog.objects.filter(work_id=work.pk, reason="spam").exists()


def test_only_admins_moderate_and_a_reason_is_required(
    work: Work, admin: User, author: User, wrangler: User
) -> None:
    for user in (author, wrangler):
        with pytest.raises(PermissionDenied):
            work_hide(work, user, "no")
        with pytest.raises(PermissionDenied):
            work_mark_spam(work, user)
    with pytest.raises(ModerationError):
        work_hide(work, admin, "   ")
    work.refresh_from_db()
    assert not work.hidden_by_admin


# The views.


def test_an_admin_hides_from_the_work_page_and_the_creator_sees_why(
    client: Client, work: Work, admin: User, author: User, other_user: User
) -> None:
    url = reverse("works:work_detail", args=[work.pk])
    client.force_login(admin)
    page = client.get(url).content.decode()
    assert "Hide work" in page and "Mark as spam" in page
    missing = client.post(reverse("works:work_hide", args=[work.pk]), {"reason": ""})
    assert missing.status_code == 200
    assert not Work.objects.get(pk=work.pk).hidden_by_admin
    client.post(reverse("works:work_hide", args=[work.pk]), {"reason": "Plagiarised chapter"})
    assert Work.objects.get(pk=work.pk).hidden_by_admin
    assert ">Unhide</button>" in client.get(url).content.decode()

    client.force_login(author)
    assert "Hidden by an administrator: Plagiarised chapter" in client.get(url).content.decode()
    dashboard = client.get(reverse("accounts:my_works")).content.decode()
    assert "Hidden by an administrator: Plagiarised chapter" in dashboard
    assert "Hide work" not in client.get(url).content.decode()

    client.force_login(other_user)
    assert client.get(url).status_code == 404
    assert Client().get(url).status_code == 404


def test_a_guest_cached_page_is_dropped_when_the_work_is_hidden(
    work: Work, admin: User, django_capture_on_commit_callbacks: Any
) -> None:
    url = reverse("works:work_detail", args=[work.pk])
    assert Client().get(url).status_code == 200  # now in the guests' page cache
    with django_capture_on_commit_callbacks(execute=True):
        work_hide(work, admin, "Off topic")
    assert Client().get(url).status_code == 404


def test_non_admins_cannot_reach_the_moderation_views(
    client: Client, work: Work, author: User
) -> None:
    client.force_login(author)
    assert client.post(reverse("works:work_spam", args=[work.pk])).status_code == 404
    assert (
        client.post(reverse("works:work_hide", args=[work.pk]), {"reason": "x"}).status_code == 404
    )
    assert not Work.objects.get(pk=work.pk).hidden_by_admin


def test_spam_and_unhide_buttons(client: Client, work: Work, admin: User) -> None:
    client.force_login(admin)
    client.post(reverse("works:work_spam", args=[work.pk]))
    assert Work.objects.get(pk=work.pk).spam
    client.post(reverse("works:work_unhide", args=[work.pk]))
    assert not Work.objects.get(pk=work.pk).hidden_by_admin


def test_the_admin_site_marks_spam_and_unhides_in_bulk(
    client: Client, work: Work, admin: User
) -> None:
    client.force_login(admin)
    url = reverse("admin:works_work_changelist")
    client.post(url, {"action": "mark_spam", "_selected_action": [work.pk]})
    work.refresh_from_db()
    assert work.spam and work.hidden_by_admin and work.hidden_by == admin
    client.post(url, {"action": "unhide", "_selected_action": [work.pk]})
    work.refresh_from_db()
    assert not work.hidden_by_admin


def test_a_guests_cached_listing_loses_the_work_at_once_when_it_is_hidden(
    work: Work, admin: User, django_capture_on_commit_callbacks: Any
) -> None:
    # The home page goes through the search index, which must hold the work first.
    assert work.title in Client().get("/").content.decode()  # now in the guests' page cache
    with django_capture_on_commit_callbacks(execute=True):
        work_hide(work, admin, "Off topic")
    assert work.title not in Client().get("/").content.decode()
