"""The database worker takes quick jobs a few at a time and records them together, without
letting that change what each job's row ends up saying."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tasks_db.models import DBTaskResult

from bench.noop_task import noop
from ficarchive.core.queue import claims
from ficarchive.core.queue.claims import CLAIM_MAX, claim_size
from ficarchive.core.queue.worker import DatabaseWorker
from tests.core.tasks.jobs import WORKERS, returns_unstorable, stop_worker


@pytest.fixture
def database_queue(settings: Any, transactional_db: None) -> None:
    settings.TASKS = {"default": {"BACKEND": "ficarchive.core.queue.backends.DatabaseBackend"}}


def _worker(worker_id: str = "test-worker") -> DatabaseWorker:
    worker = DatabaseWorker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=worker_id,
        excluded_queue_names=[],
        heartbeat=False,
    )
    WORKERS[worker_id] = worker
    return worker


def test_quick_jobs_are_claimed_in_growing_batches_and_slow_ones_alone() -> None:
    assert claim_size(1, 0.0001) == 2
    assert claim_size(16, 0.0001) == 32
    assert claim_size(CLAIM_MAX, 0.0001) == CLAIM_MAX
    assert claim_size(32, 0.5) == 1


def test_many_quick_jobs_cost_a_fraction_of_a_query_each(database_queue: None) -> None:
    for n in range(200):
        noop.enqueue(n)
    with CaptureQueriesContext(connection) as queries:
        _worker().run()
    jobs = DBTaskResult.objects.all()
    assert {job.status for job in jobs} == {"SUCCESSFUL"}
    assert sorted(job.return_value for job in jobs) == list(range(200))
    assert all(job.finished_at and job.worker_ids == ["test-worker"] for job in jobs)
    # A claim and a record per batch, not per job (the first jobs are claimed one by one).
    assert len(queries) < 100


def test_a_value_that_cannot_be_stored_fails_its_job_only(database_queue: None) -> None:
    noop.enqueue(1)
    returns_unstorable.enqueue()
    noop.enqueue(2)
    _worker().run()
    done = DBTaskResult.objects.filter(status="SUCCESSFUL")
    assert sorted(job.return_value for job in done) == [1, 2]
    failed = DBTaskResult.objects.get(task_path__endswith="returns_unstorable")
    # Failed once, and waiting for its retry with the error kept.
    assert failed.status == "READY" and "TypeError" in failed.traceback


def test_a_stopped_worker_gives_back_the_jobs_it_claimed_but_did_not_start(
    database_queue: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Every job counts as quick: claims go 1, 2, 4, 8, so the stop comes mid-batch.
    monkeypatch.setattr(claims, "CLAIM_SECONDS", 1000.0)
    for n in range(10):
        noop.enqueue(n)
    stop_worker.enqueue("stopping-worker")
    for n in range(10, 40):
        noop.enqueue(n)
    _worker("stopping-worker").run()
    assert DBTaskResult.objects.filter(status="SUCCESSFUL").count() == 11
    left = DBTaskResult.objects.filter(status="READY")
    assert left.exists()
    assert all(job.worker_ids == [] and job.started_at is None for job in left)
    assert not DBTaskResult.objects.filter(status="RUNNING").exists()
