"""`ficarchive filters`: bring works' filter tags up to date after wrangling."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ficarchive.tags.filters import works_mark_all_stale
from ficarchive.tags.recompute import DEFAULT_BATCH_SIZE, filters_recompute_stale, stale_work_count


class Command(BaseCommand):
    help = (
        "Recompute the filter tags (and crossover and OTP flags) of works. Wrangling marks the "
        "works it affects and recomputes them at once; if that was interrupted (the process "
        "died, say), --recompute-stale finishes the job. --recompute-all rebuilds every work."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        group = parser.add_mutually_exclusive_group(required=True)
        group.add_argument(
            "--recompute-stale", action="store_true", help="Recompute the works marked stale."
        )
        group.add_argument(
            "--recompute-all", action="store_true", help="Mark every work stale, then recompute."
        )
        parser.add_argument(
            "--batch-size",
            type=int,
            default=DEFAULT_BATCH_SIZE,
            help=f"Works per transaction (default {DEFAULT_BATCH_SIZE}).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["batch_size"] < 1:
            raise CommandError("--batch-size must be at least 1.")
        if options["recompute_all"]:
            works_mark_all_stale("filters --recompute-all")
        waiting = stale_work_count()
        start = time.perf_counter()
        done = filters_recompute_stale(options["batch_size"])
        if options["verbosity"] >= 1:
            self.stdout.write(
                f"Recomputed the filter tags of {done} works ({waiting} were stale) in "
                f"{time.perf_counter() - start:.1f} s."
            )
