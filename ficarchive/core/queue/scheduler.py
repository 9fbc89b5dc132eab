"""One scheduler for the archive's periodic work, safe to run on every node.

Each app declares its periodic tasks in its `tasks` module with `@periodic(every=...)`. Time
is cut into slots of each task's period; for every slot that has begun, the first scheduler
to insert the (task, slot) row into PeriodicRun enqueues the job, and every other scheduler's
insert fails on the unique constraint, so a slot runs once however many nodes tick. The job
itself then runs on whichever worker takes it.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from django.db import IntegrityError, close_old_connections, connections, transaction
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules
from django_tasks.base import Task

from ficarchive.core.models import PeriodicRun

logger = logging.getLogger(__name__)

TICK_SECONDS = 1.0
EPOCH = datetime(2000, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Periodic:
    name: str
    task: Task[[], Any]
    every: timedelta

    def slot(self, now: datetime) -> datetime:
        """The start of the period `now` falls in."""
        periods = (now - EPOCH) // self.every
        return EPOCH + periods * self.every


_registry: dict[str, Periodic] = {}


def periodic(*, every: timedelta) -> Callable[[Task[[], Any]], Task[[], Any]]:
    """Run this task (one that takes no arguments) once in every period of `every`."""

    def register(task: Task[[], Any]) -> Task[[], Any]:
        _registry[task.module_path] = Periodic(task.module_path, task, every)
        return task

    return register


def periodic_tasks() -> list[Periodic]:
    autodiscover_modules("tasks")
    return sorted(_registry.values(), key=lambda entry: entry.name)


def scheduler_tick(now: datetime | None = None) -> list[str]:
    """Enqueue every periodic task whose current slot no scheduler has taken yet; returns
    the names this call enqueued."""
    now = now or timezone.now()
    enqueued = []
    for entry in periodic_tasks():
        try:
            with transaction.atomic():
                PeriodicRun.objects.create(name=entry.name, slot=entry.slot(now))
                entry.task.enqueue()
        except IntegrityError:
            continue
        enqueued.append(entry.name)
    return enqueued


def run_scheduler(stop: threading.Event | None = None, tick_seconds: float = TICK_SECONDS) -> None:
    """The scheduler's loop, until `stop` is set."""
    stop = stop or threading.Event()
    logger.info("scheduler started: %s", ", ".join(p.name for p in periodic_tasks()))
    try:
        while not stop.is_set():
            try:
                scheduler_tick()
            except Exception:
                logger.exception("scheduler tick failed; trying again")
            finally:
                close_old_connections()
            stop.wait(tick_seconds)
    finally:
        connections.close_all()
