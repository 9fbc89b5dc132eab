"""Writing comments: posting, editing, deleting, freezing threads and moderating, each one
service in one transaction. The rules of who may do what are here, beside the writes
(`comment_refusal` is the one the forms and the services share); what a viewer sees of a
thread is social.threads.

Every service that changes what counts (published comments that are not deleted) keeps
Work.comments_count and tells search through the counters, as kudos do.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags

from ficarchive.accounts.models import Block, Mute, Pseud, User
from ficarchive.accounts.notifications import notify
from ficarchive.core.changes import counters_changed
from ficarchive.core.html import render_userstuff
from ficarchive.core.site import absolute_url
from ficarchive.social.models import COMMENT_MAX, Comment, CommentState, InboxItem
from ficarchive.social.spam import SpamCandidate, spam_check
from ficarchive.works.models import Chapter, CommentPermission, Work
from ficarchive.works.pagecache import forget_work_pages

# The same comment from the same writer within this time is kept once.
DUPLICATE_SECONDS = 30

NOT_AVAILABLE = "Comments can only be left on posted works you can read."
COMMENTS_OFF = "The creator of this work has turned comments off."
USERS_ONLY = "Only logged-in users can comment on this work. Please log in to comment."
BLOCKED = (
    "Sorry, you have been blocked by one or more of this work's creators, so you can't "
    "comment here."
)
BLOCKED_REPLY = "Sorry, the writer of this comment has blocked you, so you can't reply to it."
PARENT_DELETED = "That comment has been deleted, so it can't be replied to."
PARENT_FROZEN = "This thread is frozen: no more replies can be posted to it."
PARENT_UNPUBLISHED = "That comment is not published yet, so it can't be replied to."
EMPTY = "Your comment is empty. Please write something before posting."
TOO_LONG = f"Comments can be at most {COMMENT_MAX:,} characters long."
NOTHING_LEFT = (
    "Nothing would be left of your comment once the HTML the archive does not allow is "
    "removed. Please write some text."
)
DUPLICATE = "You have already posted this comment."
NOT_ALLOWED = "Sorry, you can't do that with this comment."
NOT_GUEST = "Please give your name and an e-mail address to comment as a guest."
NOT_OWN_PSEUD = "You can only comment as one of your own pseuds."

DELETED_TEXT = "(Previous comment deleted.)"


class CommentError(Exception):
    """A comment action that cannot be done; the message says why, for the writer."""


class DuplicateComment(CommentError):
    """The same comment, sent twice within DUPLICATE_SECONDS: the first is kept."""

    def __init__(self, comment: Comment) -> None:
        super().__init__(DUPLICATE)
        self.comment = comment


@dataclass(frozen=True)
class Commenter:
    """Who writes a comment: a user under one of their pseuds, or a guest with a name and an
    e-mail address; `ip_address` is only given to the spam check."""

    user: User | None = None
    pseud: Pseud | None = None
    guest_name: str = ""
    guest_email: str = ""
    ip_address: str = ""

    def viewer(self) -> Any:
        return self.user if self.user is not None else AnonymousUser()


def is_moderator(work: Work, user: Any) -> bool:
    """Whether this user moderates the work's comments: its creators, and archive admins."""
    return bool(user.is_authenticated and (user.is_archive_admin or work.is_by(user)))


def comment_refusal(work: Work, user: Any, parent: Comment | None = None) -> str | None:
    """Why this user may not comment on the work, or reply to `parent` (None when they may):
    the rule the comment forms and comment_post share."""
    if not work.is_listed_for(user):
        return NOT_AVAILABLE
    if work.comment_permission == CommentPermission.NOBODY:
        return COMMENTS_OFF
    if not user.is_authenticated and not work.guests_may_comment():
        return USERS_ONLY
    if not work.accepts_interaction_from(user):
        return BLOCKED
    if parent is not None:
        if parent.deleted:
            return PARENT_DELETED
        if parent.frozen:
            return PARENT_FROZEN
        if parent.state != CommentState.PUBLISHED:
            return PARENT_UNPUBLISHED
        if (
            user.is_authenticated
            and parent.user_id is not None
            and Block.objects.filter(user_id=parent.user_id, blocked_id=user.pk).exists()
        ):
            return BLOCKED_REPLY
    return None


