"""The reveal: by the scheduled job at the collection's reveal dates, all works at once, their
subscribers told through the notifier and their creators in their notifications."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from ficarchive.accounts.models import Notification, User
from ficarchive.collections.reveal import collection_reveal, collections_reveal_due
from ficarchive.collections.services import collection_item_add
from ficarchive.collections.tasks import collections_reveal
from ficarchive.search.engine import search_works
from ficarchive.search.query import WorkQuery
from ficarchive.social.models import UpdateItem
from ficarchive.social.subscriptions import subscribe
from ficarchive.social.updates import updates_scan
from ficarchive.works.models import Work
from tests.collections.helpers import make_collection
from tests.factories import WorkFactory

pytestmark = pytest.mark.django_db


def _works(author: User, count: int) -> list[Work]:
    return [
        Work.objects.for_reading().get(
            pk=WorkFactory.create(creators=[author.default_pseud()], title=f"Gift {n}").pk
        )
        for n in range(count)
    ]


def test_the_job_reveals_every_work_at_the_reveal_date(author: User, other_user: User) -> None:
    now = timezone.now()
    collection = make_collection(other_user, unrevealed=True, reveal_at=now + timedelta(days=1))
    works = _works(author, 3)
    for work in works:
        collection_item_add(collection, work, author)
    guest = AnonymousUser()
    assert search_works(WorkQuery(collection_id=collection.pk), guest).total == 0
    assert collections_reveal_due(now) == 0
    assert collections_reveal_due(now + timedelta(days=1, seconds=1)) == 1
    assert not Work.objects.filter(in_unrevealed_collection=True).exists()
    assert search_works(WorkQuery(collection_id=collection.pk), guest).total == 3
    collection.refresh_from_db()
    assert not collection.unrevealed and collection.reveal_at is None
    # Revealed once: the job finds nothing more.
    assert collections_reveal_due(now + timedelta(days=2)) == 0


def test_subscribers_and_creators_are_told_at_the_reveal(
    author: User, other_user: User, wrangler: User
) -> None:
    collection = make_collection(other_user, unrevealed=True)
    (work,) = _works(author, 1)
    subscribe(wrangler, author)
    collection_item_add(collection, work, author)
    updates_scan()
    assert not UpdateItem.objects.filter(user=wrangler).exists()  # a mystery is no news
    collection_reveal(collection)
    updates_scan()
    assert UpdateItem.objects.filter(user=wrangler, update__work=work).count() == 1
    assert Notification.objects.filter(user=author, kind="collection").count() == 1


def test_the_creators_reveal_comes_on_its_own_date(author: User, other_user: User) -> None:
    now = timezone.now()
    collection = make_collection(
        other_user,
        anonymous=True,
        creators_reveal_at=now - timedelta(minutes=1),
    )
    (work,) = _works(author, 1)
    collection_item_add(collection, work, author)
    work.refresh_from_db()
    assert work.hides_creators
    assert collections_reveal.enqueue().return_value == 1
    work.refresh_from_db()
    assert not work.hides_creators


def test_revealing_works_keeps_the_creators_anonymous(author: User, other_user: User) -> None:
    collection = make_collection(other_user, unrevealed=True, anonymous=True)
    (work,) = _works(author, 1)
    collection_item_add(collection, work, author)
    collection_reveal(collection, works=True, creators=False)
    work.refresh_from_db()
    assert work.is_listable() and work.hides_creators
