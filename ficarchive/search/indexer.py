"""Keeping the index fresh: applying the change log, building a new index, swapping it in.

One process writes the index at a time (Tantivy's writer lock sees to it): the indexer that
`ficarchive serve` starts, or `ficarchive indexer` on its own. It reads the change log through
this node's cursor (`search:<NODE_NAME>`), in id order, reads those works from the database as
they are now, replaces their documents, commits, and only then advances the cursor: a process
killed at any point applies the same rows again on its next start, which gives the same
documents.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import tantivy
from django.conf import settings
from django.db import close_old_connections, connections, transaction
from django.utils import timezone

from ficarchive.core.changes import (
    ChangeReader,
    changes_prune,
    consumer_set,
    consumer_unregister,
    log_position_before,
)
from ficarchive.core.models import REBUILD_ALL
from ficarchive.search.bookmark_indexer import BookmarkIndexer
from ficarchive.search.documents import (
    chunked_ranges,
    documents_for_ids,
    documents_in_range,
    listable_id_bounds_and_count,
)
from ficarchive.search.index import (
    SCHEMA,
    SCHEMA_VERSION,
    IndexInfo,
    WriterBusy,
    live_path,
    make_live,
    new_index_path,
    open_index,
    prune_index_folders,
    search_dir,
    tantivy_document,
    writer,
)

logger = logging.getLogger(__name__)

BATCH_ROWS = 5000
BUILD_CHUNK = 5000
# Rows every consumer has passed stay this long before they are pruned.
KEEP_APPLIED = timedelta(hours=1)
# A rebuilt index replays the rows written this long before its build began: a transaction
# that began before the build and committed during it has rows that old.
REPLAY_MARGIN = timedelta(minutes=10)
PRUNE_EVERY_SECONDS = 60.0
POLL_SECONDS = 0.1

Progress = Callable[[int, int], object]


def search_consumer() -> str:
    """The change log consumer that is this node's search index."""
    return f"search:{settings.NODE_NAME}"


def build_consumer() -> str:
    """The consumer that holds the log back for an index being built on this node, until the
    indexer writes to it: pruning must keep the rows it will replay."""
    return f"{search_consumer()}:build"


def build_index(
    progress: Progress | None = None, heap_bytes: int | None = None
) -> tuple[Path, int]:
    """Write a new index of every listable work beside the live one (not yet live); returns
    its folder and the documents written.

    One indexing thread with room for the whole corpus (settings.SEARCH_BUILD_MEMORY_MB)
    writes one segment, where two threads with 256 MB wrote five at a million works, in about
    the same time: a query reads each term once per segment, and a reader's thousands of
    muted users and tags cost up to five times as much over five (bench/search.py)."""
    started = timezone.now()
    replay_from = log_position_before(started - REPLAY_MARGIN)
    consumer_set(build_consumer(), replay_from)
    path = new_index_path()
    index = open_index(path)
    if heap_bytes is None:
        heap_bytes = settings.SEARCH_BUILD_MEMORY_MB * 1_000_000
    index_writer = writer(index, heap_bytes, 1)
    written = 0
    bounds = listable_id_bounds_and_count()
    if bounds is not None:
        low, high, count = bounds
        for start, end in chunked_ranges(low, high, BUILD_CHUNK):
            for document in documents_in_range(start, end).values():
                index_writer.add_document(tantivy_document(document, built=True))
                written += 1
            if progress is not None:
                # Works written of the works counted (more if some were posted meanwhile).
                progress(written, max(count, written))
    index_writer.commit()
    index_writer.wait_merging_threads()
    index.reload()
    IndexInfo(SCHEMA_VERSION, started, index.searcher().num_segments, replay_from).write(path)
    return path, written


def replace_documents(index_writer: Any, work_ids: list[int]) -> int:
    """Replace these works' documents with what the database holds now (none for a work that
    is gone or not listable); returns the documents written. The caller commits."""
    documents = documents_for_ids(work_ids)
    for work_id in work_ids:
        # By query: delete_documents_by_term takes a Python int for a signed integer, which
        # never matches the unsigned id field.
        index_writer.delete_documents_by_query(tantivy.Query.term_query(SCHEMA, "id", work_id))
    for document in documents.values():
        index_writer.add_document(tantivy_document(document, built=False))
    return len(documents)