def _text_checked(text: str) -> str:
    """The comment's sanitised HTML; raises CommentError for an empty or oversized text."""
    if not text.strip():
        raise CommentError(EMPTY)
    if len(text) > COMMENT_MAX:
        raise CommentError(TOO_LONG)
    html = render_userstuff(text, allow_class=False)
    if not strip_tags(html).strip() and "<img" not in html:
        raise CommentError(NOTHING_LEFT)
    return html


def _count(work_id: int, delta: int) -> None:
    """Change the work's comment count, and tell search and the guests' page cache."""
    if delta > 0:
        Work.objects.filter(pk=work_id).update(comments_count=F("comments_count") + delta)
    else:
        Work.objects.filter(pk=work_id, comments_count__gte=-delta).update(
            comments_count=F("comments_count") + delta
        )
    counters_changed(work_id)
    transaction.on_commit(lambda: forget_work_pages(work_id))


def _duplicate(work: Work, author: Commenter, parent: Comment | None, text: str) -> Comment | None:
    recent = Comment.objects.filter(
        work=work,
        parent=parent,
        text=text,
        created_at__gte=timezone.now() - timedelta(seconds=DUPLICATE_SECONDS),
    )
    if author.user is not None:
        recent = recent.filter(user=author.user)
    else:
        recent = recent.filter(user__isnull=True, guest_email__iexact=author.guest_email)
    return recent.order_by("created_at", "pk").first()


@transaction.atomic
def comment_post(
    work: Work,
    author: Commenter,
    text: str,
    *,
    chapter: Chapter | None = None,
    parent: Comment | None = None,
) -> Comment:
    """Post a comment on the work (on `chapter`, or on the work as a whole), or a reply to
    `parent`; raises CommentError, or DuplicateComment for the same text sent twice.

    A comment the spam check doubts is held as spam, and on a moderated work one waits for
    the creator's approval; either way it is stored, never refused. The work's creators and
    the writer of `parent` find it in their inboxes (and by mail, as they chose).
    """
    viewer = author.viewer()
    # One comment at a time per work: duplicates and counts stay true under double clicks.
    Work.objects.select_for_update().filter(pk=work.pk).first()
    if parent is not None:
        parent = Comment.objects.select_for_update().get(pk=parent.pk)
        if parent.work_id != work.pk:
            raise CommentError(NOT_ALLOWED)
        chapter_id = parent.chapter_id
    else:
        chapter_id = chapter.pk if chapter is not None else None
        if chapter is not None and (chapter.work_id != work.pk or not chapter.posted):
            raise CommentError(NOT_AVAILABLE)
    refusal = comment_refusal(work, viewer, parent)
    if refusal is not None:
        raise CommentError(refusal)
    if author.user is not None:
        if author.pseud is None or author.pseud.user_id != author.user.pk:
            raise CommentError(NOT_OWN_PSEUD)
    elif not (author.guest_name.strip() and author.guest_email.strip()):
        raise CommentError(NOT_GUEST)
    html = _text_checked(text)
    existing = _duplicate(work, author, parent, text)
    if existing is not None:
        raise DuplicateComment(existing)

    by_creator = work.is_by(viewer)
    doubt = spam_check(
        SpamCandidate(
            text=text,
            work_id=work.pk,
            user_id=author.user.pk if author.user else None,
            guest_email=author.guest_email,
            ip_address=author.ip_address,
        )
    )
    if doubt is not None and not by_creator:
        state = CommentState.SPAM
    elif work.comments_moderated and not by_creator:
        state = CommentState.HELD
    else:
        state = CommentState.PUBLISHED
    comment = Comment.objects.create(
        work=work,
        chapter_id=chapter_id,
        parent=parent,
        depth=parent.depth + 1 if parent is not None else 0,
        thread_id=parent.thread_id if parent is not None else None,
        user=author.user,
        pseud=author.pseud,
        guest_name="" if author.user else author.guest_name.strip(),
        guest_email="" if author.user else author.guest_email.strip(),
        by_creator=by_creator,
        text=text,
        html=html,
        state=state,
    )
    if parent is None:
        comment.thread_id = comment.pk
        Comment.objects.filter(pk=comment.pk).update(thread_id=comment.pk)
    comment.work = work
    if state == CommentState.PUBLISHED:
        _count(work.pk, 1)
    if state != CommentState.SPAM:
        _deliver(comment, creators_only=state == CommentState.HELD)
    return comment


