"""The job that bench/tasks.py queues: it does nothing, so what is measured is the queue."""

from __future__ import annotations

from django_tasks import task


@task()
def noop(n: int) -> int:
    return n
