"""The worker that `ficarchive worker` runs on Redis: RQ's SimpleWorker (jobs run in the
worker's own process, one at a time, with the Django database connections it owns), with

- leases: a job's entry in RQ's StartedJobRegistry expires TASKS_LEASE_SECONDS after its worker
  was last heard from (a keeper thread renews it while the job runs), instead of the job's
  timeout plus a minute; so a job whose worker was killed is taken for abandoned after a lease;
- a keeper thread that hands abandoned jobs to RQ's own StartedJobRegistry.cleanup (which
  retries them, counting the lost run as a try, or keeps them as failed) and moves due retries
  and scheduled jobs to the queue. RQ's own scheduler is a forked process, which outlives a
  worker killed with SIGKILL and holds its lock for a minute; this one dies with its worker;
- fewer round trips to Redis per job (docs/tasks.md, "How a Redis worker takes jobs"):
  quick jobs are taken a batch at a time (as many as it expects to finish in a moment, as the
  database worker claims them), into a list of the worker's own that another worker's keeper
  gives back to the queue once the worker is no longer heard from.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections import deque
from typing import Any

import django_rq
from django.conf import settings
from django_tasks.base import TaskResult, TaskResultStatus
from django_tasks.signals import task_finished, task_started
from django_tasks.utils import get_module_path
from django_tasks_rq.backend import Job
from redis import Redis
from redis.client import Pipeline
from rq.executions import Execution
from rq.job import Job as BaseJob
from rq.job import JobStatus
from rq.queue import Queue
from rq.scheduler import RQScheduler, release_lock
from rq.timeouts import TimerDeathPenalty
from rq.utils import as_text, now
from rq.worker import SimpleWorker, WorkerStatus

from ficarchive.core.queue.claims import claim_size

logger = logging.getLogger(__name__)

# The keeper moves due retries and scheduled jobs this often (RQ's scheduler: every second).
SCHEDULE_SECONDS = 1.0
# One worker at a time moves scheduled jobs; a worker that dies holding the lock holds it this
# long at most (RQ's scheduler lock: a minute).
SCHEDULE_LOCK_SECONDS = 10
# A heartbeat that RQ asks for outside a pipeline is skipped when the last is this recent: RQ
# asks for three a job, three round trips each, and the keeper sends them anyway.
HEARTBEAT_SECONDS = 1.0
# The jobs a worker has taken and not yet started wait in a list of its own; it is alive while
# its key is (renewed by its keeper, for one lease).
TAKEN_KEY = "ficarchive:rq:taken:{queue}:{worker}"
TAKEN_PATTERN = "ficarchive:rq:taken:*"
ALIVE_KEY = "ficarchive:rq:alive:{worker}"


class ArchiveJob(Job):
    """django-tasks-rq's job, whose signals carry a TaskResult built from the job in hand:
    django-tasks-rq's reads the job's status and history back from Redis (three round trips)
    twice a job, which cost more than a quick job itself. `task_result` (a task's context,
    `get_result`) is still the full one."""

    def perform(self) -> Any:
        task_started.send(type(self.func.get_backend()), task_result=self.signal_result())
        return BaseJob.perform(self)

    def signal_result(self, status: TaskResultStatus = TaskResultStatus.RUNNING) -> TaskResult:
        task = self.func
        started = self.started_at
        return TaskResult(
            task=task,
            id=self.id,
            status=status,
            enqueued_at=self.enqueued_at,
            started_at=started,
            last_attempted_at=started,
            finished_at=self.ended_at,
            args=list(self.args),
            kwargs=self.kwargs,
            backend=self.meta.get("backend_name", "default"),
            errors=[],
            worker_ids=[self.worker_name] if self.worker_name else [],
        )


def success_callback(job: BaseJob, connection: Redis | None, result: Any) -> None:
    """RQ's on_success callback: the task_finished signal."""
    signal_result = _signal_result(job, TaskResultStatus.SUCCESSFUL)
    task_finished.send(type(signal_result.task.get_backend()), task_result=signal_result)


