"""The inbox: comments on a user's works and replies to their comments (social.comments puts
them there), read or unread, filtered by work."""

from __future__ import annotations

from django.db import transaction
from django.db.models import QuerySet

from ficarchive.accounts.models import Mute, User
from ficarchive.social.models import CommentState, InboxItem
from ficarchive.works.models import Work


class InboxFilter:
    ALL = "all"
    UNREAD = "unread"
    READ = "read"


def inbox_items(
    user: User, *, shown: str = InboxFilter.ALL, work_id: int | None = None
) -> QuerySet[InboxItem]:
    """The user's inbox, newest first: only comments they may still see (published, or
    waiting for their approval), on works they may still open, by nobody they muted."""
    items = (
        InboxItem.objects.filter(
            user=user,
            comment__deleted=False,
            comment__state__in=[CommentState.PUBLISHED, CommentState.HELD],
            comment__work__in=Work.objects.visible_to(user).values("pk"),
        )
        .exclude(comment__user_id__in=Mute.objects.filter(user=user).values("muted_id"))
        .order_by("-created_at", "-id")
    )
    if shown == InboxFilter.UNREAD:
        items = items.filter(read=False)
    elif shown == InboxFilter.READ:
        items = items.filter(read=True)
    if work_id is not None:
        items = items.filter(comment__work_id=work_id)
    return items


def inbox_unread_count(user: User) -> int:
    return inbox_items(user, shown=InboxFilter.UNREAD).count()


@transaction.atomic
def inbox_mark(user: User, item_ids: list[int], read: bool = True) -> int:
    """Mark some of the user's inbox items read (or unread); returns how many changed."""
    return InboxItem.objects.filter(user=user, pk__in=item_ids).exclude(read=read).update(read=read)


@transaction.atomic
def inbox_mark_all_read(user: User, work_id: int | None = None) -> int:
    items = InboxItem.objects.filter(user=user, read=False)
    if work_id is not None:
        items = items.filter(comment__work_id=work_id)
    return items.update(read=True)


def inbox_works(user: User) -> QuerySet[Work]:
    """The works the user's inbox has comments on, for its filter."""
    return (
        Work.objects.visible_to(user)
        .filter(comments__inbox_items__user=user)
        .distinct()
        .order_by("title")
    )
