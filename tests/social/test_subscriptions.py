"""Subscriptions: to a work, a creator and a series, once each; the button (htmx and plain);
the subscriptions page; and who is told of a new work or chapter, once, in the inbox's updates
and by mail (jobs run as they are queued here; test_update_mail runs the real queue)."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client

from ficarchive.accounts.models import Block, Mute, NotificationMail, Preference, User
from ficarchive.social.models import Subscription, Update, UpdateItem
from ficarchive.social.subscriptions import SubscriptionError, subscribe
from ficarchive.social.updates import updates_scan
from ficarchive.works.models import Work
from ficarchive.works.posting import ChapterFields, chapter_add, work_post_draft
from ficarchive.works.series import SeriesFields, series_add_work, series_create
from tests.conftest import make_user
from tests.factories import WorkFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def work(author: User) -> Work:
    work = WorkFactory.create(title="Tidewater", creators=[author.default_pseud()])
    updates_scan()  # what was there before is known, not news
    return work


def _new_chapter(work: Work, title: str = "") -> int:
    chapter = chapter_add(work, ChapterFields(text="More of the story.", title=title))
    updates_scan()
    return chapter.pk


def test_subscribing_twice_is_a_clear_message(work: Work, other_user: User) -> None:
    subscribe(other_user, work)
    with pytest.raises(SubscriptionError, match="already subscribed"):
        subscribe(other_user, work)
    with pytest.raises(SubscriptionError, match="yourself"):
        subscribe(other_user, other_user)
    assert Subscription.objects.filter(user=other_user).count() == 1


def test_the_button_subscribes_and_unsubscribes_with_and_without_htmx(
    client: Client, work: Work, other_user: User
) -> None:
    client.force_login(other_user)
    page = client.get(f"/works/{work.pk}").content.decode()
    assert 'value="subscribe"' in page
    response = client.post("/subscriptions", {"kind": "work", "id": work.pk, "action": "subscribe"})
    assert response.status_code == 302
    again = client.post(
        "/subscriptions",
        {"kind": "work", "id": work.pk, "action": "subscribe"},
        HTTP_HX_REQUEST="true",
    )
    assert again.status_code == 200 and "already subscribed" in again.content.decode()
    assert 'value="unsubscribe"' in again.content.decode()
    client.post("/subscriptions", {"kind": "work", "id": work.pk, "action": "unsubscribe"})
    assert not Subscription.objects.filter(user=other_user).exists()


def test_nobody_subscribes_to_what_they_may_not_see(
    client: Client, work: Work, other_user: User
) -> None:
    Work.objects.filter(pk=work.pk).update(hidden_by_admin=True)
    client.force_login(other_user)
    assert client.post("/subscriptions", {"kind": "work", "id": work.pk}).status_code == 404
    assert client.post("/subscriptions", {"kind": "series", "id": "99999"}).status_code == 404
    assert client.post("/subscriptions", {"kind": "nonsense", "id": "x"}).status_code == 404
    assert not Subscription.objects.exists()
    assert Client().post("/subscriptions", {"kind": "work", "id": work.pk}).status_code == 302


def test_the_subscriptions_page_lists_and_removes(
    client: Client, work: Work, author: User, other_user: User
) -> None:
    subscribe(other_user, work)
    subscribe(other_user, author)
    client.force_login(other_user)
    page = client.get("/account/subscriptions").content.decode()
    assert "Tidewater" in page and f"/users/{author.username}/works" in page
    subscription = Subscription.objects.get(user=other_user, work=work)
    client.post(f"/account/subscriptions/{subscription.pk}/delete")
    assert not Subscription.objects.filter(pk=subscription.pk).exists()


def test_a_new_chapter_reaches_each_subscriber_once(work: Work, author: User) -> None:
    by_work, by_creator = make_user("byw"), make_user("byc")
    series = series_create(author, SeriesFields(title="Tides"))
    series_add_work(series, work, author)
    subscribe(by_work, work)
    subscribe(by_work, author)  # two subscriptions, one notice
    subscribe(by_creator, author)
    by_series = make_user("bys")
    subscribe(by_series, series)
    chapter_id = _new_chapter(work, "The Ebb")
    updates_scan()  # a second scan finds nothing new
    for user in (by_work, by_creator, by_series):
        assert UpdateItem.objects.filter(user=user, update__chapter_id=chapter_id).count() == 1
    assert not UpdateItem.objects.filter(user=author).exists()
    subjects = sorted((m.to[0], m.subject) for m in mail.outbox)
    assert subjects == sorted(
        (u.email, "New chapter of Tidewater: Chapter 2: The Ebb")
        for u in (by_work, by_creator, by_series)
    )
    assert Update.objects.filter(chapter_id=chapter_id).count() == 1


def test_blocked_muting_and_hidden_are_never_told(work: Work, author: User) -> None:
    blocked, muting, told = make_user("blocked"), make_user("muting"), make_user("told")
    for user in (blocked, muting, told):
        subscribe(user, work)
    Block.objects.create(user=author, blocked=blocked)
    Mute.objects.create(user=muting, muted=author)
    _new_chapter(work)
    assert set(UpdateItem.objects.values_list("user__username", flat=True)) == {"told"}
    Work.objects.filter(pk=work.pk).update(hidden_by_admin=True)
    work.refresh_from_db()
    _new_chapter(work)
    assert UpdateItem.objects.count() == 1


def test_creator_subscribers_never_hear_of_an_anonymous_work(author: User) -> None:
    follower = make_user("follower")
    subscribe(follower, author)
    draft = WorkFactory.create(creators=[author.default_pseud()], posted=False, anonymous=True)
    work_post_draft(draft)
    updates_scan()
    assert not UpdateItem.objects.filter(user=follower).exists()
    open_draft = WorkFactory.create(
        title="Brand New", creators=[author.default_pseud()], posted=False
    )
    work_post_draft(open_draft)
    updates_scan()
    [item] = UpdateItem.objects.filter(user=follower)
    assert item.update.new_work and item.update.work_id == open_draft.pk
    assert mail.outbox[-1].subject == f"New work: Brand New by {author.default_pseud().byline}"


def test_scheduled_posting_tells_subscribers(author: User) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from ficarchive.works.posting import works_publish_due

    follower = make_user("follower")
    subscribe(follower, author)
    WorkFactory.create(
        creators=[author.default_pseud()],
        posted=False,
        publish_at=timezone.now() - timedelta(minutes=1),
    )
    updates_scan()
    assert not UpdateItem.objects.exists()
    assert works_publish_due() == 1
    updates_scan()
    assert UpdateItem.objects.filter(user=follower).count() == 1


def test_digest_readers_get_it_in_the_digest(work: Work) -> None:
    reader = make_user("digester")
    Preference.objects.create(user=reader, notification_mail=NotificationMail.DIGEST)
    subscribe(reader, work)
    _new_chapter(work)
    assert mail.outbox == []
    from ficarchive.accounts.tasks import notifications_digest

    assert notifications_digest.call() == 1
    [message] = mail.outbox
    assert "New chapter of Tidewater" in message.body


def test_the_updates_page_and_the_inbox_count(client: Client, work: Work, other_user: User) -> None:
    subscribe(other_user, work)
    chapter_id = _new_chapter(work, "The Flood")
    client.force_login(other_user)
    page = client.get("/inbox/updates").content.decode()
    assert f"/works/{work.pk}/chapters/{chapter_id}" in page and "The Flood" in page
    assert "(1" in client.get("/inbox").content.decode()
    client.post("/inbox/updates")
    assert not UpdateItem.objects.filter(read=False).exists()
    Work.objects.filter(pk=work.pk).update(hidden_by_admin=True)
    assert "The Flood" not in client.get("/inbox/updates").content.decode()