def failed_callback(
    job: BaseJob,
    connection: Redis | None,
    exception_class: type[BaseException],
    exception_value: BaseException,
    traceback: Any,
) -> None:
    """RQ's on_failure callback: the exception's class kept in the job's meta (where
    django-tasks-rq's TaskResult finds it), and the task_finished signal."""
    job.meta.setdefault("_django_tasks_rq_exceptions", []).append(get_module_path(exception_class))
    job.save_meta()
    signal_result = _signal_result(job, TaskResultStatus.FAILED)
    task_finished.send(type(signal_result.task.get_backend()), task_result=signal_result)


def _signal_result(job: BaseJob, status: TaskResultStatus) -> TaskResult:
    if isinstance(job, ArchiveJob):
        return job.signal_result(status)
    # A job fetched with another class (RQ's cleanup of an abandoned job, for one).
    fetched = ArchiveJob.fetch(job.id, connection=job.connection)
    assert isinstance(fetched, ArchiveJob)
    return fetched.signal_result(status)


def lease_seconds() -> int:
    return max(1, math.ceil(settings.TASKS_LEASE_SECONDS))


class ArchiveWorker(SimpleWorker):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.lease = lease_seconds()
        self._beat_at = 0.0
        self._suspension_checked_at = 0.0
        self._state_unsaved = False
        self._stopping = threading.Event()
        self._keeper: threading.Thread | None = None
        self._pending: Pipeline | None = None
        self._taken: deque[tuple[BaseJob, Queue]] = deque()
        self._taken_size = 1  # how many the last batch took
        self._taken_at = 0.0
        super().__init__(*args, **kwargs)

    def dequeue_job_and_maintain_ttl(
        self, timeout: int | None, max_idle_time: int | None = None
    ) -> tuple[BaseJob, Queue] | None:
        """The next job this worker took in its last batch; once they are done, a new batch
        (one round trip to take it and one to read it, where RQ makes two a job); when the
        queue is empty, RQ's own wait for the next job."""
        if not self._taken:
            self.take_batch()
        if self._taken:
            return self._taken.popleft()
        return super().dequeue_job_and_maintain_ttl(timeout, max_idle_time)

    def take_batch(self) -> None:
        """Move up to `claim_size` jobs from the head of the queue to this worker's own list,
        in one round trip, and read them in another."""
        if len(self.queues) != 1:
            return  # several queues: RQ's order between them, a job at a time
        queue = self.queues[0]
        # The last batch's jobs are done: they took this long each.
        seconds = (time.monotonic() - self._taken_at) / self._taken_size
        size = claim_size(self._taken_size, seconds)
        key = self.taken_key(queue)
        with self.connection.pipeline(transaction=False) as pipeline:
            # Alive first: the jobs it takes are given back if it stops being so.
            pipeline.set(self.alive_key(), 1, ex=self.lease)
            for _ in range(size):
                pipeline.lmove(queue.key, key, "LEFT", "RIGHT")
            ids = [as_text(found) for found in pipeline.execute()[1:] if found is not None]
        self._taken_at = time.monotonic()
        self._taken_size = max(1, len(ids))
        if not ids:
            return
        jobs = self.job_class.fetch_many(
            ids, connection=self.connection, serializer=self.serializer
        )
        version = self.get_redis_server_version()
        for job_id, job in zip(ids, jobs, strict=True):
            if job is None:  # deleted while it waited
                self.connection.lrem(key, 1, job_id)
                continue
            job.redis_server_version = version
            job.ficarchive_taken_key = key  # type: ignore[attr-defined]
            self._taken.append((job, queue))

    def taken_key(self, queue: Queue) -> str:
        return TAKEN_KEY.format(queue=queue.name, worker=self.name)

    def alive_key(self) -> str:
        return ALIVE_KEY.format(worker=self.name)

    def taken_give_back(self) -> None:
        """Jobs taken and not started go back to the head of their queue, in their order."""
        self._taken.clear()
        for queue in self.queues:
            taken_return(self.connection, self.taken_key(queue), queue.key)

    def get_heartbeat_ttl(self, job: BaseJob, working_time: float = 0.0) -> int:
        """How long a started job's entry lives without a heartbeat: one lease."""
        return self.lease

    def heartbeat(self, timeout: int | None = None, pipeline: Pipeline | None = None) -> None:
        if pipeline is None and time.monotonic() - self._beat_at < HEARTBEAT_SECONDS:
            return
        self._beat_at = time.monotonic()
        super().heartbeat(timeout, pipeline)

    def prepare_execution(self, job: BaseJob) -> Execution:
        """RQ's record of the execution, in a pipeline that `prepare_job_execution` sends with
        the job's start: one round trip where RQ makes two."""
        pipeline = self.connection.pipeline()
        execution = Execution.create(
            job, self.get_heartbeat_ttl(job), pipeline=pipeline, worker_name=self.name
        )
        self.executions[execution.id] = execution
        self.set_state(WorkerStatus.BUSY, pipeline=pipeline)
        self._pending = pipeline
        return execution

    def prepare_job_execution(
        self, job: BaseJob, remove_from_intermediate_queue: bool = False
    ) -> None:
        """RQ's, in the pipeline that `prepare_execution` began."""
        pipeline, self._pending = self._pending, None
        with pipeline if pipeline is not None else self.connection.pipeline() as pipeline:
            ttl = self.get_heartbeat_ttl(job)
            super().heartbeat(ttl, pipeline=pipeline)
            job.prepare_for_execution(self.name, pipeline=pipeline)
            pipeline.persist(job.key)
            taken_key = getattr(job, "ficarchive_taken_key", None)
            if taken_key:
                pipeline.lrem(taken_key, 1, job.id)
            elif remove_from_intermediate_queue:
                queue = Queue(job.origin, connection=self.connection)
                pipeline.lrem(queue.intermediate_queue_key, 1, job.id)
            pipeline.execute()

    def handle_job_success(
        self,
        job: BaseJob,
        queue: Queue,
        started_job_registry: Any,
        execution: Execution,
    ) -> None:
        """RQ's record of a success in one round trip, where RQ makes three: RQ first watches
        and reads the job's dependents, and the archive's jobs have none (django-tasks has no
        dependencies between tasks). A job that repeats is left to RQ."""
        if job.repeats_left or job.has_rate_limit:
            super().handle_job_success(job, queue, started_job_registry, execution)
            return
        with self.connection.pipeline() as pipeline:
            self.increment_successful_job_count(pipeline=pipeline)
            assert job.started_at and job.ended_at
            self.increment_total_working_time(job.ended_at - job.started_at, pipeline)
            result_ttl = job.get_result_ttl(self.default_result_ttl)
            if result_ttl != 0:
                job._handle_success(
                    result_ttl,
                    pipeline=pipeline,
                    worker_name=self.name,
                    execution_id=execution.id,
                    execution_started_at=execution.created_at,
                    execution_ended_at=job.ended_at,
                )
            job.cleanup(result_ttl, pipeline=pipeline, remove_from_queue=False)
            job._status = JobStatus.FINISHED
            self.cleanup_execution(job, pipeline=pipeline, execution=execution)
            pipeline.execute()

    def handle_execution_ended(self, job: BaseJob, queue: Queue, heartbeat_ttl: int) -> None:
        # RQ also writes the job's last heartbeat here (a round trip), which nothing reads.
        job.ended_at = now()

    def check_for_suspension(self, burst: bool) -> None:
        # RQ asks Redis before every job (a round trip) whether workers are suspended.
        if time.monotonic() - self._suspension_checked_at >= HEARTBEAT_SECONDS:
            self._suspension_checked_at = time.monotonic()
            super().check_for_suspension(burst)

    def set_state(self, state: str, pipeline: Pipeline | None = None) -> None:
        """The worker's state as dashboards show it. Going idle after each job is left for
        the next write (busy, with the next job; or the keeper's heartbeat, when the queue
        stays empty): one round trip a job fewer."""
        if pipeline is None and state == WorkerStatus.IDLE:
            self._state = state
            self._state_unsaved = True
            return
        self._state_unsaved = False
        super().set_state(state, pipeline)

    def work(self, *args: Any, **kwargs: Any) -> bool:
        if kwargs.get("burst"):
            # A batch worker runs what is due now, as RQ's does with its scheduler.
            self.schedule_due()
        self._keeper = threading.Thread(target=self._keep, name="rq-keeper", daemon=True)
        self._keeper.start()
        try:
            return bool(super().work(*args, **kwargs))
        finally:
            self._stopping.set()
            self._keeper.join(timeout=10)
            self.taken_give_back()
            self.connection.delete(self.alive_key())

    def _keep(self) -> None:
        every = max(0.2, self.lease / 4)
        tick = min(SCHEDULE_SECONDS, every)
        renewed = 0.0
        while not self._stopping.wait(tick):
            try:
                if time.monotonic() - renewed >= every:
                    renewed = time.monotonic()
                    self.leases_renew()
                    self.abandoned_requeue()
                self.schedule_due()
            except Exception:
                logger.exception("RQ worker %s: keeper failed; trying again", self.name)

    def leases_renew(self) -> None:
        """Tell Redis that this worker and the job it runs are alive, for one more lease."""
        with self.connection.pipeline() as pipeline:
            super().heartbeat(self.worker_ttl + 60, pipeline=pipeline)
            pipeline.set(self.alive_key(), 1, ex=self.lease)
            if self._state_unsaved:
                super().set_state(self._state, pipeline)
                self._state_unsaved = False
            for execution in list(self.executions.values()):
                queue = self._queue_named(execution.job.origin)
                execution.heartbeat(queue.started_job_registry, self.lease, pipeline)
            pipeline.execute()

    def abandoned_requeue(self) -> None:
        """Jobs whose lease ran out (their worker died): RQ's own cleanup retries each, the
        lost run counting as a try, or keeps it as failed once its tries are used. Jobs that a
        silent worker took and had not started go back to the head of their queue."""
        for key in self.connection.scan_iter(match=TAKEN_PATTERN, count=100):
            queue_name, _, worker = as_text(key).removeprefix("ficarchive:rq:taken:").partition(":")
            if worker != self.name and not self.connection.exists(ALIVE_KEY.format(worker=worker)):
                taken_return(self.connection, as_text(key), self._queue_named(queue_name).key)
        for queue in self.queues:
            # RQ's lock for its own cleanup of the registries, so that a job is handled once.
            if not queue.acquire_maintenance_lock():
                continue
            try:
                registry = queue.started_job_registry
                registry.death_penalty_class = TimerDeathPenalty  # not in the main thread
                registry.cleanup()
            finally:
                queue.release_maintenance_lock()

    def schedule_due(self) -> None:
        """Move due retries and scheduled jobs to their queues, one worker at a time."""
        lock = f"ficarchive:rq:schedule:{self.name}"
        key = "ficarchive:rq:schedule-lock"
        if not self.connection.set(key, lock, nx=True, ex=SCHEDULE_LOCK_SECONDS):
            return
        try:
            scheduler = RQScheduler(
                [queue.name for queue in self.queues],
                connection=self.connection,
                serializer=self.serializer,
            )
            scheduler.prepare_registries([queue.name for queue in self.queues])
            scheduler.enqueue_scheduled_jobs()
        finally:
            release_lock(self.connection, key, lock)

    def _queue_named(self, name: str) -> Queue:
        for queue in self.queues:
            if queue.name == name:
                return queue
        return Queue(name, connection=self.connection, job_class=self.job_class)


def taken_return(connection: Redis, taken_key: str, queue_key: str) -> int:
    """Move a worker's taken jobs back to the head of the queue, last first so that they keep
    their order; each move is atomic, so two workers doing it at once split the jobs."""
    moved = 0
    while connection.lmove(taken_key, queue_key, "RIGHT", "LEFT") is not None:
        moved += 1
    return moved


def run_rq_worker(*, batch: bool, max_tasks: int | None, queue_names: tuple[str, ...]) -> None:
    worker = django_rq.get_worker(
        *queue_names, job_class=ArchiveJob, worker_class=f"{__name__}.ArchiveWorker"
    )
    worker.work(burst=batch, max_jobs=max_tasks, logging_level="WARNING")
