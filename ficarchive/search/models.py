"""The search index's inbox: which works changed, and why, since the indexer last looked."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

# A log row with this work id asks for the whole index to be rebuilt (after a bulk load that
# logged no rows of its own, such as the demo generator).
REBUILD_ALL = 0


class ChangeLog(models.Model):
    """One change to one work that the search index must learn of.

    Writers append rows in their own transaction (search.changes); the indexer takes the rows
    it has not applied, reindexes those works from the database and sets `indexed_at`. Applied
    rows stay for a while (search.indexer.KEEP_APPLIED) so that a rebuilt index can replay what
    changed while it was being built. `work_id` is a plain number, not a foreign key, so that
    the log also tells of works that are gone.
    """

    id = models.BigAutoField(primary_key=True)
    work_id = models.BigIntegerField()
    reason = models.CharField(max_length=200)
    created_at = models.DateTimeField(default=timezone.now)
    indexed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["id"],
                condition=models.Q(indexed_at__isnull=True),
                name="changelog_pending_idx",
            ),
            models.Index(fields=["created_at"], name="changelog_created_idx"),
        ]

    def __str__(self) -> str:
        return f"work {self.work_id}: {self.reason}"
