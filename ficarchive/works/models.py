"""Works, their chapters, creators and tags, plus the languages, series and collections they
belong to."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import models
from django.db.models.functions import Now
from django.utils import timezone
from django.utils.functional import cached_property

from ficarchive.accounts.models import Block, Pseud
from ficarchive.tags.models import Tag, Tagging, TagType
from ficarchive.works.querysets import WorkQuerySet

TITLE_MAX = 255


class Language(models.Model):
    """A language works are written in: a BCP 47 code and the name readers see."""

    code = models.CharField(max_length=35, unique=True)
    name = models.CharField(max_length=100, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class CommentPermission(models.TextChoices):
    """Who may comment on a work, as its creator chose."""

    ANYONE = "anyone", "Anyone, guests included"
    USERS = "users", "Only logged-in users"
    NOBODY = "nobody", "Nobody (comments off)"


class Work(models.Model):
    # The primary key is the public id (`/works/<id>`, `Work ID:` in records). Imported works
    # keep the id of their record; core.bulk.reset_sequence moves the id sequence past them.
    title = models.CharField(max_length=TITLE_MAX)
    summary = models.TextField(blank=True)
    notes = models.TextField(blank=True)
    endnotes = models.TextField(blank=True)
    language = models.ForeignKey(Language, on_delete=models.PROTECT, related_name="works")
    creators: models.ManyToManyField[Pseud, Creatorship] = models.ManyToManyField(
        Pseud, through="Creatorship", related_name="works"
    )
    tags: models.ManyToManyField[Tag, Tagging] = models.ManyToManyField(
        Tag, through="tags.Tagging", related_name="works"
    )

    expected_chapters = models.PositiveIntegerField(
        null=True, blank=True, help_text="Chapters the creator plans; empty when unknown (?)."
    )
    chapter_count = models.PositiveIntegerField(default=1, help_text="Posted chapters.")
    complete = models.BooleanField(default=False)
    word_count = models.PositiveIntegerField(default=0)

    posted = models.BooleanField(default=True, help_text="False while the work is a draft.")
    # A draft with a time here is posted then by works.posting.works_publish_due.
    publish_at = models.DateTimeField(
        null=True, blank=True, help_text="When a scheduled draft is posted."
    )
    restricted = models.BooleanField(default=False, help_text="Only logged-in users see it.")
    hidden_by_admin = models.BooleanField(default=False)
    # Moderation (works.moderation): why and when an admin hid the work, shown to its creators.
    # Database defaults too: imports and the demo insert works in bulk, naming columns.
    hidden_reason = models.TextField(blank=True, default="", db_default="")
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    spam = models.BooleanField(
        default=False, db_default=False, help_text="Hidden by an admin as spam."
    )
    anonymous = models.BooleanField(default=False)
    # Denormalised from the work's collections (ficarchive.collections keeps them, in the
    # transaction that changes an item or a collection's settings): an unrevealed work is
    # neither listed nor opened but by its creators and admins, an anonymous collection's work
    # shows "Anonymous" as an anonymous work does. The works layer knows no more of collections.
    in_unrevealed_collection = models.BooleanField(default=False, db_default=False)
    in_anonymous_collection = models.BooleanField(default=False, db_default=False)
    # Comments (social.comments): who may leave them, and whether new ones wait for the
    # creator's approval. Restricted works take comments from logged-in users only.
    comment_permission = models.CharField(
        max_length=8,
        choices=CommentPermission.choices,
        default=CommentPermission.ANYONE,
        db_default=CommentPermission.ANYONE,
    )
    comments_moderated = models.BooleanField(default=False, db_default=False)

    published_on = models.DateField(default=timezone.localdate)
    # The creator chose the publication date; otherwise posting a draft dates it that day.
    backdated = models.BooleanField(default=False)
    revised_at = models.DateTimeField(default=timezone.now, help_text="Date updated.")
    # An imported record may give no dates; the import time stands in for them, and exporting
    # leaves the Published/Updated lines out again, so that the record round-trips.
    dates_known = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    hits = models.PositiveIntegerField(default=0)
    kudos_count = models.PositiveIntegerField(default=0)
    # Published comments, not deleted ones (social.comments keeps it).
    comments_count = models.PositiveIntegerField(default=0)
    bookmarks_count = models.PositiveIntegerField(default=0)
    downloads_count = models.PositiveIntegerField(default=0, db_default=0)

    # Derived from the work's tags and their wrangling, with its filter tags (tags.filters).
    crossover = models.BooleanField(
        default=False, help_text="Fandoms that are not all related through meta tags."
    )
    otp = models.BooleanField(
        default=False, help_text="Exactly one relationship once synonyms are merged."
    )

    objects = WorkQuerySet.as_manager()

    class Meta:
        indexes = [
            models.Index(fields=["-revised_at", "-id"], name="work_revised_idx"),
            models.Index(
                fields=["publish_at"],
                condition=models.Q(publish_at__isnull=False),
                name="work_publish_at_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def is_visible_to(self, user: Any) -> bool:
        """Whether this user may open the work: Work.objects.visible_to for one work (the
        rule's table is docs/visibility.md; tests/visibility proves it on every page)."""
        if not user.is_authenticated:
            return self.is_listable() and not self.restricted
        if user.is_archive_admin:
            return True
        return self.is_listable() or self.is_by(user)

    def is_listable(self) -> bool:
        """Whether listings, counts and search may show the work to those who may open it:
        Work.objects.listable for one work. Drafts (scheduled ones too), hidden works and
        works of an unrevealed collection are only ever reached by their address."""
        return self.posted and not self.hidden_by_admin and not self.in_unrevealed_collection

    @property
    def hides_creators(self) -> bool:
        """Whether pages show "Anonymous" for the creators: the creator chose it, or the work
        is in an anonymous collection that has not revealed its creators yet."""
        return self.anonymous or self.in_anonymous_collection

    def is_listed_for(self, user: Any) -> bool:
        """Whether listings show the work to this user: Work.objects.listed_for for one work."""
        return self.is_listable() and self.is_visible_to(user)

    def creators_revealed_to(self, user: Any) -> bool:
        """Whether this user may learn who made the work. An anonymous work's creators are
        known only to themselves and to admins; every page shows others "Anonymous"."""
        if not self.hides_creators:
            return True
        return user.is_authenticated and (user.is_archive_admin or self.is_by(user))

    def revealed_creator_pseuds(self, user: Any) -> list[Pseud]:
        """The pseuds of an anonymous work for a user who may know them (else empty)."""
        if not self.hides_creators or not self.creators_revealed_to(user):
            return []
        return [c.pseud for c in self.creatorships.all() if c.approved]

    def posted_chapters(self) -> models.QuerySet[Chapter]:
        """The chapters a reader of the work may read, in order. The chapter rule: a chapter
        is visible exactly when its work is visible and the chapter is posted."""
        return self.chapters.filter(posted=True).order_by("position")

    def is_by(self, user: Any) -> bool:
        """Whether this user is one of the work's (accepted) creators."""
        if not user.is_authenticated:
            return False
        return any(
            creatorship.approved and creatorship.pseud.user_id == user.pk
            for creatorship in self.creatorships.all()
        )

    def accepts_interaction_from(self, user: Any) -> bool:
        """Whether this user may interact with the work: False when any of its accepted
        creators has blocked them (accounts.Block).

        Kudos ask it; comments and gifts, when they exist, must ask this same method before
        accepting anything from a user, and hide their forms when it says no.
        """
        if not user.is_authenticated:
            return True
        creator_ids = [c.pseud.user_id for c in self.creatorships.all() if c.approved]
        return not Block.objects.filter(user_id__in=creator_ids, blocked_id=user.pk).exists()

    def guests_may_comment(self) -> bool:
        """Whether guests may comment: the creator lets anyone, and the work is not
        restricted to logged-in users."""
        return self.comment_permission == CommentPermission.ANYONE and not self.restricted

    def shown_collections(self) -> list[Collection]:
        """The collections the work's pages name: items approved on both sides (prefetch
        `collection_items__collection`)."""
        return [item.collection for item in self.collection_items.all() if item.approved]

    def creator_user_ids(self) -> set[int]:
        """The users of the work's accepted creators."""
        return {c.pseud.user_id for c in self.creatorships.all() if c.approved}

    def creator_pseuds(self) -> list[Pseud]:
        """The pseuds in the byline, in order; empty for an anonymous work."""
        if self.hides_creators:
            return []
        return [c.pseud for c in self.creatorships.all() if c.approved]

    @cached_property
    def tags_by_type(self) -> dict[str, list[Tag]]:
        """The work's tags grouped by type value, each group in the creator's order."""
        groups: dict[str, list[Tag]] = {value: [] for value in TagType.values}
        for tagging in self.taggings.all():
            groups[tagging.tag.type].append(tagging.tag)
        return groups

    def rating(self) -> Tag | None:
        ratings = self.tags_by_type[TagType.RATING]
        return ratings[0] if ratings else None

    def is_adult(self) -> bool:
        """Whether the adult-content gate stands before the text: an adult rating, or none."""
        rating = self.rating()
        return rating is None or rating.adult

    def chapter_default_date(self, position: int) -> date:
        """The date a chapter has when nobody gave it one: the first chapter was published with
        the work, later ones on its last update."""
        if position <= 1:
            return self.published_on
        return max(self.published_on, timezone.localdate(self.revised_at))

    def updated_on(self) -> date | None:
        """The date of the last update, when it is later than publication (else None)."""
        revised = timezone.localdate(self.revised_at)
        return revised if revised > self.published_on else None

    def chapter_total_display(self) -> str:
        """`N/M`, with `?` for an unknown expected total, as listings and records show it."""
        expected = "?" if self.expected_chapters is None else str(self.expected_chapters)
        return f"{self.chapter_count}/{expected}"


class Creatorship(models.Model):
    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="creatorships")
    pseud = models.ForeignKey(Pseud, on_delete=models.CASCADE, related_name="creatorships")
    position = models.PositiveSmallIntegerField(default=0)
    # Co-creators invited through the posting form are shown only once they accept.
    approved = models.BooleanField(default=True)

    class Meta:
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["work", "pseud"], name="creatorship_unique")]

    def __str__(self) -> str:
        return f"{self.pseud} on {self.work}"


