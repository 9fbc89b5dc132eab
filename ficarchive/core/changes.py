"""The archive's change log: the one hook every writer calls, and the cursors its consumers
read it through.

Writers append rows in their own transaction (`works_changed` and friends). Each consumer
registers a cursor by name (`search:<node>` for each node's index) and reads the rows after it
with a ChangeReader; rows are pruned once every registered cursor has passed them.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, NamedTuple

from django.db import connection
from django.db.models import Max, Min, Q
from django.utils import timezone

from ficarchive.core.bulk import bulk_insert
from ficarchive.core.models import NO_WORK, REBUILD_ALL, ChangeCursor, ChangeLog

# A row id can commit after a higher one (PostgreSQL hands out ids at insert, and a long
# transaction commits late): a reader that has passed a missing id looks for it again this
# long before it takes the id for a rolled-back insert.
LATE_COMMIT_MARGIN = timedelta(minutes=10)


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


def bookmarks_changed(bookmark_ids: Iterable[int], reason: str) -> int:
    """Record that these bookmarks were made, changed or deleted, for the bookmark index;
    returns the rows written. A row of its own (work_id NO_WORK): the works' consumers pass
    over it, and a bookmark of a series or an external work has no work to name."""
    now = timezone.now()
    return bulk_insert(
        ChangeLog,
        ("work_id", "bookmark_id", "reason", "created_at"),
        ((NO_WORK, bookmark_id, reason[:200], now) for bookmark_id in dict.fromkeys(bookmark_ids)),
    )


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


def consumer_register(consumer: str, last_id: int = 0) -> int:
    """Register a consumer of the log, starting after `last_id` if it is new; returns where
    its cursor stands."""
    cursor, _ = ChangeCursor.objects.get_or_create(consumer=consumer, defaults={"last_id": last_id})
    return cursor.last_id


def consumer_set(consumer: str, last_id: int) -> None:
    """Put a consumer's cursor at `last_id`, registering it if need be (also backwards: a
    rebuilt index reads again from where its build began)."""
    ChangeCursor.objects.update_or_create(consumer=consumer, defaults={"last_id": last_id})


def consumer_unregister(consumer: str) -> None:
    """Forget a consumer, so that it no longer holds back pruning."""
    ChangeCursor.objects.filter(consumer=consumer).delete()


def changes_pending(consumer: str) -> int:
    """How many rows a consumer has yet to read (every row when it is not registered)."""
    cursor = ChangeCursor.objects.filter(consumer=consumer).values_list("last_id", flat=True)
    return ChangeLog.objects.filter(id__gt=cursor.first() or 0).count()


def log_position_before(when: datetime) -> int:
    """The id of the last row written before `when` (0 when there is none): a consumer that
    starts after it reads everything written since."""
    position = ChangeLog.objects.filter(created_at__lt=when).aggregate(last=Max("id"))["last"]
    return position or 0


def changes_prune(keep: timedelta) -> int:
    """Delete the rows every registered consumer has passed and that are older than `keep`;
    returns the rows deleted."""
    rows = ChangeLog.objects.filter(created_at__lt=timezone.now() - keep)
    horizon = ChangeCursor.objects.aggregate(lowest=Min("last_id"))["lowest"]
    if horizon is not None:
        rows = rows.filter(id__lte=horizon)
    deleted, _ = rows.delete()
    return deleted


class Change(NamedTuple):
    id: int
    work_id: int
    created_at: datetime
    # Set on a row about a bookmark (work_id is then NO_WORK).
    bookmark_id: int | None = None

    @property
    def is_work(self) -> bool:
        """A row about a work (or a rebuild), not about a bookmark."""
        return self.bookmark_id is None and self.work_id != NO_WORK


@dataclass
class _Gap:
    """Ids from `low` to `high` that were missing when the reader passed them; `since` is when
    the row after them was written, so their inserts began before it."""

    low: int
    high: int
    since: datetime


class ChangeReader:
    """One consumer reading the log in id order, through its cursor.

    `read` returns rows not yet applied; the caller applies them and then calls `advance`
    with the rows it applied, which moves the cursor (in memory, and in the database unless
    asked not to). Ids the reader passed while they were missing are looked for again for
    LATE_COMMIT_MARGIN, and the stored cursor stays below them meanwhile, so that a restart
    reads them again too.
    """

    def __init__(self, consumer: str, margin: timedelta = LATE_COMMIT_MARGIN) -> None:
        self.consumer = consumer
        self.margin = margin
        self.stored: int | None = None
        self.seen = 0
        self.gaps: list[_Gap] = []

    def forget(self) -> None:
        """Drop what is held in memory: the next read starts from the stored cursor."""
        self.stored, self.seen, self.gaps = None, 0, []

    def restart_at(self, last_id: int) -> None:
        """Read again from after `last_id` (stored at once)."""
        consumer_set(self.consumer, last_id)
        self.stored, self.seen, self.gaps = last_id, last_id, []

    def read(self, limit: int) -> list[Change]:
        """Up to `limit` rows after the cursor, in id order."""
        stored = ChangeCursor.objects.filter(consumer=self.consumer).values_list(
            "last_id", flat=True
        )
        current = stored.first()
        if current is None:
            current = consumer_register(self.consumer)
        if current != self.stored:
            # First read, or someone else moved the cursor: what memory holds is stale.
            self.stored, self.seen, self.gaps = current, current, []
        wanted = Q(id__gt=self.seen)
        for gap in self.gaps:
            wanted |= Q(id__gte=gap.low, id__lte=gap.high)
        rows = ChangeLog.objects.filter(wanted).order_by("id")
        values = rows.values_list("id", "work_id", "created_at", "bookmark_id")
        return [Change(*row) for row in values[:limit]]

    def advance(self, rows: Sequence[Change], store: bool = True) -> None:
        """Take these rows (from `read`) as applied."""
        oldest_pending = timezone.now() - self.margin
        ids = sorted(row.id for row in rows)
        gaps: list[_Gap] = []
        for gap in self.gaps:
            if gap.since < oldest_pending:
                continue
            low = gap.low
            for row_id in ids:
                if row_id < low or row_id > gap.high:
                    continue
                if row_id > low:
                    gaps.append(_Gap(low, row_id - 1, gap.since))
                low = row_id + 1
            if low <= gap.high:
                gaps.append(_Gap(low, gap.high, gap.since))
        previous = self.seen
        for row in sorted(rows):
            if row.id <= self.seen:
                continue
            # A reader at 0 has read nothing yet: the ids below the first row it finds may
            # have been pruned before it registered, so it does not wait for them.
            if previous and row.id > previous + 1 and row.created_at >= oldest_pending:
                gaps.append(_Gap(previous + 1, row.id - 1, row.created_at))
            previous = row.id
        self.seen = previous
        self.gaps = gaps
        if store:
            self.store()

    def store(self) -> None:
        """Write the cursor: below the lowest id still looked for, else the last id seen."""
        last_id = min(gap.low for gap in self.gaps) - 1 if self.gaps else self.seen
        if last_id != self.stored:
            consumer_set(self.consumer, last_id)
            self.stored = last_id
