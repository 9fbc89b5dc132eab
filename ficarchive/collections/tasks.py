"""Background work of the collections app, run by the task queue."""

from __future__ import annotations

from datetime import timedelta

from django_tasks import task

from ficarchive.collections.reveal import collections_reveal_due
from ficarchive.core.queue.scheduler import periodic


@periodic(every=timedelta(minutes=1))
@task()
def collections_reveal() -> int:
    """Reveal the collections whose reveal dates have come."""
    return collections_reveal_due()
