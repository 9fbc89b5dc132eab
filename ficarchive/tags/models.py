"""Tags: one model for every tag type, with the links of wrangling (synonyms, meta tags,
parents), its history, the words autocomplete looks up, and each work's filter tags."""

from __future__ import annotations

import unicodedata
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone

TAG_NAME_MAX = 150
# Folding can lengthen a name a little (ß is ss): room for that in autocomplete's phrases.
PHRASE_MAX = 255


class TagType(models.TextChoices):
    """Tag types in the order the work header shows them; values double as CSS classes."""

    RATING = "rating", "Rating"
    WARNING = "warning", "Archive Warning"
    CATEGORY = "category", "Category"
    FANDOM = "fandom", "Fandom"
    RELATIONSHIP = "relationship", "Relationship"
    CHARACTER = "character", "Character"
    FREEFORM = "freeform", "Additional Tags"
    # Media (TV Shows, Books & Literature, ...) are the parents of fandoms: they group the
    # fandoms page and are never put on a work.
    MEDIA = "media", "Media"

    @classmethod
    def order(cls, value: str) -> int:
        return cls.values.index(value)

    @classmethod
    def is_fixed(cls, value: str) -> bool:
        """Whether the archive fixes the tags of this type (ratings, warnings, categories)."""
        return value in FIXED_TYPES


# Types that the archive fixes (created by a migration) and types creators may invent.
FIXED_TYPES = (TagType.RATING, TagType.WARNING, TagType.CATEGORY, TagType.MEDIA)
USER_DEFINED_TYPES = (
    TagType.FANDOM,
    TagType.RELATIONSHIP,
    TagType.CHARACTER,
    TagType.FREEFORM,
)
# The types a tag of each type may have as parents, as in the largest archive.
PARENT_TYPES: dict[str, tuple[str, ...]] = {
    TagType.FANDOM: (TagType.MEDIA,),
    TagType.CHARACTER: (TagType.FANDOM,),
    TagType.RELATIONSHIP: (TagType.FANDOM, TagType.CHARACTER),
    TagType.FREEFORM: (TagType.FANDOM,),
}


def tag_key(name: str) -> str:
    """The lookup key that makes tag names unique regardless of case and Unicode form."""
    return unicodedata.normalize("NFKC", name).casefold()


class TagQuerySet(models.QuerySet["Tag"]):
    def named(self, name: str) -> TagQuerySet:
        """The tag with this name, whatever its case and spacing (at most one)."""
        return self.filter(key=tag_key(" ".join(name.split())))

    def unwrangled(self) -> TagQuerySet:
        """Tags wranglers still have to look at, as the largest archive counts them: not
        marked unwrangleable and without parents; a fandom while it is neither canonical nor a
        synonym."""
        has_parent = models.Exists(ParentTagging.objects.filter(child=models.OuterRef("pk")))
        # A fandom without a medium is listed under "Uncategorized Fandoms", not unwrangled.
        with_parents = [value for value in PARENT_TYPES if value != TagType.FANDOM]
        other = models.Q(type__in=with_parents) & ~models.Q(has_parent)
        fandom = models.Q(type=TagType.FANDOM, canonical=False, merger__isnull=True)
        return self.filter(unwrangleable=False).filter(other | fandom)

    def on_posted_works(self, fandom: Tag | None = None) -> TagQuerySet:
        """Tags used on posted works (drafts do not count), with `uses`, the number of such
        works; with `fandom`, only works found by that fandom, for its wrangling bin."""
        taggings = Tagging.objects.filter(work__posted=True)
        if fandom is not None:
            taggings = taggings.filter(work__filter_taggings__filter=fandom)
        return self.filter(pk__in=taggings.values("tag_id")).annotate(
            uses=models.Count(
                "taggings", filter=models.Q(taggings__work__posted=True), distinct=True
            )
        )


class Tag(models.Model):
    name = models.CharField(max_length=TAG_NAME_MAX)
    # Names are unique across all types without regard to case (as in the largest archive);
    # the database enforces it on this normalised copy of the name.
    key = models.CharField(max_length=TAG_NAME_MAX * 3, unique=True, editable=False)
    type = models.CharField(max_length=16, choices=TagType.choices)
    canonical = models.BooleanField(default=False)
    merger = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="synonyms",
        help_text="The canonical tag this tag is a synonym of.",
    )
    unwrangleable = models.BooleanField(default=False)
    adult = models.BooleanField(default=False, help_text="Ratings that put works behind the gate.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TagQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["type", "canonical"])]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(canonical=True, merger__isnull=False),
                name="canonical_tag_is_no_synonym",
            ),
        ]
        permissions = [("wrangle_tag", "Can wrangle tags")]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.key = tag_key(self.name)
        super().save(*args, **kwargs)

    @property
    def is_fixed(self) -> bool:
        return TagType.is_fixed(self.type)

    @property
    def filter_tag_id(self) -> int | None:
        """The id of the canonical tag that stands for this one in filters: itself when
        canonical, its canonical when a synonym, none otherwise."""
        return self.pk if self.canonical else self.merger_id

    def parent_types(self) -> tuple[str, ...]:
        return PARENT_TYPES.get(self.type, ())


