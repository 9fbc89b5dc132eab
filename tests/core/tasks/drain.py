"""Run the queue's jobs in the test's process until none is ready, on either backend."""

from __future__ import annotations

from ficarchive.core.queue.worker import DatabaseWorker


def drain(backend: str) -> None:
    if backend == "database":
        DatabaseWorker(
            queue_names=["default"],
            interval=0,
            batch=True,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id="test-worker",
            excluded_queue_names=[],
            heartbeat=False,
        ).run()
        return
    from ficarchive.core.queue.rq_worker import run_rq_worker

    run_rq_worker(batch=True, max_tasks=None, queue_names=("default",))


def run_ready_in_this_transaction() -> None:
    """The database backend's ready jobs, run by a worker inside the test's own transaction
    (where the rows that migrations wrote are; a worker's loop would close the connection)."""
    from django_tasks_db.models import DBTaskResult

    worker = DatabaseWorker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
        heartbeat=False,
    )
    for job in DBTaskResult.objects.ready():
        job.claim(worker.worker_id)
        worker.run_task(job)
