"""The Redis worker makes few round trips to Redis per job, and the signals of django-tasks
still tell how each job went."""

from __future__ import annotations

from typing import Any

import django_rq
import pytest
from django_tasks.signals import task_finished, task_started
from redis.connection import Connection

from bench.noop_task import noop
from tests.core.tasks.drain import drain
from tests.core.tasks.jobs import always_fails

JOBS = 200


@pytest.mark.parametrize("backend", ["redis"], indirect=True)
def test_quick_jobs_cost_under_three_round_trips_each(backend: str, monkeypatch: Any) -> None:
    """RQ's SimpleWorker made 23 a job, and this worker 6 before it took jobs in batches and
    recorded a success in one (see docs/tasks.md, "How a Redis worker takes jobs")."""
    for n in range(JOBS):
        noop.enqueue(n)
    sent = []
    send = Connection.send_packed_command

    def counted(self: Connection, command: Any, check_health: bool = True) -> None:
        sent.append(1)
        send(self, command, check_health)

    # Counts what redis-py sends: one call a command, or a pipeline.
    monkeypatch.setattr(Connection, "send_packed_command", counted)
    drain(backend)
    monkeypatch.undo()
    # A start and an end a job, two a batch; the worker's start and end, and its keeper, cost
    # some 40 more in all.
    assert len(sent) <= 3 * JOBS + 60, len(sent)
    assert django_rq.get_queue("default").finished_job_registry.count == JOBS


@pytest.mark.parametrize("backend", ["redis"], indirect=True)
def test_the_signals_tell_how_each_job_went(backend: str) -> None:
    seen: list[tuple[str, str, str]] = []

    def started(sender: Any, task_result: Any, **kwargs: Any) -> None:
        seen.append(("started", task_result.task.name, task_result.status))

    def finished(sender: Any, task_result: Any, **kwargs: Any) -> None:
        seen.append(("finished", task_result.task.name, task_result.status))

    task_started.connect(started)
    task_finished.connect(finished)
    try:
        noop.enqueue(1)
        drain(backend)
        always_fails.enqueue("signals")
        drain(backend)
    finally:
        task_started.disconnect(started)
        task_finished.disconnect(finished)
    assert seen == [
        ("started", "noop", "RUNNING"),
        ("finished", "noop", "SUCCESSFUL"),
        ("started", "always_fails", "RUNNING"),
        ("finished", "always_fails", "FAILED"),
    ]