class Chapter(models.Model):
    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="chapters")
    position = models.PositiveIntegerField()
    title = models.CharField(max_length=TITLE_MAX, blank=True)
    summary = models.TextField(blank=True)
    notes = models.TextField(blank=True)
    endnotes = models.TextField(blank=True)
    # `text` is what the creator wrote (plain text with optional HTML), kept as given so that
    # exports are faithful; `html` is its sanitised rendering, made when the text is saved.
    text = models.TextField(blank=True)
    html = models.TextField(blank=True)
    word_count = models.PositiveIntegerField(default=0)
    posted = models.BooleanField(default=True)
    published_on = models.DateField(default=timezone.localdate)

    class Meta:
        ordering = ["work_id", "position"]
        indexes = [models.Index(fields=["work", "position"], name="chapter_work_position_idx")]

    def __str__(self) -> str:
        return self.title or f"Chapter {self.position}"

    def is_visible_to(self, user: Any) -> bool:
        """The chapter rule (see Work.posted_chapters): posted, in a work this user may open."""
        return self.posted and self.work.is_visible_to(user)


class Series(models.Model):
    """Works in order under one title (works.series). It is visible where one of its works is
    listed for the viewer, and shows only those (the one visibility rule)."""

    title = models.CharField(max_length=TITLE_MAX)
    summary = models.TextField(blank=True)
    # Rendered with the works' sanitiser (the userstuff filter), as work notes are.
    notes = models.TextField(blank=True)
    complete = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now, db_default=Now())
    works: models.ManyToManyField[Work, SerialWork] = models.ManyToManyField(
        Work, through="SerialWork", related_name="series"
    )
    # Who may edit it: the user who made it, and creators who add their works to it. Bylines
    # never come from here (they would name an anonymous work's creator): see series_byline.
    owners = models.ManyToManyField("accounts.User", related_name="series_owned", blank=True)

    class Meta:
        verbose_name_plural = "series"

    def __str__(self) -> str:
        return self.title

    def is_by(self, user: Any) -> bool:
        """Whether this user may edit the series (its title, order and works)."""
        if not user.is_authenticated:
            return False
        return self.owners.filter(pk=user.pk).exists()


