"""What readers give works: kudos, comments and bookmarks (gifts to come), the inbox where
creators and commenters find the comments meant for them, and subscriptions."""

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


BOOKMARK_NOTES_MAX = 5000
BOOKMARK_TAGS_MAX = 75
EXTERNAL_URL_MAX = 2000
EXTERNAL_TITLE_MAX = 255
EXTERNAL_CREATOR_MAX = 255
EXTERNAL_SUMMARY_MAX = 1250


class ExternalWork(models.Model):
    """A work elsewhere on the web that readers bookmark (social.bookmarks): its address (http or
    https only), title, creator and summary, with a rating, fandoms and other tags that are
    tags like any other, so that wranglers wrangle them. One row per address."""

    url = models.URLField(max_length=EXTERNAL_URL_MAX, unique=True)
    title = models.CharField(max_length=EXTERNAL_TITLE_MAX)
    creator = models.CharField(max_length=EXTERNAL_CREATOR_MAX)
    summary = models.TextField(blank=True)
    tags: models.ManyToManyField[Any, Any] = models.ManyToManyField(
        "tags.Tag", through="ExternalWorkTagging", related_name="external_works"
    )
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.title


class ExternalWorkTagging(models.Model):
    """A tag on an external work, in the order the first bookmarker gave it."""

    external_work = models.ForeignKey(
        ExternalWork, on_delete=models.CASCADE, related_name="taggings"
    )
    tag = models.ForeignKey(
        "tags.Tag", on_delete=models.CASCADE, related_name="external_work_taggings"
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["external_work", "tag"], name="external_work_tagging_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.tag_id} on external work {self.external_work_id}"


class Bookmark(models.Model):
    """A reader's bookmark of exactly one of a work, a series or an external work, once each,
    under one of their pseuds: their notes (`notes` as typed, `notes_html` sanitised), their own
    tags, and whether it is private (only they see it) and a recommendation. Who sees which is
    social.bookmarks' `bookmarks_visible_to`, which asks the works' visibility rule."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="bookmarks"
    )
    # A deleted pseud leaves its bookmarks to its user (shown under their login), as comments.
    pseud = models.ForeignKey(
        "accounts.Pseud", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    work = models.ForeignKey(
        "works.Work", null=True, blank=True, on_delete=models.CASCADE, related_name="bookmarks"
    )
    series = models.ForeignKey(
        "works.Series", null=True, blank=True, on_delete=models.CASCADE, related_name="bookmarks"
    )
    external_work = models.ForeignKey(
        ExternalWork, null=True, blank=True, on_delete=models.CASCADE, related_name="bookmarks"
    )
    notes = models.TextField(blank=True)
    notes_html = models.TextField(blank=True)
    tags: models.ManyToManyField[Any, Any] = models.ManyToManyField(
        "tags.Tag", through="BookmarkTagging", related_name="bookmarks"
    )
    private = models.BooleanField(default=False)
    rec = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(work__isnull=False, series__isnull=True, external_work__isnull=True)
                    | models.Q(work__isnull=True, series__isnull=False, external_work__isnull=True)
                    | models.Q(work__isnull=True, series__isnull=True, external_work__isnull=False)
                ),
                name="bookmark_one_item",
            ),
            models.UniqueConstraint(
                fields=["work", "user"],
                condition=models.Q(work__isnull=False),
                name="bookmark_work_once",
            ),
            models.UniqueConstraint(
                fields=["series", "user"],
                condition=models.Q(series__isnull=False),
                name="bookmark_series_once",
            ),
            models.UniqueConstraint(
                fields=["external_work", "user"],
                condition=models.Q(external_work__isnull=False),
                name="bookmark_external_once",
            ),
        ]
        indexes = [
            models.Index(fields=["user", "-created_at"], name="bookmark_user_idx"),
        ]

    def __str__(self) -> str:
        return f"bookmark {self.pk} of {self.user_id}"

    @property
    def kind(self) -> str:
        if self.work_id is not None:
            return "work"
        if self.series_id is not None:
            return "series"
        return "external"


class BookmarkTagging(models.Model):
    """One of the bookmarker's own tags on a bookmark, in the order they gave them."""

    bookmark = models.ForeignKey(Bookmark, on_delete=models.CASCADE, related_name="taggings")
    tag = models.ForeignKey("tags.Tag", on_delete=models.CASCADE, related_name="bookmark_taggings")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["bookmark", "tag"], name="bookmark_tagging_unique")
        ]

    def __str__(self) -> str:
        return f"{self.tag_id} on bookmark {self.bookmark_id}"
