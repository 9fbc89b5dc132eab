"""`ficarchive scheduler`: enqueue the periodic jobs as they fall due (`serve` runs one)."""

from __future__ import annotations

import signal
import threading
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from ficarchive.core.queue.scheduler import TICK_SECONDS, periodic_tasks, run_scheduler


class Command(BaseCommand):
    help = (
        "Enqueue the periodic jobs (scheduled posting, the daily digest, clearing sessions) "
        "as they fall due. Safe on several machines at once: each run is enqueued once. "
        "`ficarchive serve` starts one; workers run the jobs."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--list", action="store_true", help="list the periodic jobs")
        parser.add_argument("--tick", type=float, default=TICK_SECONDS)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["list"]:
            for entry in periodic_tasks():
                self.stdout.write(f"{entry.name}  every {entry.every}")
            return
        stop = threading.Event()
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: stop.set())
        run_scheduler(stop, tick_seconds=max(0.05, options["tick"]))
