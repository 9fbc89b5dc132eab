"""The worker that `ficarchive worker` and `ficarchive serve` run, on either backend.

On the database, django-tasks-db's worker takes the jobs; this one adds a heartbeat, so that a
job whose worker died (kill -9, a lost machine) is run again once the worker has been silent
for TASKS_LEASE_SECONDS, and bounded retries with backoff. On Redis, RQ's worker does both,
with a lease of the same length (core.queue.rq_worker).
"""

from __future__ import annotations

import json
import logging
import os
import random
import socket
import threading
import time
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import OperationalError, close_old_connections, connections, transaction
from django.utils import timezone
from django.utils.crypto import get_random_string
from django_tasks import TaskContext, task_backends
from django_tasks.signals import task_finished, task_started
from django_tasks_db.management.commands.db_worker import Worker as _DatabaseWorker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction, is_locked_database_exception

from ficarchive.core.models import TaskWorker
from ficarchive.core.queue.backends import RQBackend, retry_delay
from ficarchive.core.queue.claims import claim_size

logger = logging.getLogger(__name__)

# While jobs keep coming, a worker keeps its database connection and checks it (Django's
# CONN_MAX_AGE and health checks) this often, instead of before every job: on SQLite, whose
# CONN_MAX_AGE is 0, each check closes the connection, and reopening it cost more than a job.
CONNECTION_CHECK_SECONDS = 5.0

