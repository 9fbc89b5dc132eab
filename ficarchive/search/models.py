"""The search index's inbox: which works changed, and why, since the indexer last looked."""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class ChangeLog(models.Model):
    """One change to one work that the search index must learn of.

    Writers append rows (search.changes.works_changed); the indexer reads them in id order from
    the last id it handled, reindexes those works and may then delete what it read. `work_id` is
    a plain number, not a foreign key, so that the log also tells of works that are gone.
    """

    id = models.BigAutoField(primary_key=True)
    work_id = models.BigIntegerField()
    reason = models.CharField(max_length=200)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"work {self.work_id}: {self.reason}"