class SerialWork(models.Model):
    series = models.ForeignKey(Series, on_delete=models.CASCADE, related_name="serial_works")
    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="serial_works")
    position = models.PositiveIntegerField(default=1, help_text="Part N of the series.")

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["series", "work"], name="serial_work_unique")
        ]
        indexes = [models.Index(fields=["series", "position"], name="serial_work_position_idx")]

    def __str__(self) -> str:
        return f"Part {self.position} of {self.series}"


class Reading(models.Model):
    """A reader's history with a work (works.history): when they last opened it, how often,
    the last chapter they opened, and whether they marked it for later. One row per reader
    and work, written by one upsert a visit."""

    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="readings")
    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="readings")
    last_visited = models.DateTimeField(default=timezone.now)
    visits = models.PositiveIntegerField(default=0)
    last_chapter = models.ForeignKey(
        Chapter, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Marked for Later; a row only marked (never visited) has `visits` 0.
    later = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "work"], name="reading_once")]
        indexes = [
            models.Index(fields=["user", "-last_visited"], name="reading_history_idx"),
            models.Index(
                fields=["user", "-last_visited"],
                condition=models.Q(later=True),
                name="reading_later_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} read {self.work_id}"


class Collection(models.Model):
    """A named group of works, such as an anthology, a challenge or an exchange. The works
    app holds the rows (the work writer files imported works into collections by title);
    ficarchive.collections writes and shows them, and keeps the works' collection flags.
    Gift exchanges and prompt memes are to hang off a collection (a one-to-one of their own)."""

    name = models.SlugField(max_length=255, unique=True)
    title = models.CharField(max_length=TITLE_MAX)
    description = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    works: models.ManyToManyField[Work, CollectionItem] = models.ManyToManyField(
        Work, through="CollectionItem", related_name="collections"
    )
    # One level of sub collections, as the largest archive: a parent has no parent itself.
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children"
    )
    header_image_url = models.URLField(max_length=500, blank=True, default="", db_default="")
    # Sanitised HTML (core.html.render_userstuff), made by the collections services.
    profile = models.TextField(blank=True, default="", db_default="")
    rules = models.TextField(blank=True, default="", db_default="")
    faq = models.TextField(blank=True, default="", db_default="")
    # Settings. Closed: no new items. Moderated: items wait for a maintainer. Unrevealed: its
    # works are mysteries until revealed. Anonymous: its works' creators are hidden until then.
    closed = models.BooleanField(default=False, db_default=False)
    moderated = models.BooleanField(default=False, db_default=False)
    unrevealed = models.BooleanField(default=False, db_default=False)
    anonymous = models.BooleanField(default=False, db_default=False)
    # When the scheduled job (collections.tasks) reveals the works, and their creators.
    reveal_at = models.DateTimeField(null=True, blank=True)
    creators_reveal_at = models.DateTimeField(null=True, blank=True)
    maintainers: models.ManyToManyField[Any, Any] = models.ManyToManyField(
        "accounts.User", through="CollectionMaintainer", related_name="collections_maintained"
    )

    class Meta:
        ordering = ["title", "id"]

    def __str__(self) -> str:
        return self.title


class MaintainerRole(models.TextChoices):
    OWNER = "owner", "Owner"
    MODERATOR = "moderator", "Moderator"


class CollectionMaintainer(models.Model):
    """An owner (edits the collection and its maintainers) or a moderator (reviews items)."""

    collection = models.ForeignKey(
        Collection, on_delete=models.CASCADE, related_name="maintainerships"
    )
    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="+")
    role = models.CharField(max_length=10, choices=MaintainerRole.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["collection", "user"], name="collection_maintainer")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.role} of {self.collection_id}"


class Approval(models.IntegerChoices):
    """One side's answer about an item, with the largest archive's values."""

    REJECTED = -1, "Rejected"
    UNREVIEWED = 0, "Unreviewed"
    APPROVED = 1, "Approved"


class CollectionItem(models.Model):
    """A work in a collection. Both sides approve it: the work's creator (who added it, or
    answers a maintainer's invitation) and the collection (at once unless it is moderated).
    Imported items are approved on both sides."""

    collection = models.ForeignKey(Collection, on_delete=models.CASCADE, related_name="items")
    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="collection_items")
    user_approval = models.SmallIntegerField(
        choices=Approval.choices, default=Approval.APPROVED, db_default=Approval.APPROVED
    )
    collection_approval = models.SmallIntegerField(
        choices=Approval.choices, default=Approval.APPROVED, db_default=Approval.APPROVED
    )
    created_at = models.DateTimeField(default=timezone.now, db_default=Now())

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["collection", "work"], name="collection_item_unique")
        ]

    def __str__(self) -> str:
        return f"{self.work} in {self.collection}"

    @property
    def approved(self) -> bool:
        return self.user_approval == self.collection_approval == Approval.APPROVED
