"""Background work of the works app, run by the task queue."""

from __future__ import annotations

from datetime import timedelta

from django_tasks import task

from ficarchive.core.queue.scheduler import periodic
from ficarchive.works.posting import works_publish_due


@periodic(every=timedelta(seconds=15))
@task()
def scheduled_works_publish() -> int:
    """Post the scheduled works that are due (`ficarchive publish_scheduled` does it by hand)."""
    return works_publish_due()
