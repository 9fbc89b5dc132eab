"""The worker that `ficarchive worker` and `ficarchive serve` run, on either backend.

On the database, django-tasks-db's worker takes the jobs; this one adds a heartbeat, so that a
job whose worker died (kill -9, a lost machine) is run again once the worker has been silent
for TASKS_LEASE_SECONDS, and bounded retries with backoff. On Redis, RQ's own worker does both.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connections, transaction
from django.utils import timezone
from django.utils.crypto import get_random_string
from django_tasks import TaskContext, task_backends
from django_tasks.signals import task_finished, task_started
from django_tasks_db.management.commands.db_worker import Worker as _DatabaseWorker
from django_tasks_db.models import DBTaskResult

from ficarchive.core.models import TaskWorker
from ficarchive.core.queue.backends import RQBackend, retry_delay

logger = logging.getLogger(__name__)


class WorkerDied(RuntimeError):
    """Recorded as a job's error when its worker stopped being heard from mid-job."""


def new_worker_id() -> str:
    return f"{socket.gethostname()[:40]}-{os.getpid()}-{get_random_string(8)}"[-64:]


def jobs_requeue_stale(now: datetime | None = None) -> int:
    """Put back in the queue the jobs left running by workers that have been silent for
    TASKS_LEASE_SECONDS; a job that has used its tries is kept as failed instead. Returns how
    many were put back."""
    now = now or timezone.now()
    cutoff = now - timedelta(seconds=settings.TASKS_LEASE_SECONDS)
    live = set(TaskWorker.objects.filter(seen_at__gte=cutoff).values_list("worker_id", flat=True))
    requeued = 0
    for job in DBTaskResult.objects.running().filter(started_at__lt=cutoff):
        if job.worker_ids and job.worker_ids[-1] in live:
            continue
        with transaction.atomic():
            if len(job.worker_ids) >= settings.TASKS_MAX_ATTEMPTS:
                job.status = "FAILED"
                job.finished_at = now
                job.exception_class_path = f"{WorkerDied.__module__}.{WorkerDied.__qualname__}"
                job.traceback = f"worker {job.worker_ids[-1]} stopped mid-job; no tries left\n"
                fields = ["status", "finished_at", "exception_class_path", "traceback"]
            else:
                job.status = "READY"
                job.run_after = now
                fields = ["status", "run_after"]
                requeued += 1
            # Only if no live worker took it back meanwhile.
            DBTaskResult.objects.filter(pk=job.pk, status="RUNNING").update(
                **{field: getattr(job, field) for field in fields}
            )
    TaskWorker.objects.filter(seen_at__lt=cutoff - timedelta(days=1)).delete()
    return requeued


class DatabaseWorker(_DatabaseWorker):
    def __init__(self, *, heartbeat: bool = True, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.heartbeat = heartbeat
        self.stopping = threading.Event()

    def run(self) -> None:
        now = timezone.now()
        TaskWorker.objects.update_or_create(
            worker_id=self.worker_id,
            defaults={
                "host": socket.gethostname()[:255],
                "pid": os.getpid(),
                "started_at": now,
                "seen_at": now,
            },
        )
        beat = None
        if self.heartbeat:
            beat = threading.Thread(target=self._beat, name="worker-heartbeat", daemon=True)
            beat.start()
        try:
            super().run()
        finally:
            self.stopping.set()
            if beat is not None:
                beat.join(timeout=10)
            TaskWorker.objects.filter(worker_id=self.worker_id).delete()

    def _beat(self) -> None:
        every = max(0.2, settings.TASKS_LEASE_SECONDS / 4)
        try:
            while not self.stopping.wait(every):
                try:
                    TaskWorker.objects.filter(worker_id=self.worker_id).update(
                        seen_at=timezone.now()
                    )
                    jobs_requeue_stale()
                except Exception:
                    logger.exception("worker heartbeat failed; trying again")
        finally:
            connections.close_all()

    def run_task(self, db_task_result: DBTaskResult) -> None:
        try:
            self.running_task = True
            task = db_task_result.task
            task_result = db_task_result.task_result
            sender = type(task.get_backend())
            task_started.send(sender=sender, task_result=task_result)
            if task.takes_context:
                value = task.call(
                    TaskContext(task_result=task_result), *task_result.args, **task_result.kwargs
                )
            else:
                value = task.call(*task_result.args, **task_result.kwargs)
            db_task_result.set_successful(value)
            task_finished.send(sender=sender, task_result=db_task_result.task_result)
        except Exception as error:
            self._failed(db_task_result, error)
        finally:
            self.running_task = False
            self._run_tasks += 1

    def _failed(self, job: DBTaskResult, error: Exception) -> None:
        attempts = len(job.worker_ids)
        if attempts >= settings.TASKS_MAX_ATTEMPTS:
            logger.error(
                "task %s %s failed for good after %d tries", job.task_path, job.id, attempts
            )
            job.set_failed(error)
            return
        job.set_failed(error)
        # Ready again later, with the error kept where admins and `ficarchive tasks` see it.
        delay = retry_delay(attempts)
        logger.warning(
            "task %s %s failed (try %d); again in %.0fs", job.task_path, job.id, attempts, delay
        )
        job.status = "READY"
        job.finished_at = None
        job.run_after = timezone.now() + timedelta(seconds=delay)
        job.save(update_fields=["status", "finished_at", "run_after"])


def run_worker(
    *,
    batch: bool = False,
    max_tasks: int | None = None,
    interval: float = 1.0,
    queue_names: tuple[str, ...] = ("default",),
    worker_id: str | None = None,
) -> None:
    """Run a worker for the configured backend until it is stopped (or, with `batch`, until
    the queue is empty)."""
    backend = task_backends["default"]
    if isinstance(backend, RQBackend):
        _run_rq_worker(batch=batch, max_tasks=max_tasks, queue_names=queue_names)
        return
    worker = DatabaseWorker(
        queue_names=list(queue_names),
        interval=interval,
        batch=batch,
        backend_name="default",
        startup_delay=not batch,
        max_tasks=max_tasks,
        worker_id=worker_id or new_worker_id(),
        excluded_queue_names=[],
    )
    worker.configure_signals()
    worker.run()


def _run_rq_worker(*, batch: bool, max_tasks: int | None, queue_names: tuple[str, ...]) -> None:
    import django_rq
    from django_tasks_rq.backend import Job

    # Jobs run in this process, one at a time as on the database, with the Django database
    # connections it owns (a forked work horse would share the parent's).
    worker = django_rq.get_worker(*queue_names, job_class=Job, worker_class="rq.SimpleWorker")
    worker.work(with_scheduler=True, burst=batch, max_jobs=max_tasks, logging_level="WARNING")
