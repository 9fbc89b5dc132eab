"""What readers give works: kudos and comments (bookmarks and gifts to come), and the inbox
where creators and commenters find the comments meant for them."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone


class Kudo(models.Model):
    """One reader's kudos on a work: a logged-in user, or a guest known only by a keyed hash of
    their IP address (as the largest archive keeps guests' kudos), once per work each."""

    work = models.ForeignKey("works.Work", on_delete=models.CASCADE, related_name="kudos")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="kudos",
    )
    ip_hash = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["work", "user"],
                condition=models.Q(user__isnull=False),
                name="kudo_once_per_user",
            ),
            models.UniqueConstraint(
                fields=["work", "ip_hash"],
                condition=models.Q(user__isnull=True),
                name="kudo_once_per_guest",
            ),
            models.CheckConstraint(
                condition=models.Q(user__isnull=False) | ~models.Q(ip_hash=""),
                name="kudo_user_or_guest",
            ),
        ]

    def __str__(self) -> str:
        return f"kudos on {self.work_id}"


COMMENT_MAX = 10_000
GUEST_NAME_MAX = 100
# Replies nest visibly this deep; deeper ones continue flat at this depth (as the largest
# archive's COMMENT_THREAD_MAX_DEPTH).
THREAD_NESTING_MAX = 5


class CommentState(models.TextChoices):
    PUBLISHED = "published", "Published"
    HELD = "held", "Awaiting the creator's approval"
    SPAM = "spam", "Held as spam"
    HIDDEN = "hidden", "Hidden by an administrator"


class Comment(models.Model):
    """A comment on a chapter, or on a work as a whole (`chapter` empty), or a reply to another
    comment (`parent`), by a user under one of their pseuds or by a guest with a name and an
    address. `thread` is the top-level comment of its thread (itself for one), so that a page
    of threads is read in one query; `depth` is 0 for a top-level comment."""

    work = models.ForeignKey("works.Work", on_delete=models.CASCADE, related_name="comments")
    chapter = models.ForeignKey(
        "works.Chapter",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="comments",
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    thread = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    depth = models.PositiveSmallIntegerField(default=0)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="comments",
    )
    # A deleted pseud leaves its comments to its user (shown under their login).
    pseud = models.ForeignKey(
        "accounts.Pseud", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    guest_name = models.CharField(max_length=GUEST_NAME_MAX, blank=True)
    guest_email = models.EmailField(blank=True)
    # Written by one of the work's creators: an anonymous work's show "Anonymous creator".
    by_creator = models.BooleanField(default=False)
    # `text` as the writer typed it (kept for editing), `html` its sanitised rendering.
    text = models.TextField()
    html = models.TextField()
    state = models.CharField(
        max_length=16, choices=CommentState.choices, default=CommentState.PUBLISHED
    )
    hidden_reason = models.TextField(blank=True)
    # Deleted with replies: the row stays, without its text, so that the thread stays.
    deleted = models.BooleanField(default=False)
    # No more replies to it, nor to any comment below it.
    frozen = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(
                fields=["work", "chapter", "depth", "created_at"], name="comment_toplevel_idx"
            ),
            models.Index(fields=["thread", "created_at"], name="comment_thread_idx"),
            models.Index(
                fields=["state", "created_at"],
                condition=~models.Q(state="published"),
                name="comment_moderation_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"comment {self.pk} on {self.work_id}"

    @property
    def is_published(self) -> bool:
        return self.state == CommentState.PUBLISHED and not self.deleted

    def is_written_by(self, user: Any) -> bool:
        return bool(user.is_authenticated and self.user_id == user.pk)


class InboxItem(models.Model):
    """A comment in a user's inbox: a comment on one of their works, or a reply to one of
    their comments; read or not."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="inbox_items"
    )
    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="inbox_items")
    read = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "comment"], name="inbox_item_once"),
        ]
        indexes = [
            models.Index(fields=["user", "read", "-created_at"], name="inbox_unread_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.comment} for {self.user_id}"


class Subscription(models.Model):
    """A reader's subscription to a work (its new chapters), a creator (their new works and
    chapters, never under an anonymous work) or a series (its new works and chapters): exactly
    one of the three, once each."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="subscriptions"
    )
    work = models.ForeignKey(
        "works.Work", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    creator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="subscribers",
    )
    series = models.ForeignKey(
        "works.Series", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(work__isnull=False, creator__isnull=True, series__isnull=True)
                    | models.Q(work__isnull=True, creator__isnull=False, series__isnull=True)
                    | models.Q(work__isnull=True, creator__isnull=True, series__isnull=False)
                ),
                name="subscription_one_target",
            ),
            models.UniqueConstraint(
                fields=["work", "user"],
                condition=models.Q(work__isnull=False),
                name="subscription_work_once",
            ),
            models.UniqueConstraint(
                fields=["creator", "user"],
                condition=models.Q(creator__isnull=False),
                name="subscription_creator_once",
            ),
            models.UniqueConstraint(
                fields=["series", "user"],
                condition=models.Q(series__isnull=False),
                name="subscription_series_once",
            ),
        ]

    def __str__(self) -> str:
        return f"subscription {self.pk} of {self.user_id}"


class Update(models.Model):
    """A chapter's posting, found once (social.updates): a new work (its first chapter, with
    `new_work`) or a new chapter. `announced` is False for the other chapters of a work
    posted whole, and for chapters posted before the archive told subscribers of anything."""

    chapter = models.OneToOneField("works.Chapter", on_delete=models.CASCADE, related_name="update")
    work = models.ForeignKey("works.Work", on_delete=models.CASCADE, related_name="updates")
    new_work = models.BooleanField(default=False)
    announced = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"update of chapter {self.chapter_id}"


class UpdateItem(models.Model):
    """An update in a subscriber's inbox: one per subscriber and chapter, however many of
    their subscriptions it matches and however often it is delivered."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="update_items"
    )
    update = models.ForeignKey(Update, on_delete=models.CASCADE, related_name="items")
    read = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "update"], name="update_item_once"),
        ]
        indexes = [
            models.Index(fields=["user", "read", "-created_at"], name="update_item_unread_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.update} for {self.user_id}"
