"""`ficarchive reindex`: build a new search index from the database and swap it in."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from ficarchive.search.index import WriterBusy, index_size_bytes, live_path
from ficarchive.search.indexer import Indexer, build_index, replay_into


class Command(BaseCommand):
    help = (
        "Build a new search index of every listable work beside the live one, replay what "
        "changed meanwhile, and make it live; searches go on against the old index until the "
        "swap. Safe while the archive (and its indexer) runs."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args: Any, **options: Any) -> None:
        start = time.perf_counter()
        quiet = options["no_progress"] or options["verbosity"] < 1
        with tqdm(total=0, unit="work", disable=quiet, desc="Indexing works") as bar:

            def progress(done: int, total: int) -> None:
                bar.total = total
                bar.n = done
                bar.refresh()

            indexer = Indexer()
            try:
                if live_path() is None:
                    # No index yet: this process builds it and applies the log.
                    written = indexer.rebuild(progress)
                    indexer.step()
                else:
                    path, written = build_index(progress)
                    replay_into(path)
            except WriterBusy as error:
                raise CommandError(f"Another process is building the index: {error}") from error
            finally:
                indexer.close()
        live = live_path()
        size = index_size_bytes(live) if live is not None else 0
        if options["verbosity"] >= 1:
            self.stdout.write(
                f"Indexed {written:,} works in {time.perf_counter() - start:.1f} s "
                f"({size / 1e6:.1f} MB on disk); the new index is live."
            )
