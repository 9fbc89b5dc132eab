"""`ficarchive tasks`: the background jobs queued, running and failed; `--retry ID`."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ficarchive.core.queue.inspect import STATES, job_retry, jobs_list


class Command(BaseCommand):
    help = (
        "List the background jobs that are queued, running or failed (newest first, with "
        "the tries made and the last error), or put a failed job back in the queue."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--state", choices=STATES, action="append", help="only these")
        parser.add_argument("--limit", type=int, default=100, help="jobs per state")
        parser.add_argument("--retry", metavar="ID", help="queue this failed job again")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["retry"]:
            if not job_retry(options["retry"]):
                raise CommandError(f"no failed job {options['retry']}")
            self.stdout.write(f"queued {options['retry']} again")
            return
        rows = jobs_list(tuple(options["state"] or STATES), options["limit"])
        for row in rows:
            when = row.enqueued_at.isoformat(timespec="seconds") if row.enqueued_at else "-"
            line = f"{row.state:8} {row.id}  {row.task}  tries={row.attempts}  {when}"
            if row.error:
                line += f"  {row.error}"
            self.stdout.write(line)
        if not rows:
            self.stdout.write("no jobs")
