"""The change log: consumers reading it through their own cursors, and pruning behind them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from ficarchive.core.changes import (
    ChangeReader,
    changes_prune,
    consumer_register,
    consumer_unregister,
    works_changed,
)
from ficarchive.core.models import ChangeCursor, ChangeLog

pytestmark = pytest.mark.django_db


def _work_ids(reader: ChangeReader) -> list[int]:
    rows = reader.read(100)
    reader.advance(rows)
    return [row.work_id for row in rows]


def _age_rows(age: timedelta) -> None:
    ChangeLog.objects.update(created_at=timezone.now() - age)


def test_two_consumers_read_the_same_log_independently() -> None:
    search, notifier = ChangeReader("search:one"), ChangeReader("notifier")
    works_changed([1, 2], "posted")
    assert _work_ids(search) == [1, 2]
    works_changed([3], "edited")
    assert _work_ids(notifier) == [1, 2, 3]
    assert _work_ids(search) == [3]
    assert _work_ids(search) == []
    assert _work_ids(notifier) == []
    last = ChangeLog.objects.latest("id").id
    assert dict(ChangeCursor.objects.values_list("consumer", "last_id")) == {
        "search:one": last,
        "notifier": last,
    }


def test_a_reader_reads_again_from_its_stored_cursor_after_a_restart() -> None:
    works_changed([1, 2], "posted")
    first = ChangeReader("search:one")
    rows = first.read(1)
    first.advance(rows)
    works_changed([3], "edited")
    # A new process (or one that crashed before advancing) starts where the cursor stands.
    assert _work_ids(ChangeReader("search:one")) == [2, 3]


def test_a_row_that_commits_after_a_higher_one_is_still_read() -> None:
    works_changed([1], "posted")
    reader = ChangeReader("search:one")
    assert _work_ids(reader) == [1]
    first = ChangeLog.objects.get().id
    # Row first+2 commits while first+1's transaction is still open.
    ChangeLog.objects.create(id=first + 2, work_id=3, reason="edited")
    assert _work_ids(reader) == [3]
    assert ChangeCursor.objects.get(consumer="search:one").last_id == first
    ChangeLog.objects.create(id=first + 1, work_id=2, reason="edited")
    assert _work_ids(reader) == [2]
    assert ChangeCursor.objects.get(consumer="search:one").last_id == first + 2
    assert _work_ids(ChangeReader("search:one")) == []


def test_a_missing_id_older_than_the_margin_is_taken_for_a_rollback() -> None:
    works_changed([1], "posted")
    reader = ChangeReader("search:one")
    assert _work_ids(reader) == [1]
    first = ChangeLog.objects.get().id
    ChangeLog.objects.create(id=first + 2, work_id=3, reason="edited")
    _age_rows(timedelta(hours=1))
    assert _work_ids(reader) == [3]
    assert ChangeCursor.objects.get(consumer="search:one").last_id == first + 2


def test_pruning_waits_for_the_slowest_consumer() -> None:
    fast, slow = ChangeReader("search:one"), ChangeReader("notifier")
    works_changed([1, 2, 3], "posted")
    _work_ids(fast)
    rows = slow.read(1)
    slow.advance(rows)
    _age_rows(timedelta(hours=2))
    assert changes_prune(timedelta(hours=1)) == 1
    assert sorted(ChangeLog.objects.values_list("work_id", flat=True)) == [2, 3]
    assert _work_ids(slow) == [2, 3]
    assert changes_prune(timedelta(hours=1)) == 2
    assert not ChangeLog.objects.exists()


def test_pruning_keeps_rows_younger_than_the_keep_period() -> None:
    reader = ChangeReader("search:one")
    works_changed([1], "posted")
    _work_ids(reader)
    assert changes_prune(timedelta(hours=1)) == 0
    assert ChangeLog.objects.count() == 1


def test_an_unregistered_consumer_does_not_hold_the_log_back() -> None:
    reader = ChangeReader("search:one")
    consumer_register("notifier")
    works_changed([1, 2], "posted")
    _work_ids(reader)
    _age_rows(timedelta(hours=2))
    assert changes_prune(timedelta(hours=1)) == 0
    consumer_unregister("notifier")
    assert changes_prune(timedelta(hours=1)) == 2


def test_a_new_consumer_can_start_after_the_rows_already_written() -> None:
    works_changed([1, 2], "posted")
    consumer_register("feeds", ChangeLog.objects.latest("id").id)
    works_changed([3], "edited")
    assert _work_ids(ChangeReader("feeds")) == [3]
