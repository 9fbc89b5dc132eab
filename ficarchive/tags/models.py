"""Tags: one model for every tag type, with the canonical flag and synonym link of wrangling."""

from __future__ import annotations

import unicodedata
from typing import Any

from django.db import models

TAG_NAME_MAX = 150


class TagType(models.TextChoices):
    """Tag types in the order the work header shows them; values double as CSS classes."""

    RATING = "rating", "Rating"
    WARNING = "warning", "Archive Warning"
    CATEGORY = "category", "Category"
    FANDOM = "fandom", "Fandom"
    RELATIONSHIP = "relationship", "Relationship"
    CHARACTER = "character", "Character"
    FREEFORM = "freeform", "Additional Tags"

    @classmethod
    def order(cls, value: str) -> int:
        return cls.values.index(value)


# Types that the archive fixes (created by a migration) and types creators may invent.
FIXED_TYPES = (TagType.RATING, TagType.WARNING, TagType.CATEGORY)
USER_DEFINED_TYPES = (
    TagType.FANDOM,
    TagType.RELATIONSHIP,
    TagType.CHARACTER,
    TagType.FREEFORM,
)


def tag_key(name: str) -> str:
    """The lookup key that makes tag names unique regardless of case and Unicode form."""
    return unicodedata.normalize("NFKC", name).casefold()


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

    class Meta:
        indexes = [models.Index(fields=["type", "canonical"])]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(canonical=True, merger__isnull=False),
                name="canonical_tag_is_no_synonym",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.key = tag_key(self.name)
        super().save(*args, **kwargs)