class MetaTagging(models.Model):
    """`meta_tag` is a meta tag of `sub_tag`: filtering by the meta tag finds the sub tag's
    works. Direct links are the wranglers'; indirect ones (the meta tags of meta tags) are
    derived from them and stored, so that filter ids need one join."""

    meta_tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="sub_taggings")
    sub_tag = models.ForeignKey(
        Tag, on_delete=models.CASCADE, related_name="meta_taggings", db_index=False
    )
    direct = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["sub_tag", "meta_tag"], name="meta_tagging_unique")
        ]

    def __str__(self) -> str:
        return f"{self.meta_tag} > {self.sub_tag}"


class ParentTagging(models.Model):
    """`parent` is a parent of `child`: a fandom of a character, relationship or additional tag,
    or a character of a relationship. Parents do not change filters."""

    parent = models.ForeignKey(
        Tag, on_delete=models.CASCADE, related_name="child_taggings", db_index=False
    )
    child = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="parent_taggings")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["parent", "child"], name="parent_tagging_unique")
        ]

    def __str__(self) -> str:
        return f"{self.parent} > {self.child}"


class TagChange(models.Model):
    """One line of a tag's wrangling history: who changed what, and when."""

    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="changes")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(default=timezone.now)
    description = models.TextField()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.tag}: {self.description}"


class TagWord(models.Model):
    """What autocomplete matches a tag by: its folded name from one of its words to the end
    ("harry potter", "potter"), so that a query is a prefix of one of them. The tag's type and
    canonical flag are copied here so that one index range answers a lookup."""

    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="+", db_index=False)
    phrase = models.CharField(max_length=PHRASE_MAX)
    type = models.CharField(max_length=16, choices=TagType.choices)
    canonical = models.BooleanField()

    class Meta:
        indexes = [
            models.Index(fields=["canonical", "phrase"], name="tagword_canonical_phrase"),
            models.Index(fields=["type", "canonical", "phrase"], name="tagword_type_phrase"),
        ]
        constraints = [models.UniqueConstraint(fields=["tag", "phrase"], name="tagword_unique")]

    def __str__(self) -> str:
        return self.phrase


class Tagging(models.Model):
    """A tag on a work, in the order the creator gave it. Tags own it because wrangling
    rewrites taggings; its table keeps the name it had when works held it."""

    work = models.ForeignKey("works.Work", on_delete=models.CASCADE, related_name="taggings")
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="taggings")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        db_table = "works_tagging"
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["work", "tag"], name="tagging_unique")]

    def __str__(self) -> str:
        return f"{self.tag} on {self.work}"


def works_table() -> str:
    """The works' table, for the bulk SQL of filters and wrangling: named through the foreign
    key that points at it, since tags sit below works and never import them."""
    work = Tagging._meta.get_field("work").related_model
    assert isinstance(work, type) and issubclass(work, models.Model)
    return work._meta.db_table


class FilterTagging(models.Model):
    """A canonical tag that a work is found by: one of its tags (or the canonical of a
    synonym), or, `inherited`, a meta tag of one of those. Computed by tags.filters only."""

    pk = models.CompositePrimaryKey("work", "filter")
    work = models.ForeignKey(
        "works.Work", on_delete=models.CASCADE, related_name="filter_taggings", db_index=False
    )
    filter = models.ForeignKey(
        Tag, on_delete=models.CASCADE, related_name="filter_taggings", db_index=False
    )
    inherited = models.BooleanField(default=False)

    class Meta:
        indexes = [models.Index(fields=["filter", "work"], name="filtertagging_filter_work")]

    def __str__(self) -> str:
        return f"{self.filter} on {self.work_id}"


class StaleWork(models.Model):
    """A work whose filter tags wait to be recomputed after a wrangling change. `version` goes
    up each time the work is marked again, so that a recompute clears only the marks it saw."""

    work = models.OneToOneField(
        "works.Work", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)
    reason = models.CharField(max_length=200)

    def __str__(self) -> str:
        return f"{self.work_id} ({self.reason})"
