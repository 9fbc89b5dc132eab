"""The queue's own bookkeeping: live workers, periodic runs taken, mail already sent."""

from __future__ import annotations

from django.db import models


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
