"""Unrevealed and anonymous collections: the works' denormalised flags (Work's
`in_unrevealed_collection` and `in_anonymous_collection`, which the works layer's one
visibility rule reads), kept in the transaction that changes an item or a collection, and
the reveal, by hand or by the scheduled job at the collection's reveal dates."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from ficarchive.accounts.models import User
from ficarchive.accounts.notifications import notify_many
from ficarchive.core.changes import works_changed
from ficarchive.works.models import Approval, Collection, CollectionItem, Creatorship, Work
from ficarchive.works.pagecache import forget_work

# The change log's reason when a collection reveals its works: the notifier (social.updates)
# announces a revealed work to its subscribers as a newly posted one.
REVEALED = "revealed"


def _counted_items() -> Q:
    """Items that put a work under its collection's settings: the creator said yes, and the
    collection has not said no (a moderated collection's waiting items count already)."""
    return Q(user_approval=Approval.APPROVED) & ~Q(collection_approval=Approval.REJECTED)


def works_flags_refresh(work_ids: Iterable[int], reason: str) -> None:
    """Recompute the works' collection flags from their items, in the caller's transaction,
    and tell the search index (whose documents hold the works' collections too)."""
    ids = list(dict.fromkeys(work_ids))
    if not ids:
        return
    counted = CollectionItem.objects.filter(_counted_items(), work=OuterRef("pk"))
    works = Work.objects.filter(pk__in=ids)
    works.update(
        in_unrevealed_collection=Exists(counted.filter(collection__unrevealed=True)),
        in_anonymous_collection=Exists(counted.filter(collection__anonymous=True)),
    )
    works_changed(ids, reason)
    # Guests' cached pages and blurbs show the works as they were.
    changed = list(works.only("pk", "revised_at", "title", "anonymous"))
    transaction.on_commit(lambda: _forget(changed))


def _forget(works: list[Work]) -> None:
    for work in works:
        forget_work(work)


def collection_work_ids(collection: Collection) -> list[int]:
    return list(collection.items.values_list("work_id", flat=True))


@transaction.atomic
def collection_reveal(
    collection: Collection, *, works: bool = True, creators: bool = True
) -> list[int]:
    """Reveal the collection's works (no longer mysteries) and/or their creators (no longer
    Anonymous), all at once; returns the works that changed. Subscribers hear of revealed
    works through the change log (REVEALED); creators are told in their notifications."""
    collection = Collection.objects.select_for_update().get(pk=collection.pk)
    revealing_works = works and collection.unrevealed
    revealing_creators = creators and collection.anonymous
    if not (revealing_works or revealing_creators):
        return []
    if revealing_works:
        collection.unrevealed = False
        collection.reveal_at = None
    if revealing_creators:
        collection.anonymous = False
        collection.creators_reveal_at = None
    collection.save()
    ids = collection_work_ids(collection)
    before = set(
        Work.objects.filter(pk__in=ids, in_unrevealed_collection=True).values_list("pk", flat=True)
    )
    works_flags_refresh(ids, "collection revealed")
    revealed = list(
        Work.objects.filter(pk__in=before, in_unrevealed_collection=False).values_list(
            "pk", flat=True
        )
    )
    # Announced as newly posted works, once their mystery is over.
    works_changed(revealed, REVEALED)
    part = "works" if revealing_works else "creators"
    _tell_creators(collection, ids, part)
    return ids


def _tell_creators(collection: Collection, work_ids: list[int], part: str) -> None:
    user_ids = set(
        Creatorship.objects.filter(work_id__in=work_ids, approved=True).values_list(
            "pseud__user_id", flat=True
        )
    )
    users = list(User.objects.filter(pk__in=user_ids, is_active=True))
    if not users:
        return
    stamp = int(timezone.now().timestamp())
    notify_many(
        users,
        "collection",
        f"{collection.title} has revealed its works",
        key=lambda user: f"collection-reveal:{collection.pk}:{part}:{stamp}:{user.pk}",
        url=reverse("collections:collection_detail", args=[collection.name]),
    )


def collections_reveal_due(now: datetime | None = None) -> int:
    """Reveal every collection whose reveal date has come; returns how many reveals ran.
    Each collection is revealed in its own transaction, once (collection_reveal locks it)."""
    now = now or timezone.now()
    done = 0
    due_works = Collection.objects.filter(unrevealed=True, reveal_at__lte=now)
    due_creators = Collection.objects.filter(anonymous=True, creators_reveal_at__lte=now)
    for collection in due_works.order_by("reveal_at", "pk"):
        collection_reveal(collection, works=True, creators=False)
        done += 1
    for collection in due_creators.order_by("creators_reveal_at", "pk"):
        collection_reveal(collection, works=False, creators=True)
        done += 1
    return done
