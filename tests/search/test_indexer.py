"""The indexer: building the index, applying the change log once or twice to the same effect,
resuming after a crash, rebuilding and swapping without a gap."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from ficarchive.core import changes
from ficarchive.core.changes import (
    changes_pending,
    changes_prune,
    consumer_set,
    index_rebuild_request,
    works_changed,
)
from ficarchive.core.models import ChangeCursor, ChangeLog
from ficarchive.search import index as search_index
from ficarchive.search.engine import SearchUnavailable, search_works
from ficarchive.search.index import (
    INFO,
    IndexInfo,
    WriterBusy,
    live_path,
    live_searcher,
    open_index,
    writer,
)
from ficarchive.search.indexer import (
    KEEP_APPLIED,
    Indexer,
    build_consumer,
    build_index,
    replace_documents,
    replay_into,
    search_consumer,
)
from ficarchive.search.query import WorkQuery
from ficarchive.works.models import Work
from ficarchive.works.services import visitor_hit
from tests.factories import WorkFactory


@pytest.fixture
def indexer(settings: Any, db: None) -> Iterator[Indexer]:
    """An indexer this test drives by hand, with no indexing before searches."""
    settings.SEARCH_INLINE = False
    indexer = Indexer(heap_bytes=15_000_000)
    yield indexer
    indexer.close()


def _titles(viewer: Any) -> list[str]:
    result = search_works(WorkQuery(per_page=100, sort=None), viewer, facets=False)
    return sorted(work.title for work in result.works)


def _documents() -> int:
    searcher = live_searcher()
    assert searcher is not None
    return int(searcher.num_docs)


def test_there_is_no_index_until_the_indexer_builds_one(indexer: Indexer, guest: Any) -> None:
    WorkFactory.create(title="first")
    with pytest.raises(SearchUnavailable):
        search_works(WorkQuery(), guest)
    indexer.step()
    assert _titles(guest) == ["first"]


def test_the_log_is_applied_in_order_and_marked(indexer: Indexer, guest: Any) -> None:
    indexer.step()
    work = WorkFactory.create(title="new")
    assert changes_pending(search_consumer()) >= 1
    assert indexer.step() >= 1
    assert _titles(guest) == ["new"]
    assert changes_pending(search_consumer()) == 0
    Work.objects.filter(pk=work.pk).update(title="renamed")
    works_changed([work.pk], "edited")
    indexer.step()
    assert _titles(guest) == ["renamed"]


def test_applying_the_same_rows_again_gives_the_same_index(indexer: Indexer, guest: Any) -> None:
    for number in range(3):
        WorkFactory.create(title=f"w{number}")
    indexer.step()
    consumer_set(search_consumer(), 0)
    indexer.step()
    indexer.step()
    assert _titles(guest) == ["w0", "w1", "w2"]
    assert _documents() == 3


def test_a_crash_between_commit_and_marking_the_rows_only_repeats_work(
    indexer: Indexer, guest: Any
) -> None:
    indexer.step()
    work = WorkFactory.create(title="half applied")
    # What a process killed after Tantivy's commit and before marking the rows leaves behind.
    replace_documents(indexer.writer, [work.pk])
    indexer.writer.commit()
    indexer.close()
    again = Indexer(heap_bytes=15_000_000)
    try:
        again.step()
    finally:
        again.close()
    assert _titles(guest) == ["half applied"]
    assert _documents() == 1


def test_a_rebuild_request_builds_a_new_folder_and_swaps_it_in(
    indexer: Indexer, guest: Any, settings: Any
) -> None:
    WorkFactory.create(title="before")
    indexer.step()
    first = live_path()
    WorkFactory.create(title="during")
    index_rebuild_request("a bulk load")
    indexer.step()
    second = live_path()
    assert second is not None and second != first
    assert first is not None and not first.exists()
    assert _titles(guest) == ["before", "during"]
    assert changes_pending(search_consumer()) == 0


def test_an_index_of_another_schema_version_is_rebuilt(indexer: Indexer, guest: Any) -> None:
    WorkFactory.create(title="kept")
    indexer.step()
    path = live_path()
    assert path is not None
    info = IndexInfo.read(path)
    assert info is not None
    IndexInfo(info.schema - 1, info.built_at).write(path)
    assert live_path() is None
    indexer.step()
    assert live_path() is not None and live_path() != path
    assert _titles(guest) == ["kept"]


def test_only_one_process_writes_an_index(indexer: Indexer) -> None:
    indexer.step()
    path = live_path()
    assert path is not None
    with pytest.raises(WriterBusy):
        writer(open_index(path), 15_000_000, 1)


def test_reindex_swaps_in_a_new_index_and_a_running_indexer_follows(
    indexer: Indexer, guest: Any
) -> None:
    WorkFactory.create(title="one")
    indexer.step()
    old = live_path()
    out = StringIO()
    call_command("reindex", "--no-progress", stdout=out)
    assert "Indexed 1 works" in out.getvalue()
    new = live_path()
    assert new is not None and new != old
    # The running indexer still holds the old folder; its next step follows the swap.
    WorkFactory.create(title="two")
    indexer.step()
    assert indexer.path == new
    assert _titles(guest) == ["one", "two"]
    assert old is not None and not old.exists()


def test_applied_rows_are_pruned_after_a_while(indexer: Indexer) -> None:
    indexer.step()
    WorkFactory.create()
    indexer.step()
    ChangeLog.objects.update(created_at=timezone.now() - KEEP_APPLIED - timedelta(minutes=1))
    indexer.last_prune = 0.0
    indexer.step()
    assert not ChangeLog.objects.exists()


def test_a_rebuilt_index_replays_by_cursor_what_changed_while_it_was_built(
    indexer: Indexer, guest: Any
) -> None:
    WorkFactory.create(title="old")
    indexer.step()
    ChangeLog.objects.update(created_at=timezone.now() - timedelta(hours=2))
    path, written = build_index()
    info = IndexInfo.read(path)
    assert info is not None and written == 1
    # The build begins after the last row older than the margin, and holds the log there.
    assert info.replay_from == ChangeLog.objects.latest("id").id
    assert ChangeCursor.objects.get(consumer=build_consumer()).last_id == info.replay_from
    WorkFactory.create(title="during")
    ChangeLog.objects.update(created_at=timezone.now() - KEEP_APPLIED - timedelta(minutes=1))
    changes_prune(KEEP_APPLIED)
    assert ChangeLog.objects.filter(id__gt=info.replay_from).exists()
    replay_into(path)
    assert live_path() == path
    assert _titles(guest) == ["during", "old"]
    # The running indexer follows the swap, replays from the same place and lets the log go.
    indexer.step()
    assert indexer.path == path
    assert not ChangeCursor.objects.filter(consumer=build_consumer()).exists()
    assert changes_pending(search_consumer()) == 0
    assert _documents() == 2


def test_the_index_folder_holds_what_ficarchive_needs_to_read_it(indexer: Indexer) -> None:
    indexer.step()
    path = live_path()
    assert path is not None
    assert (path / INFO).exists()
    assert (Path(search_index.search_dir()) / search_index.CURRENT).read_text() == path.name


def test_hits_reach_the_index_in_batches(indexer: Indexer, settings: Any) -> None:
    work = WorkFactory.create()
    indexer.step()
    changes.counter_buffer.flushed_at -= changes.COUNTER_FLUSH_SECONDS
    for visitor in range(3):
        assert visitor_hit(work.pk, f"visitor{visitor}")
    # The first hit after the interval flushed; the next two wait for the next flush.
    assert ChangeLog.objects.filter(work_id=work.pk, reason="counters").count() == 1
    assert changes.counter_buffer.work_ids == {work.pk}


@pytest.mark.django_db
def test_a_build_reports_its_progress_in_works_not_ids() -> None:
    works = [WorkFactory.create(title=f"Spread {number}") for number in range(5)]
    # Gaps of ids between the works, as deletions leave.
    works[1].delete()
    works[3].delete()
    seen: list[tuple[int, int]] = []
    _path, written = build_index(lambda done, total: seen.append((done, total)))
    assert written == 3
    assert seen and seen[-1] == (3, 3)
    assert all(total == 3 for _done, total in seen)
