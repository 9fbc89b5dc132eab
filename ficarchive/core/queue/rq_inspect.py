"""The RQ side of core.queue.inspect: jobs read from RQ's queue and registries."""

from __future__ import annotations

from typing import Any

import django_rq
from django_tasks_rq.backend import Job
from rq.exceptions import NoSuchJobError
from rq.job import Job as BaseJob
from rq.registry import FailedJobRegistry, ScheduledJobRegistry, StartedJobRegistry


def jobs(states: tuple[str, ...], limit: int) -> list[dict[str, Any]]:
    queue = django_rq.get_queue("default", job_class=Job)
    ids: dict[str, list[str]] = {}
    if "queued" in states:
        scheduled = ScheduledJobRegistry(queue=queue)
        ids["queued"] = queue.get_job_ids()[:limit] + scheduled.get_job_ids()[:limit]
    if "running" in states:
        ids["running"] = StartedJobRegistry(queue=queue).get_job_ids()[:limit]
    if "failed" in states:
        ids["failed"] = FailedJobRegistry(queue=queue).get_job_ids()[:limit]
    rows = []
    for state, job_ids in ids.items():
        for job in Job.fetch_many(job_ids, connection=queue.connection):
            if job is None:
                continue
            latest = job.latest_result() if state == "failed" else None
            error = (latest.exc_string or "").strip().splitlines()[-1:] if latest else []
            rows.append(
                {
                    "id": job.id,
                    "state": state,
                    "task": job.func_name or "",
                    "attempts": _tries(job, state),
                    "enqueued_at": job.enqueued_at,
                    "error": error[0] if error else "",
                }
            )
    return rows


def job_retry(job_id: str) -> bool:
    queue = django_rq.get_queue("default", job_class=Job)
    try:
        job = Job.fetch(job_id, connection=queue.connection)
    except NoSuchJobError:
        return False
    if job.get_status() != "failed":
        return False
    FailedJobRegistry(queue=queue).requeue(job)
    return True


def _tries(job: BaseJob, state: str) -> int:
    retries_used = job.meta.get("max_attempts", 1) - 1 - (job.retries_left or 0)
    return retries_used + (0 if state == "queued" else 1)
