"""`ficarchive reindex`: build a new search index from the database and swap it in."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from ficarchive.search.bookmark_index import open_bookmark_index
from ficarchive.search.bookmark_indexer import (
    build_bookmark_index,
    live_bookmark_path,
    replay_bookmarks_into,
)
from ficarchive.search.index import WriterBusy, index_size_bytes, live_path
from ficarchive.search.indexer import Indexer, build_index, replay_into


class Command(BaseCommand):
    help = (
        "Build a new search index of every listable work, and a new bookmark index of every "
        "bookmark of a listable item, beside the live ones, replay what changed meanwhile, and "
        "make them live; searches go on against the old indexes until the swap. Safe while "
        "the archive (and its indexer) runs."
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
            # Where there is no bookmark index either, the indexer's step below builds it.
            bookmarks_built_by_step = live_path() is None and live_bookmark_path() is None
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
        with tqdm(total=0, unit="bookmark", disable=quiet, desc="Indexing bookmarks") as bar:

            def bookmark_progress(done: int, total: int) -> None:
                bar.total = total
                bar.n = done
                bar.refresh()

            bookmarks_started = time.perf_counter()
            try:
                built = live_bookmark_path()
                if bookmarks_built_by_step and built is not None:
                    bookmarks = open_bookmark_index(built).searcher().num_docs
                elif live_bookmark_path() is None:
                    bookmarks = indexer.bookmarks.rebuild(bookmark_progress)
                    indexer.bookmarks.step()
                else:
                    bookmark_path, bookmarks = build_bookmark_index(bookmark_progress)
                    replay_bookmarks_into(bookmark_path)
            except WriterBusy as error:
                raise CommandError(f"Another process is building the index: {error}") from error
            finally:
                indexer.bookmarks.close()
        live = live_path()
        size = index_size_bytes(live) if live is not None else 0
        if options["verbosity"] >= 1:
            self.stdout.write(
                f"Indexed {written:,} works in {time.perf_counter() - start:.1f} s "
                f"({size / 1e6:.1f} MB on disk); the new index is live."
            )
            bookmark_live = live_bookmark_path()
            bookmark_size = index_size_bytes(bookmark_live) if bookmark_live is not None else 0
            self.stdout.write(
                f"Indexed {bookmarks:,} bookmarks in "
                f"{time.perf_counter() - bookmarks_started:.1f} s "
                f"({bookmark_size / 1e6:.1f} MB on disk); the new bookmark index is live."
            )
