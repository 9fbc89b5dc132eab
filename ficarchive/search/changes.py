"""Telling the search index that works changed: the one hook every writer calls."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection
from django.utils import timezone

from ficarchive.core.bulk import bulk_insert
from ficarchive.search.models import REBUILD_ALL, ChangeLog


def works_changed(work_ids: Iterable[int], reason: str) -> int:
    """Record that these works changed, for the indexer to pick up; returns the rows written.

    Runs in the caller's transaction, so that a change and its log entry commit together.
    """
    now = timezone.now()
    return bulk_insert(
        ChangeLog,
        ("work_id", "reason", "created_at"),
        ((work_id, reason[:200], now) for work_id in dict.fromkeys(work_ids)),
    )


def works_changed_select(select_sql: str, params: Sequence[Any], reason: str) -> int:
    """works_changed for the work ids a SELECT returns (one column), without fetching them:
    for bulk changes such as a tag merge that touches 100,000 works."""
    table = connection.ops.quote_name(ChangeLog._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (work_id, reason, created_at) "
            f"SELECT changed.work_id, %s, %s FROM ({select_sql}) changed",
            [reason[:200], connection.ops.adapt_datetimefield_value(timezone.now()), *params],
        )
        return max(cursor.rowcount, 0)


def index_rebuild_request(reason: str) -> None:
    """Ask the indexer to rebuild the whole index from the database (after a bulk load that
    wrote no rows of its own)."""
    ChangeLog.objects.create(work_id=REBUILD_ALL, reason=reason[:200])


# Counters (hits) change on nearly every first visit of a reader: each process gathers the works
# whose counters changed and tells the index of them together, at most this often, so that a
# popular work costs one log row a flush, not one a visit. A process that dies loses at most
# one flush of index updates; the counts themselves are already in the database.
COUNTER_FLUSH_SECONDS = 10.0


class _CounterBuffer:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.work_ids: set[int] = set()
        self.flushed_at = time.monotonic()

    def add(self, work_id: int) -> None:
        with self.lock:
            self.work_ids.add(work_id)
            if time.monotonic() - self.flushed_at < COUNTER_FLUSH_SECONDS:
                return
            pending, self.work_ids = self.work_ids, set()
            self.flushed_at = time.monotonic()
        works_changed(pending, "counters")

    def reset(self) -> None:
        with self.lock:
            self.work_ids = set()
            self.flushed_at = time.monotonic()


counter_buffer = _CounterBuffer()


def counters_changed(work_id: int) -> None:
    """A work's hits (or another counter) changed: the index learns of it with the next flush."""
    counter_buffer.add(work_id)
