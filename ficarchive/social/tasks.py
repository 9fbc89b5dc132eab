"""The social app's periodic work, run by the scheduler (core.queue.scheduler)."""

from __future__ import annotations

from datetime import timedelta

from django_tasks import task

from ficarchive.core.queue.scheduler import periodic
from ficarchive.social.updates import updates_scan


@periodic(every=timedelta(seconds=2))
@task()
def updates_find() -> int:
    """Find the works and chapters posted since the last run and queue their deliveries to
    subscribers (social.updates)."""
    return updates_scan()
