"""Jobs for the queue's tests: one that always fails, one that writes a row once per key,
one whose value cannot be stored, one that stops its worker."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django_tasks import task

from ficarchive.core.models import SentMail


class Broken(RuntimeError):
    pass


@task()
def always_fails(note: str) -> None:
    raise Broken(f"broken on purpose: {note}")


@task()
def record_once(key: str) -> bool:
    """Writes one row for `key` however often it runs; returns whether this run wrote it."""
    try:
        with transaction.atomic():
            SentMail.objects.create(key=key, to="nobody", subject="row", message_id=key)
    except IntegrityError:
        return False
    return True


@task()
def returns_unstorable() -> object:
    return {1, 2}


@task()
def stop_worker(worker_id: str) -> None:
    """Tells the worker with this id to stop after this job, as SIGTERM would."""
    WORKERS[worker_id].running = False


WORKERS: dict[str, Any] = {}


@task()
def slow_run(key: str, seconds: float) -> None:
    """Takes `seconds`, then writes a row of its own: one row per run."""
    import time
    import uuid

    time.sleep(seconds)
    SentMail.objects.create(key=f"{key}:{uuid.uuid4()}", to="nobody", subject="run")
