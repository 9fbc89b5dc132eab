"""One scheduler for periodic work: each slot is enqueued once however many nodes tick, and
the scheduled posting that the indexer used to do runs from it."""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

import pytest
from django.utils import timezone

from ficarchive.core.models import PeriodicRun
from ficarchive.core.queue.inspect import jobs_list
from ficarchive.core.queue.scheduler import periodic_tasks, scheduler_tick
from ficarchive.works.models import Work
from tests.core.tasks.drain import run_ready_in_this_transaction
from tests.factories import WorkFactory

PUBLISH = "ficarchive.works.tasks.scheduled_works_publish"


def test_the_periodic_jobs_are_declared() -> None:
    every = {entry.name: entry.every for entry in periodic_tasks()}
    assert every[PUBLISH] == dt.timedelta(seconds=15)
    assert every["ficarchive.core.tasks.sessions_clear"] == dt.timedelta(days=1)


def test_schedulers_on_several_nodes_enqueue_each_slot_once(backend: str) -> None:
    now = timezone.now()
    results: list[list[str]] = []
    threads = [
        threading.Thread(target=lambda: results.append(scheduler_tick(now))) for _ in range(4)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    enqueued = [name for result in results for name in result]
    assert sorted(enqueued) == sorted(entry.name for entry in periodic_tasks())
    assert PeriodicRun.objects.filter(name=PUBLISH).count() == 1
    assert len([job for job in jobs_list(("queued",)) if job.task == PUBLISH]) == 1
    # The next slot is enqueued again.
    assert PUBLISH in scheduler_tick(now + dt.timedelta(seconds=15))


# In the test's transaction, where the rows that migrations wrote (languages, fixed tags) are.
@pytest.mark.django_db
def test_a_scheduled_work_is_posted_by_the_scheduled_job(settings: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "ficarchive.core.queue.backends.DatabaseBackend"}}
    work = WorkFactory.create(posted=False, publish_at=timezone.now() - dt.timedelta(minutes=1))
    scheduler_tick()
    run_ready_in_this_transaction()
    assert Work.objects.get(pk=work.pk).posted
