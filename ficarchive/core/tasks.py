"""The archive's own housekeeping, run by the scheduler (core.queue.scheduler)."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.sessions.models import Session
from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from ficarchive.core.models import PeriodicRun, SentMail
from ficarchive.core.queue.scheduler import periodic

# Finished jobs and sent-mail records are kept this long, for admins to look at and for a
# late rerun of a job to find its mail already sent.
KEEP_DAYS = 7


@periodic(every=timedelta(days=1))
@task()
def sessions_clear() -> int:
    """Delete expired sessions (what Django's `clearsessions` does)."""
    deleted, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return deleted


@periodic(every=timedelta(days=1))
@task()
def queue_prune() -> int:
    """Forget finished jobs, scheduler slots and sent-mail records past KEEP_DAYS."""
    before = timezone.now() - timedelta(days=KEEP_DAYS)
    deleted = DBTaskResult.objects.successful().filter(finished_at__lt=before).delete()[0]
    deleted += PeriodicRun.objects.filter(slot__lt=before).delete()[0]
    deleted += SentMail.objects.filter(sent_at__lt=before).delete()[0]
    return deleted