def _writer_name(comment: Comment, reader: User) -> str:
    """How the comment's writer is named to `reader` (in the inbox and in mail)."""
    work = comment.work
    if comment.by_creator and (
        (work.hides_creators and not work.is_by(reader))
        or comment.user_id not in work.creator_user_ids()
    ):
        return "Anonymous creator"
    if comment.pseud is not None:
        return comment.pseud.byline
    return comment.guest_name or "A guest"


def _deliver(comment: Comment, *, creators_only: bool = False) -> None:
    """Put the comment in the inboxes of those it is for, and notify them: the work's
    creators, and the writer of the comment replied to; never its own writer, nor anyone who
    muted them. Delivering again adds nothing (an inbox holds a comment once, and a
    notification's key is its comment's)."""
    work = comment.work
    recipients: dict[int, str] = {}
    for user_id in work.creator_user_ids():
        recipients[user_id] = "work"
    if comment.parent_id is not None and not creators_only:
        parent = Comment.objects.filter(pk=comment.parent_id).values("user_id", "deleted").first()
        if parent and parent["user_id"] and not parent["deleted"]:
            recipients.setdefault(parent["user_id"], "reply")
    recipients.pop(comment.user_id or 0, None)
    if comment.user_id is not None:
        muting = set(
            Mute.objects.filter(user_id__in=recipients, muted_id=comment.user_id).values_list(
                "user_id", flat=True
            )
        )
        for user_id in muting:
            recipients.pop(user_id, None)
    if not recipients:
        return
    InboxItem.objects.bulk_create(
        [InboxItem(user_id=user_id, comment=comment) for user_id in recipients],
        ignore_conflicts=True,
    )
    url = absolute_url(reverse("social:comment_thread", args=[comment.pk]))
    excerpt = strip_tags(comment.html).strip()
    if len(excerpt) > 500:
        excerpt = excerpt[:500].rstrip() + "…"
    for user in User.objects.filter(pk__in=recipients, is_active=True):
        name = _writer_name(comment, user)
        if comment.state == CommentState.HELD:
            subject = f"{name} left a comment on {work.title} that waits for your approval"
        elif recipients[user.pk] == "work":
            subject = f"{name} left a comment on {work.title}"
        else:
            subject = f"{name} replied to your comment on {work.title}"
        notify(
            user,
            "comment",
            subject,
            key=f"comment:{comment.pk}:{user.pk}",
            text=excerpt,
            url=url,
        )


def _locked(comment: Comment) -> Comment:
    """The comment's row, locked, with its work (and the work's creators) to ask rules of."""
    fresh = Comment.objects.select_for_update().get(pk=comment.pk)
    fresh.work = Work.objects.for_reading().get(pk=fresh.work_id)
    return fresh


@transaction.atomic
def comment_edit(comment: Comment, user: User, text: str) -> Comment:
    """Change the text of one's own comment; shows "Last edited". The spam check looks again:
    a published comment it now doubts is held as spam."""
    comment = _locked(comment)
    if not comment.is_written_by(user) or comment.deleted:
        raise CommentError(NOT_ALLOWED)
    if comment.state == CommentState.HIDDEN:
        raise CommentError("An administrator hid this comment, so it can't be edited.")
    html = _text_checked(text)
    if text == comment.text:
        return comment
    comment.text, comment.html = text, html
    comment.edited_at = timezone.now()
    fields = ["text", "html", "edited_at"]
    doubt = spam_check(SpamCandidate(text, comment.work_id, user.pk, "", ""))
    if doubt is not None and not comment.by_creator and comment.state == CommentState.PUBLISHED:
        comment.state = CommentState.SPAM
        fields.append("state")
        _count(comment.work_id, -1)
    comment.save(update_fields=fields)
    return comment


def may_delete(comment: Comment, user: Any) -> bool:
    """Its writer, the work's creators and admins may delete a comment."""
    return comment.is_written_by(user) or is_moderator(comment.work, user)


