"""What `ficarchive tasks` shows and does: the jobs queued, running and failed, on either
backend, and putting a failed job back in the queue."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone
from django_tasks import task_backends
from django_tasks_db.models import DBTaskResult

from ficarchive.core.queue.backends import RQBackend

STATES = ("queued", "running", "failed")


@dataclass(frozen=True)
class JobRow:
    id: str
    state: str
    task: str
    attempts: int
    enqueued_at: datetime | None
    error: str


def _using_rq() -> bool:
    return isinstance(task_backends["default"], RQBackend)


def jobs_list(states: tuple[str, ...] = STATES, limit: int = 100) -> list[JobRow]:
    """The newest `limit` jobs in each of `states`."""
    if _using_rq():
        return _rq_jobs(states, limit)
    db_status = {"queued": "READY", "running": "RUNNING", "failed": "FAILED"}
    rows = []
    for state in states:
        jobs = DBTaskResult.objects.filter(status=db_status[state]).order_by("-enqueued_at")
        for job in jobs[:limit]:
            last_line = job.traceback.strip().splitlines()[-1:] if job.traceback else []
            rows.append(
                JobRow(
                    id=str(job.id),
                    state=state,
                    task=job.task_path,
                    attempts=len(job.worker_ids),
                    enqueued_at=job.enqueued_at,
                    error=last_line[0] if last_line else "",
                )
            )
    return rows


def job_retry(job_id: str) -> bool:
    """Queue a failed job again, to run now; returns whether there was such a job."""
    if _using_rq():
        # RQ is loaded only by an archive that queues on Redis.
        from ficarchive.core.queue import rq_inspect

        return rq_inspect.job_retry(job_id)
    try:
        updated = DBTaskResult.objects.filter(pk=job_id, status="FAILED").update(
            status="READY", run_after=timezone.now(), finished_at=None
        )
    except Exception:  # not a UUID
        return False
    return updated == 1


def _rq_jobs(states: tuple[str, ...], limit: int) -> list[JobRow]:
    # RQ is loaded only by an archive that queues on Redis.
    from ficarchive.core.queue import rq_inspect

    return [JobRow(**row) for row in rq_inspect.jobs(states, limit)]
