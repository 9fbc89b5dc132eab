"""Telling subscribers of new works and chapters.

Posting is the works app's, which may not call this one (the apps' layers), so the notifier is
a consumer of the change log (core.changes), as the search index is: `updates_scan` (every few
seconds, from the scheduler) reads the rows that posting writes ("posted", "scheduled work
published", "chapter added"), records each newly posted chapter once as an `Update` (its
chapter is unique), and queues one `updates_deliver` job per batch of subscribers. A job puts
the update in each subscriber's inbox (`UpdateItem`, unique per subscriber and chapter) and
tells them through accounts.notifications.notify_many, whose mail follows their preference
(at once, in the daily digest, or never). Every step may run twice and does nothing twice.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.urls import reverse
from django_tasks import task

from ficarchive.accounts.models import Block, Mute, User
from ficarchive.accounts.notifications import notify_many
from ficarchive.core.changes import ChangeReader
from ficarchive.core.models import ChangeLog
from ficarchive.core.site import absolute_url
from ficarchive.social.models import Update, UpdateItem
from ficarchive.social.subscriptions import subscriber_ids
from ficarchive.works.models import Work

CONSUMER = "updates"
# The change log's reasons (works.posting) that can post a chapter; "revealed" is a work of an
# unrevealed collection at its reveal (collections.reveal), announced as newly posted.
WORK_POSTED = {"posted", "scheduled work published", "revealed"}
CHAPTER_POSTED = {"chapter added"}
SCAN_ROWS = 2000
# Subscribers per delivery job: each job makes a fixed number of queries and one mail job.
BATCH = 500


def updates_scan(limit: int = SCAN_ROWS) -> int:
    """Read the change log from the notifier's cursor, record the chapters newly posted, and
    queue their deliveries; returns the updates found. Runs until the log is read."""
    reader = ChangeReader(CONSUMER)
    found = 0
    while True:
        rows = reader.read(limit)
        if not rows:
            return found
        reasons: dict[int, set[str]] = {}
        for work_id, reason in ChangeLog.objects.filter(
            pk__in=[row.id for row in rows], reason__in=WORK_POSTED | CHAPTER_POSTED
        ).values_list("work_id", "reason"):
            reasons.setdefault(work_id, set()).add(reason)
        for work_id, why in reasons.items():
            found += len(_record(work_id, new_work=bool(why & WORK_POSTED)))
        reader.advance(rows)
        if len(rows) < limit:
            return found


@transaction.atomic
def _record(work_id: int, *, new_work: bool) -> list[Update]:
    """The work's posted chapters that no Update holds yet, recorded; deliveries queued for
    the ones to announce. A work seen for the first time is a new work when it was just
    posted (its first chapter announced, the others with it); a chapter added to a work posted
    before the notifier knew it (imported, say) announces that last chapter only."""
    work = Work.objects.filter(pk=work_id).first()
    if work is None or not work.is_listable():
        # A draft's chapters are announced when it is posted; a hidden work's never.
        return []
    chapters = list(work.posted_chapters().values_list("pk", "position"))
    known = set(Update.objects.filter(work=work).values_list("chapter_id", flat=True))
    new = [(pk, position) for pk, position in chapters if pk not in known]
    if not new:
        return []
    if known:
        announce = {pk for pk, _position in new}
    elif new_work:
        announce = {new[0][0]}
    else:
        announce = {new[-1][0]}
    made = []
    for pk, _position in new:
        try:
            with transaction.atomic():
                update = Update.objects.create(
                    chapter_id=pk,
                    work=work,
                    new_work=not known and new_work and pk == new[0][0],
                    announced=pk in announce,
                )
        except IntegrityError:
            continue  # another scan recorded it
        made.append(update)
        if update.announced:
            # In this transaction: on the database queue the job commits with the update; on
            # Redis it is pushed once the transaction commits.
            update_fan_out.enqueue(update.pk)
    return made


@task()
def update_fan_out(update_id: int) -> int:
    """Queue one delivery job per batch of the update's subscribers; returns the batches."""
    update = Update.objects.filter(pk=update_id).select_related("work").first()
    if update is None:
        return 0
    users = sorted(subscriber_ids(update.work))
    batches = [users[start : start + BATCH] for start in range(0, len(users), BATCH)]
    for batch in batches:
        updates_deliver.enqueue(update_id, batch)
    return len(batches)


def recipients(work: Work, user_ids: Sequence[int]) -> QuerySet[User]:
    """Of these subscribers, those who may be told of the work now: active users to whom it
    is listed (posted and not hidden; restricted works are for every logged-in user), not
    blocked by any of its creators, and, unless it is anonymous, not muting any of them."""
    if not work.is_listable():
        return User.objects.none()
    creators = list(work.creator_user_ids())
    users = User.objects.filter(pk__in=list(user_ids), is_active=True).exclude(
        pk__in=Block.objects.filter(user_id__in=creators).values("blocked_id")
    )
    if not work.hides_creators:
        users = users.exclude(pk__in=Mute.objects.filter(muted_id__in=creators).values("user_id"))
    return users


def _subject(update: Update) -> tuple[str, str]:
    work, chapter = update.work, update.chapter
    if update.new_work:
        byline = (
            "Anonymous"
            if work.hides_creators
            else ", ".join(p.byline for p in work.creator_pseuds())
        )
        return (
            f"New work: {work.title} by {byline}",
            absolute_url(reverse("works:work_detail", args=[work.pk])),
        )
    title = f": {chapter.title}" if chapter.title else ""
    return (
        f"New chapter of {work.title}: Chapter {chapter.position}{title}",
        absolute_url(reverse("works:chapter_detail", args=[work.pk, chapter.pk])),
    )


@task()
def updates_deliver(update_id: int, user_ids: list[int]) -> int:
    """Put the update in these subscribers' inboxes and notify them (never twice); returns
    how many were told now."""
    update = (
        Update.objects.filter(pk=update_id)
        .select_related("work", "chapter")
        .prefetch_related("work__creatorships__pseud__user")
        .first()
    )
    if update is None or not update.chapter.posted:
        return 0
    users = list(recipients(update.work, user_ids).only("pk", "email", "username"))
    if not users:
        return 0
    with transaction.atomic():
        UpdateItem.objects.bulk_create(
            [UpdateItem(user=user, update=update) for user in users], ignore_conflicts=True
        )
        subject, url = _subject(update)
        notify_many(
            users,
            "update",
            subject,
            key=lambda user: f"update:{update.pk}:{user.pk}",
            text=update.work.summary[:300] if update.new_work else "",
            url=url,
        )
    return len(users)


def update_items(user: User) -> QuerySet[UpdateItem]:
    """A user's updates, newest first: only of works they may still list, by nobody they
    have muted since (anonymous works aside)."""
    listed = Work.objects.listed_for(user).values("pk")
    return (
        UpdateItem.objects.filter(user=user, update__work__in=listed, update__chapter__posted=True)
        .select_related("update__work", "update__chapter")
        .order_by("-created_at", "-id")
    )


def update_items_unread(user: User) -> int:
    return update_items(user).filter(read=False).count()


@transaction.atomic
def update_items_mark_read(user: User, item_ids: Sequence[int] | None = None) -> int:
    """Mark these of the user's updates read (all of them without ids)."""
    items = UpdateItem.objects.filter(user=user, read=False)
    if item_ids is not None:
        items = items.filter(pk__in=list(item_ids))
    return items.update(read=True)