@transaction.atomic
def comment_delete(comment: Comment, user: User) -> None:
    """Delete a comment: with replies, it stays as "(Previous comment deleted.)" and keeps its
    thread; without, it is gone."""
    comment = _locked(comment)
    if not may_delete(comment, user) or comment.deleted:
        raise CommentError(NOT_ALLOWED)
    counted = comment.is_published
    if Comment.objects.filter(parent=comment).exists():
        comment.deleted = True
        comment.text = comment.html = ""
        comment.save(update_fields=["deleted", "text", "html"])
        InboxItem.objects.filter(comment=comment).delete()
    else:
        comment.delete()
    if counted:
        _count(comment.work_id, -1)


def _subtree_ids(comment: Comment) -> list[int]:
    """The comment and every reply below it (one query over its thread)."""
    children: dict[int | None, list[int]] = {}
    for pk, parent_id in Comment.objects.filter(thread_id=comment.thread_id).values_list(
        "pk", "parent_id"
    ):
        children.setdefault(parent_id, []).append(pk)
    ids, todo = [], [comment.pk]
    while todo:
        pk = todo.pop()
        ids.append(pk)
        todo.extend(children.get(pk, []))
    return ids


@transaction.atomic
def thread_freeze(comment: Comment, user: User, frozen: bool = True) -> int:
    """Freeze (or unfreeze) a comment and every reply below it: no more replies there. The
    work's creators and admins may; returns how many comments changed."""
    comment = _locked(comment)
    if not is_moderator(comment.work, user):
        raise CommentError(NOT_ALLOWED)
    return Comment.objects.filter(pk__in=_subtree_ids(comment)).update(frozen=frozen)


def _state_set(comment: Comment, state: str, **fields: Any) -> None:
    was_counted = comment.is_published
    comment.state = state
    for name, value in fields.items():
        setattr(comment, name, value)
    comment.save(update_fields=["state", *fields])
    now_counted = comment.is_published
    if now_counted != was_counted:
        _count(comment.work_id, 1 if now_counted else -1)


@transaction.atomic
def comment_hide(comment: Comment, admin: User, reason: str) -> None:
    """Hide a comment as an administrator, with the reason its writer is shown; its replies
    stay, under a notice."""
    comment = _locked(comment)
    if not admin.is_archive_admin:
        raise CommentError(NOT_ALLOWED)
    reason = reason.strip()
    if not reason:
        raise CommentError("Please give the reason for hiding this comment.")
    _state_set(comment, CommentState.HIDDEN, hidden_reason=reason)


@transaction.atomic
def comment_mark_spam(comment: Comment, user: User) -> None:
    """Mark a comment as spam (its work's creators or an admin): it leaves every page and
    inbox, and waits in the admins' queue."""
    comment = _locked(comment)
    if not is_moderator(comment.work, user):
        raise CommentError(NOT_ALLOWED)
    _state_set(comment, CommentState.SPAM)
    InboxItem.objects.filter(comment=comment).delete()


@transaction.atomic
def comment_approve(comment: Comment, user: User) -> None:
    """Publish a comment that waited: one held for approval (by the work's creators or an
    admin), or one held as spam or hidden (by an admin). Those it is for are told now."""
    comment = _locked(comment)
    if comment.state == CommentState.PUBLISHED:
        return
    allowed = user.is_archive_admin or (
        comment.state == CommentState.HELD and comment.work.is_by(user)
    )
    if not allowed:
        raise CommentError(NOT_ALLOWED)
    _state_set(comment, CommentState.PUBLISHED, hidden_reason="")
    _deliver(comment)


def visible_filter(work: Work, user: Any) -> Q:
    """The comments of `work` whose row this user may get at all (social.threads shows some of
    them as notices only): published and hidden ones (shown as a notice), one's own, held ones
    to the work's creators, everything to admins. Spam is for admins (and its writer) only."""
    if user.is_authenticated and user.is_archive_admin:
        return Q()
    shown = Q(state__in=[CommentState.PUBLISHED, CommentState.HIDDEN])
    if user.is_authenticated:
        shown |= Q(user_id=user.pk)
        if work.is_by(user):
            shown |= Q(state=CommentState.HELD)
    return shown


def chapter_comment_count(work: Work, chapter: Chapter) -> int:
    """The published comments on one chapter (no query for a work without comments)."""
    if not work.comments_count:
        return 0
    return Comment.objects.filter(
        work=work, chapter=chapter, state=CommentState.PUBLISHED, deleted=False
    ).count()
