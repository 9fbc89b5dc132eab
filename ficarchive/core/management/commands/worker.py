"""`ficarchive worker`: run the jobs of the task queue (`ficarchive serve` starts one)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from ficarchive.core.queue.worker import run_worker


class Command(BaseCommand):
    help = (
        "Run background jobs (mail, scheduled posting, ...) from the task queue: the database, "
        "or Redis when TASKS_URL is set. Run as many as you like, on any number of machines. "
        "Stops after the job in hand on SIGTERM or Ctrl-C."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--batch", action="store_true", help="run the jobs that are ready, then stop"
        )
        parser.add_argument("--max-tasks", type=int, default=None, help="stop after N jobs")
        parser.add_argument(
            "--interval",
            type=float,
            default=0.5,
            help="seconds between looks at an empty database queue",
        )
        parser.add_argument("--queue", default="default", help="queues, comma-separated")
        parser.add_argument("--worker-id", default=None, help="a name unique among workers")

    def handle(self, *args: Any, **options: Any) -> None:
        run_worker(
            batch=options["batch"],
            max_tasks=options["max_tasks"],
            interval=max(0.01, options["interval"]),
            queue_names=tuple(options["queue"].split(",")),
            worker_id=options["worker_id"],
        )
