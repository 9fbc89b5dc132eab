"""The two task backends the archive runs on, chosen by TASKS_URL (settings.py): the
database (django-tasks-db) and Redis through RQ (django-tasks-rq). Both take tasks through
Django's Tasks interface (`@task`, `.enqueue()`); what they add is the same retry policy."""

from __future__ import annotations

import math
from typing import Any, TypeVar

import django_rq
from django.conf import settings
from django.db import transaction
from django_tasks.base import TASK_MAX_PRIORITY, Task, TaskResult, TaskResultStatus
from django_tasks.signals import task_enqueued
from django_tasks.utils import get_random_id
from django_tasks_db import DatabaseBackend as _DatabaseBackend
from django_tasks_rq.backend import RQBackend as _RQBackend
from rq.job import Callback, JobStatus, Retry
from rq.queue import Queue
from typing_extensions import ParamSpec

from ficarchive.core.queue.rq_worker import ArchiveJob, failed_callback, success_callback

T = TypeVar("T")
P = ParamSpec("P")

MAX_RETRY_SECONDS = 3600.0


def retry_delay(attempt: int) -> float:
    """Seconds to wait after the `attempt`-th failed try (1-based) before the next."""
    return min(MAX_RETRY_SECONDS, settings.TASKS_RETRY_SECONDS * 4 ** (attempt - 1))


def retries_left(attempts: int) -> int:
    return max(0, settings.TASKS_MAX_ATTEMPTS - attempts)


class DatabaseBackend(_DatabaseBackend):
    """Jobs are rows in the archive's own database, written in the caller's transaction (a
    job enqueued by a write that rolls back is never run). The worker (core.queue.worker)
    retries, and takes jobs with SELECT ... FOR UPDATE SKIP LOCKED on PostgreSQL."""


class RQBackend(_RQBackend):
    """Jobs are RQ jobs in Redis, pushed once the caller's transaction commits, with RQ's own
    retries on the archive's schedule; `ficarchive worker` runs RQ workers
    (core.queue.rq_worker), which re-enqueue retries and the jobs of workers that died."""

    def enqueue(
        self,
        task: Task[P, T],
        args: P.args,  # type: ignore[valid-type]
        kwargs: P.kwargs,  # type: ignore[valid-type]
    ) -> TaskResult[T]:
        self.validate_task(task)
        task_result: TaskResult[T] = TaskResult(
            task=task,
            id=get_random_id(),
            status=TaskResultStatus.READY,
            enqueued_at=None,
            started_at=None,
            last_attempted_at=None,
            finished_at=None,
            args=args,
            kwargs=kwargs,
            backend=self.alias,
            errors=[],
            worker_ids=[],
        )
        transaction.on_commit(lambda: self._push(task, task_result))
        return task_result

    def __init__(self, alias: str, params: dict[str, Any]) -> None:
        super().__init__(alias, params)
        self._queues: dict[str, Queue] = {}

    def queue(self, name: str) -> Queue:
        """The RQ queue `name`, on one Redis connection pool kept for the process: django_rq
        opens a new connection each time it is asked, which cost more than the enqueue."""
        if name not in self._queues:
            self._queues[name] = django_rq.get_queue(name, job_class=ArchiveJob)
        return self._queues[name]

    def _push(self, task: Task[Any, Any], task_result: TaskResult[Any]) -> None:
        queue = self.queue(task.queue_name)
        retries = retries_left(1)
        # RQ counts retry intervals in whole seconds.
        intervals = [math.ceil(retry_delay(n)) for n in range(1, retries + 1)]
        job = queue.create_job(
            task.module_path,
            args=task_result.args,
            kwargs=task_result.kwargs,
            job_id=task_result.id,
            status=JobStatus.SCHEDULED if task.run_after else JobStatus.QUEUED,
            on_failure=Callback(failed_callback),
            on_success=Callback(success_callback),
            meta={"backend_name": self.alias, "max_attempts": retries + 1},
            retry=(Retry(max=retries, interval=intervals) if retries else None),
        )
        if task.run_after is None:
            job = queue.enqueue_job(job, at_front=task.priority == TASK_MAX_PRIORITY)
        else:
            job = queue.schedule_job(job, task.run_after)
        object.__setattr__(task_result, "enqueued_at", job.enqueued_at)
        task_enqueued.send(type(self), task_result=task_result)
