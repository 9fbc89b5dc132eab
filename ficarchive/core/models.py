"""The core's tables: the archive's change log with its consumers' cursors, and the task
queue's own bookkeeping (live workers, periodic runs taken, mail already sent)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

# A log row with this work id asks for the whole search index to be rebuilt (after a bulk load
# that logged no rows of its own, such as the demo generator).
REBUILD_ALL = 0
# The work id of a row about a bookmark only (ChangeLog.bookmark_id): no work has it.
NO_WORK = -1


class ChangeLog(models.Model):
    """One change to one work, appended in the writer's own transaction (core.changes).

    Each consumer (a node's search index, later the notifier and feed caches) reads the rows
    after its own ChangeCursor. `work_id` is a plain number, not a foreign key, so that the log
    also tells of works that are gone.
    """

    id = models.BigAutoField(primary_key=True)
    work_id = models.BigIntegerField()
    # Set on a row about one bookmark (core.changes.bookmarks_changed), whose work_id is then
    # NO_WORK: the works' consumers pass over such rows, the bookmark index reads them.
    bookmark_id = models.BigIntegerField(null=True, blank=True)
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


class TaskWorker(models.Model):
    """A database worker that is alive as long as `seen_at` keeps moving; a job whose worker
    has fallen silent for TASKS_LEASE_SECONDS is run again by another (core.queue.worker)."""

    worker_id = models.CharField(max_length=64, primary_key=True)
    host = models.CharField(max_length=255)
    pid = models.IntegerField()
    started_at = models.DateTimeField()
    seen_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.worker_id} on {self.host} (pid {self.pid})"


class PeriodicRun(models.Model):
    """One periodic job's run for one time slot. The unique pair is the scheduler's lock:
    whichever node inserts it enqueues the job, so that no slot runs twice."""

    name = models.CharField(max_length=100)
    slot = models.DateTimeField()
    enqueued_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["name", "slot"], name="periodic_run_once"),
        ]

    def __str__(self) -> str:
        return f"{self.name} at {self.slot:%Y-%m-%d %H:%M:%S}"


class SentMail(models.Model):
    """A message the mail server has taken, by its idempotency key: a job run again after a
    crash finds it here and sends nothing a second time."""

    key = models.CharField(max_length=200, unique=True)
    to = models.CharField(max_length=254)
    subject = models.CharField(max_length=255)
    message_id = models.CharField(max_length=255)
    sent_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.subject} to {self.to}"


class CacheEntry(models.Model):
    """The shared cache's table when Redis is not configured (ficarchive.core.cache): rate
    limits, hit keys and guests' cached pages, in the one database every worker opens. The
    columns are those of Django's `createcachetable`, made by a migration instead so that
    `migrate` is the only step."""

    cache_key = models.CharField(max_length=255, primary_key=True)
    value = models.TextField()
    expires = models.DateTimeField(db_index=True)

    class Meta:
        db_table = "core_cache"

    def __str__(self) -> str:
        return self.cache_key
