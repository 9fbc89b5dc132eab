"""Keeping the bookmark index fresh, as search.indexer keeps the works': its own cursor on the
change log (`search:<NODE_NAME>:bookmarks`), rows applied in id order and the cursor moved
only after the commit, a rebuild beside the live index swapped in with `current`. The works'
Indexer runs this one in each of its steps, so that one indexer process writes both.

Rows it reads: a bookmark's own (core.changes.bookmarks_changed) and every work's (a work's
change may change its bookmarks and its series' bookmarks), and REBUILD_ALL.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import tantivy
from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from ficarchive.core.changes import (
    Change,
    ChangeReader,
    consumer_set,
    consumer_unregister,
    log_position_before,
)
from ficarchive.core.models import REBUILD_ALL
from ficarchive.search.bookmark_index import (
    BOOKMARK_SCHEMA_VERSION,
    bookmark_documents,
    bookmark_id_bounds,
    bookmark_search_dir,
    open_bookmark_index,
    replace_bookmarks,
    tantivy_bookmark,
)
from ficarchive.search.documents import chunked_ranges
from ficarchive.search.index import (
    IndexInfo,
    live_path,
    make_live,
    new_index_path,
    prune_index_folders,
    writer,
)

logger = logging.getLogger(__name__)

BATCH_ROWS = 5000
BUILD_CHUNK = 5000
# As search.indexer.REPLAY_MARGIN: a transaction begun before the build may commit during it.
REPLAY_MARGIN = timedelta(minutes=10)

Progress = Callable[[int, int], object]


def bookmark_consumer() -> str:
    return f"search:{settings.NODE_NAME}:bookmarks"


def bookmark_build_consumer() -> str:
    return f"{bookmark_consumer()}:build"


def live_bookmark_path() -> Path | None:
    return live_path(bookmark_search_dir(), BOOKMARK_SCHEMA_VERSION)


def build_bookmark_index(
    progress: Progress | None = None, heap_bytes: int | None = None
) -> tuple[Path, int]:
    """Write a new bookmark index beside the live one (not yet live); returns its folder and
    the documents written."""
    started = timezone.now()
    replay_from = log_position_before(started - REPLAY_MARGIN)
    consumer_set(bookmark_build_consumer(), replay_from)
    path = new_index_path(bookmark_search_dir())
    index = open_bookmark_index(path)
    if heap_bytes is None:
        heap_bytes = settings.SEARCH_BUILD_MEMORY_MB * 1_000_000
    index_writer = writer(index, heap_bytes, 1)
    written = 0
    bounds = bookmark_id_bounds()
    if bounds is not None:
        low, high, count = bounds
        for start, end in chunked_ranges(low, high, BUILD_CHUNK):
            for document in bookmark_documents(Q(pk__gte=start, pk__lt=end)).values():
                index_writer.add_document(tantivy_bookmark(document))
                written += 1
            if progress is not None:
                progress(written, max(count, written))
    index_writer.commit()
    index_writer.wait_merging_threads()
    index.reload()
    segments = index.searcher().num_segments
    IndexInfo(BOOKMARK_SCHEMA_VERSION, started, segments, replay_from).write(path)
    return path, written


def _searcher(index: tantivy.Index) -> tantivy.Searcher:
    index.reload()
    return index.searcher()


def _replay(
    index: tantivy.Index, index_writer: Any, reader: ChangeReader, built_at: datetime
) -> None:
    """What the reader has not seen, applied to a newly built index (the reader advanced in
    memory only); a rebuild asked for after the build began ends the replay before it."""
    pending: list[Change] = []
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
        pending.extend(row for row in rows if row.work_id != REBUILD_ALL)
        reader.advance(rows, store=False)
        if not rows or later is not None:
            break
    searcher = _searcher(index)
    for start in range(0, len(pending), BATCH_ROWS):
        replace_bookmarks(index_writer, searcher, pending[start : start + BATCH_ROWS])


def replay_bookmarks_into(path: Path) -> None:
    """Bring a newly built bookmark index up to date and make it live (no cursor moves)."""
    info = IndexInfo.read(path)
    if info is None:
        raise ValueError(f"{path} is not a finished index")
    index = open_bookmark_index(path)
    index_writer = writer(index, 64_000_000, 1)
    reader = ChangeReader(bookmark_build_consumer())
    reader.restart_at(info.replay_from)
    _replay(index, index_writer, reader, info.built_at)
    index_writer.commit()
    index_writer.wait_merging_threads()
    make_live(path, BOOKMARK_SCHEMA_VERSION)


class BookmarkIndexer:
    """The bookmark index's writer in this process, following its live index."""

    def __init__(self, heap_bytes: int = 64_000_000) -> None:
        self.heap_bytes = heap_bytes
        self.path: Path | None = None
        self.index: tantivy.Index | None = None
        self.writer: Any = None
        self.reader = ChangeReader(bookmark_consumer())

    def close(self) -> None:
        self.reader.forget()
        if self.writer is not None:
            writer_, self.writer, self.path, self.index = self.writer, None, None, None
            try:
                writer_.wait_merging_threads()
            except Exception:  # the folder may be gone after a swap
                logger.exception("closing the bookmark index writer")

    def step(self) -> int:
        """Apply what is pending (building the index first if there is none); returns the log
        rows applied. Raises WriterBusy when another process writes the index."""
        self._follow_live()
        assert self.index is not None
        applied = 0
        while True:
            rows = self.reader.read(BATCH_ROWS)
            if not rows:
                break
            if any(row.work_id == REBUILD_ALL for row in rows):
                self.rebuild()
                continue
            replace_bookmarks(self.writer, _searcher(self.index), rows)
            self.writer.commit()
            self.reader.advance(rows)
            applied += len(rows)
        return applied

    def rebuild(self, progress: Progress | None = None) -> int:
        path, written = build_bookmark_index(progress)
        info = IndexInfo.read(path)
        assert info is not None
        self.close()
        index = open_bookmark_index(path)
        new_writer = writer(index, self.heap_bytes, 1)
        try:
            self.reader.restart_at(info.replay_from)
            _replay(index, new_writer, self.reader, info.built_at)
            new_writer.commit()
            self.path, self.index, self.writer = path, index, new_writer
            make_live(path, BOOKMARK_SCHEMA_VERSION)
            self.reader.store()
        except BaseException:
            self.close()
            raise
        consumer_unregister(bookmark_build_consumer())
        return written

    def _follow_live(self) -> None:
        live = live_bookmark_path()
        if live is None:
            self.rebuild()
            return
        if live == self.path and self.writer is not None:
            return
        self.close()
        index = open_bookmark_index(live)
        new_writer = writer(index, self.heap_bytes, 1)
        info = IndexInfo.read(live)
        if info is not None:
            try:
                self.reader.restart_at(info.replay_from)
                _replay(index, new_writer, self.reader, info.built_at)
                new_writer.commit()
                self.reader.store()
            except BaseException:
                self.reader.forget()
                new_writer.wait_merging_threads()
                raise
            consumer_unregister(bookmark_build_consumer())
        self.path, self.index, self.writer = live, index, new_writer
        prune_index_folders(bookmark_search_dir(), BOOKMARK_SCHEMA_VERSION)