class Indexer:
    """The index writer of this process, following the live index."""

    def __init__(self, heap_bytes: int = 64_000_000) -> None:
        self.heap_bytes = heap_bytes
        self.path: Path | None = None
        self.writer: Any = None
        self.last_prune = 0.0
        self.reader = ChangeReader(search_consumer())
        # The bookmark index, written by the same process with a cursor of its own.
        self.bookmarks = BookmarkIndexer(heap_bytes)

    def close(self) -> None:
        self.bookmarks.close()
        self._close_works()

    def _close_works(self) -> None:
        # What was read but not stored is read again from the stored cursor.
        self.reader.forget()
        if self.writer is not None:
            writer_, self.writer, self.path = self.writer, None, None
            try:
                writer_.wait_merging_threads()
            except Exception:  # the folder may be gone after a swap
                logger.exception("closing the index writer")

    def step(self) -> int:
        """Apply what is pending (building the index first if there is none); returns the log
        rows applied. Raises WriterBusy when another process writes the index."""
        self._follow_live()
        applied = 0
        while True:
            rows = self.reader.read(BATCH_ROWS)
            if not rows:
                break
            if any(row.work_id == REBUILD_ALL for row in rows):
                self.rebuild()
                continue
            # Rows about bookmarks only are the bookmark index's.
            work_ids = list(dict.fromkeys(row.work_id for row in rows if row.is_work))
            replace_documents(self.writer, work_ids)
            self.writer.commit()
            self.reader.advance(rows)
            applied += len(rows)
        applied += self.bookmarks.step()
        if time.monotonic() - self.last_prune > PRUNE_EVERY_SECONDS:
            self.last_prune = time.monotonic()
            changes_prune(KEEP_APPLIED)
        return applied

    def rebuild(self, progress: Progress | None = None) -> int:
        """Build a new index, replay what changed meanwhile, and make it live; returns the
        documents it holds."""
        path, written = build_index(progress)
        info = IndexInfo.read(path)
        assert info is not None
        # The works' writer only: the bookmark index keeps its own (it rebuilds on its own
        # REBUILD_ALL row).
        self._close_works()
        new_writer = writer(open_index(path), self.heap_bytes, 1)
        try:
            self.reader.restart_at(info.replay_from)
            _replay(new_writer, self.reader, info.built_at)
            new_writer.commit()
            self.path, self.writer = path, new_writer
            make_live(path)
            self.reader.store()
        except BaseException:
            self._close_works()
            raise
        consumer_unregister(build_consumer())
        return written

    def _follow_live(self) -> None:
        live = live_path()
        if live is None:
            self.rebuild()
            return
        if live == self.path and self.writer is not None:
            return
        # Another process swapped in a new index: write to it, after replaying what this
        # process may have applied to the old one only.
        self._close_works()
        new_writer = writer(open_index(live), self.heap_bytes, 1)
        info = IndexInfo.read(live)
        if info is not None:
            try:
                self.reader.restart_at(info.replay_from)
                _replay(new_writer, self.reader, info.built_at)
                new_writer.commit()
                self.reader.store()
            except BaseException:
                self.reader.forget()
                new_writer.wait_merging_threads()
                raise
            consumer_unregister(build_consumer())
        self.path, self.writer = live, new_writer
        prune_index_folders()


def _replay(index_writer: Any, reader: ChangeReader, built_at: datetime) -> None:
    """Apply what the reader has not seen to a newly built index, advancing the reader in
    memory only (the caller stores it once the index is live). A rebuild asked for before the
    build began is done; one asked for later ends the replay before it, for the indexer's next
    step to find."""
    work_ids: dict[int, None] = {}
    while True:
        rows = reader.read(BATCH_ROWS)
        later = next(
            (
                at
                for at, row in enumerate(rows)
                if row.work_id == REBUILD_ALL and row.created_at >= built_at
            ),
            None,
        )
        if later is not None:
            rows = rows[:later]
        work_ids.update(
            (row.work_id, None) for row in rows if row.is_work and row.work_id != REBUILD_ALL
        )
        reader.advance(rows, store=False)
        if not rows or later is not None:
            break
    replaying = list(work_ids)
    for start in range(0, len(replaying), BATCH_ROWS):
        replace_documents(index_writer, replaying[start : start + BATCH_ROWS])


def replay_into(path: Path) -> None:
    """Bring a newly built index up to date with what changed while it was built, and make it
    live. A running indexer follows the swap and replays once more on its own writer, from
    the same place: this replay moves no cursor."""
    info = IndexInfo.read(path)
    if info is None:
        raise ValueError(f"{path} is not a finished index")
    index_writer = writer(open_index(path), 64_000_000, 1)
    reader = ChangeReader(build_consumer())
    reader.restart_at(info.replay_from)
    _replay(index_writer, reader, info.built_at)
    index_writer.commit()
    index_writer.wait_merging_threads()
    make_live(path)


def run_forever(stop: threading.Event | None = None, poll_seconds: float = POLL_SECONDS) -> None:
    """The indexer's loop: apply the log as it grows, until `stop` is set."""
    stop = stop or threading.Event()
    indexer = Indexer()
    logger.info("indexer started on %s", search_dir())
    try:
        while not stop.is_set():
            try:
                applied = indexer.step()
            except WriterBusy:
                logger.warning("another process writes the search index; waiting")
                indexer.close()
                stop.wait(5.0)
                continue
            except Exception:
                logger.exception("indexing failed; retrying")
                indexer.close()
                close_old_connections()
                stop.wait(1.0)
                continue
            finally:
                close_old_connections()
            if not applied:
                stop.wait(poll_seconds)
    finally:
        indexer.close()
        # This thread's own connections: a test database cannot be dropped while they live.
        connections.close_all()


class _InlineIndexer:
    """Applying the log in the searching process itself, before each search, when
    SEARCH_INLINE is on: for tests and single-process development, where no indexer runs."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.indexer: Indexer | None = None
        self.folder: Path | None = None

    def catch_up(self) -> None:
        with self.lock:
            if self.folder != search_dir():
                self.forget_locked()
                self.folder = search_dir()
            if self.indexer is None:
                self.indexer = Indexer(heap_bytes=15_000_000)
            try:
                # Its own savepoint: a test's transaction goes on after a failed step.
                with transaction.atomic():
                    self.indexer.step()
            except WriterBusy:
                self.indexer.close()

    def forget(self) -> None:
        with self.lock:
            self.forget_locked()

    def forget_locked(self) -> None:
        if self.indexer is not None:
            self.indexer.close()
        self.indexer, self.folder = None, None


inline = _InlineIndexer()
