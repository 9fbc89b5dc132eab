"""The archive's change log: which works changed, and why, for every reader of changes."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

# A log row with this work id asks for the whole search index to be rebuilt (after a bulk load
# that logged no rows of its own, such as the demo generator).
REBUILD_ALL = 0


class ChangeLog(models.Model):
    """One change to one work, appended in the writer's own transaction (core.changes).

    Each consumer (a node's search index, later the notifier and feed caches) reads the rows
    after its own ChangeCursor. `work_id` is a plain number, not a foreign key, so that the log
    also tells of works that are gone.
    """

    id = models.BigAutoField(primary_key=True)
    work_id = models.BigIntegerField()
    reason = models.CharField(max_length=200)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["created_at"], name="changelog_created_idx")]

    def __str__(self) -> str:
        return f"work {self.work_id}: {self.reason}"


class ChangeCursor(models.Model):
    """How far one consumer has read the change log: every row up to `last_id` is applied.

    Rows are pruned once every registered cursor has passed them; deleting a consumer's cursor
    unregisters it, so that it no longer holds the log back.
    """

    consumer = models.CharField(max_length=200, unique=True)
    last_id = models.BigIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.consumer} at {self.last_id}"
