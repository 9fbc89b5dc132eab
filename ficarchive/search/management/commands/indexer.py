"""`ficarchive indexer`: keep the search index fresh (`ficarchive serve` runs one itself)."""

from __future__ import annotations

import signal
import threading
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from ficarchive.search.indexer import POLL_SECONDS, run_forever


class Command(BaseCommand):
    help = (
        "Apply the search change log to the index as it grows, building the index first if "
        "there is none. `ficarchive serve` starts one; run this yourself when the web server "
        "runs some other way. Stops cleanly on SIGTERM or Ctrl-C."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--poll", type=float, default=POLL_SECONDS, help="seconds between looks at the log"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        stop = threading.Event()
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: stop.set())
        run_forever(stop, poll_seconds=max(0.01, options["poll"]))