SUCCESS_FIELDS = ("status", "return_value", "finished_at", "exception_class_path", "traceback")


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
            self._loop()
        finally:
            self.stopping.set()
            if beat is not None:
                beat.join(timeout=10)
            TaskWorker.objects.filter(worker_id=self.worker_id).delete()

    def _loop(self) -> None:
        """Take the next jobs as soon as the last are done; wait `interval` only when the
        queue is empty. This is django-tasks-db's loop, with the connection kept between
        jobs, jobs claimed a few at a time and their successes recorded together."""
        logger.info("worker %s started on %s", self.worker_id, ",".join(self.queue_names))
        if self.startup_delay and self.interval:
            # Workers started together do not all look at the queue at the same instant.
            time.sleep(random.random())
        checked_at = 0.0
        claim = 1
        while self.running:
            # A stop signal between the jobs of a batch waits for it to be recorded.
            self.running_task = True
            if time.monotonic() - checked_at >= CONNECTION_CHECK_SECONDS:
                close_old_connections()
                checked_at = time.monotonic()
            if self.max_tasks is not None:
                claim = min(claim, self.max_tasks - self._run_tasks)
            jobs, looked = self._claim(claim)
            started = time.monotonic()
            done = []
            for n, job in enumerate(jobs):
                if not self.running:
                    self._release(jobs[n:])
                    break
                success = self._perform(job)
                if success is None:
                    # A failed job may have left the connection broken: check it first.
                    checked_at = 0.0
                else:
                    done.append(success)
            self._record(done)
            self.running_task = False
            if jobs:
                claim = claim_size(claim, (time.monotonic() - started) / len(jobs))
            if self.batch and looked and not jobs:
                return
            if self.max_tasks is not None and self._run_tasks >= self.max_tasks:
                return
            if self.running and not jobs:
                checked_at = 0.0
                claim = 1
                time.sleep(self.interval)

    def _claim(self, count: int) -> tuple[list[DBTaskResult], bool]:
        """Up to `count` ready jobs, claimed for this worker; and whether the queue could be
        looked at (False while SQLite's database is locked by another writer)."""
        ready = DBTaskResult.objects.ready().filter(backend_name=self.backend_name)
        if not self.process_all_queues:
            ready = ready.filter(queue_name__in=self.queue_names)
        try:
            with exclusive_transaction(ready.db):
                jobs = list(ready.select_for_update(skip_locked=True)[:count])
                now = timezone.now()
                # One UPDATE per distinct list of earlier workers (a first try has none), as
                # bulk_update's CASE per row cost more than the jobs themselves.
                tried_by: dict[tuple[str, ...], list[DBTaskResult]] = {}
                for job in jobs:
                    tried_by.setdefault(tuple(job.worker_ids), []).append(job)
                    job.status = "RUNNING"
                    job.started_at = now
                    job.worker_ids = [*job.worker_ids, self.worker_id]
                for group in tried_by.values():
                    DBTaskResult.objects.filter(pk__in=[job.pk for job in group]).update(
                        status="RUNNING", started_at=now, worker_ids=group[0].worker_ids
                    )
        except OperationalError as error:
            if is_locked_database_exception(error):
                return [], False
            raise
        return jobs, True

    def _release(self, jobs: list[DBTaskResult]) -> None:
        """Give back claimed jobs that this worker, told to stop, will not start: they are
        ready again, and the claim does not count as a try."""
        for job in jobs:
            DBTaskResult.objects.filter(pk=job.pk, status="RUNNING").update(
                status="READY", started_at=None, worker_ids=job.worker_ids[:-1]
            )

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

    def run_task(self, db_task_result: DBTaskResult) -> bool:  # type: ignore[override]
        """Run one claimed job and record how it ended; returns whether it succeeded."""
        self.running_task = True
        try:
            success = self._perform(db_task_result)
            if success is not None:
                self._record([success])
        finally:
            self.running_task = False
        return success is not None

    def _perform(self, job: DBTaskResult) -> tuple[DBTaskResult, Any] | None:
        """Run one claimed job; returns it with its return value, for `_record`, or None
        when it failed (and its failure is recorded already)."""
        try:
            task = job.task
            task_result = job.task_result
            task_started.send(sender=type(task.get_backend()), task_result=task_result)
            if task.takes_context:
                value = task.call(
                    TaskContext(task_result=task_result), *task_result.args, **task_result.kwargs
                )
            else:
                value = task.call(*task_result.args, **task_result.kwargs)
            # A value that cannot be stored fails the job here, not the batch's record.
            json.dumps(value, cls=DBTaskResult._meta.get_field("return_value").encoder)
        except Exception as error:
            self._failed(job, error)
            return None
        finally:
            self._run_tasks += 1
        return job, value

    def _record(self, done: list[tuple[DBTaskResult, Any]]) -> None:
        """Mark jobs that ran as successful, in one transaction: one commit per batch
        rather than per job (on PostgreSQL each commit waits for the disk). A worker killed
        before this runs its last few jobs again, as with any job whose worker died."""
        if not done:
            return
        now = timezone.now()
        for job, value in done:
            job.status = "SUCCESSFUL"
            job.finished_at = now
            job.return_value = value
            job.exception_class_path = ""
            job.traceback = ""
        meta = DBTaskResult._meta
        connection = connections[DBTaskResult.objects.db]
        quote = connection.ops.quote_name
        fields = [field for field in meta.concrete_fields if field.name in SUCCESS_FIELDS]
        assignments = ", ".join(f"{quote(field.column)} = %s" for field in fields)
        # One statement run for many rows: psycopg pipelines it into one round trip, where an
        # UPDATE per job, each waiting for its answer, was most of a quick job's cost.
        sql = f"UPDATE {quote(meta.db_table)} SET {assignments} WHERE {quote(meta.pk.column)} = %s"
        rows = [
            [field.get_db_prep_save(getattr(job, field.attname), connection) for field in fields]
            + [meta.pk.get_db_prep_value(job.pk, connection)]
            for job, _ in done
        ]
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            cursor.executemany(sql, rows)
        for job, _ in done:
            task_finished.send(sender=type(job.task.get_backend()), task_result=job.task_result)

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
    # RQ and its worker are loaded only by an archive that queues on Redis.
    from ficarchive.core.queue.rq_worker import run_rq_worker

    run_rq_worker(batch=batch, max_tasks=max_tasks, queue_names=queue_names)
