"""What imports keep after they ran: the old ids of an imported archive and the rows they
became, for old links (301 redirects) and for running an import again without duplicates."""

from __future__ import annotations

from django.db import models


class LegacyKind(models.TextChoices):
    AUTHOR = "author", "eFiction member (uid) to user"
    STORY = "story", "eFiction story (sid) to work"
    CHAPTER = "chapter", "eFiction chapter (chapid) to chapter"
    SERIES = "series", "eFiction series (seriesid) to series"
    CATEGORY = "category", "eFiction category (catid) to fandom tag"
    REVIEW = "review", "eFiction review (reviewid) to comment"
    RESPONSE = "response", "eFiction author response (reviewid) to reply"
    FAVORITE = "favorite", "eFiction favourite (uid:type:item) done"


class LegacyLink(models.Model):
    """eFiction's `old_id` of one kind became the row `new_id` (of the model the kind names).
    Favourites have no id of their own: their key is `uid:type:item`."""

    kind = models.CharField(max_length=16, choices=LegacyKind.choices)
    old_id = models.CharField(max_length=64)
    new_id = models.BigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "old_id"], name="legacy_link_once"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.old_id} -> {self.new_id}"
