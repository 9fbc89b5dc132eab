"""kill -9 of a web worker, the indexer and the task worker, one after the other, each during a
load loop against the real `ficarchive serve`: the archive keeps answering, every write it said
it took is in the database, the killed process is replaced (gunicorn's arbiter for a web
worker, serve's supervisor for the others), and a work posted meanwhile becomes searchable."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from django_tasks_db.models import DBTaskResult

from ficarchive.accounts.models import User
from tests.faults.archive import Archive, Load, log_in, serving, wait_until
from tests.security.server import Browser

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

LOAD_SECONDS = 4.0
# A replaced process is up within this (the supervisor looks every 2 s; a new one starts in
# a few seconds more on a busy machine): a bound on waiting, not a timing under test.
REPLACED_SECONDS = 30.0


def _under_load(
    archive: Archive, writers: list[User], works: list[int], kill: int, name: str
) -> Load:
    logged_in = [log_in(archive.url, user) for user in writers]
    with Load(archive.url, logged_in, works) as load:
        time.sleep(LOAD_SECONDS / 2)
        archive.kill(kill)
        time.sleep(LOAD_SECONDS)
    tally = load.tally
    print(
        f"\nfault: kill -9 of the {name}: {tally.summary()}; writes taken: {len(tally.comments)} "
        f"comments, {len(tally.works)} works, {len(tally.kudos)} kudos"
    )
    return load


def _sidecar(archive: Archive, name: str) -> int:
    """The sidecar's process, waited for while the supervisor starts it (again)."""
    wait_until(lambda: archive.sidecar(name) is not None, REPLACED_SECONDS, f"the {name} runs")
    pid = archive.sidecar(name)
    assert pid is not None
    return pid


def _replaced(archive: Archive, name: str, killed: int) -> None:
    wait_until(
        lambda: archive.sidecar(name) not in {None, killed},
        REPLACED_SECONDS,
        f"the {name} was started again",
    )


def _searchable(archive: Archive, title: str) -> bool:
    status, page = Browser(archive.url).request(f"/works/search?q={title.split()[0]}")
    return status == 200 and title in page


def test_killed_processes_are_replaced_and_no_write_is_lost(
    tmp_path: Path, cast: tuple[list[User], list[int]]
) -> None:
    writers, works = cast
    loads = {}
    # A job of a killed worker is run again once its lease of 5 s has gone unrenewed.
    with serving(tmp_path / "data", TASKS_LEASE_SECONDS="5") as archive:
        # A web worker: gunicorn's arbiter starts another.
        before = archive.web_workers()
        assert len(before) == 2, archive.children()
        loads["web worker"] = load = _under_load(archive, writers, works, before[0], "web worker")
        wait_until(
            lambda: len(archive.web_workers()) == 2 and before[0] not in archive.web_workers(),
            REPLACED_SECONDS,
            "gunicorn replaced its killed worker",
        )
        # Only the requests the killed worker was answering fail: at most one a thread.
        assert load.tally.failed <= len(load.threads), load.tally.summary()
        assert not [code for code in load.tally.pages if isinstance(code, int)], load.tally.pages

        for sidecar in ["indexer", "worker"]:
            killed = _sidecar(archive, sidecar)
            loads[sidecar] = load = _under_load(archive, writers, works, killed, sidecar)
            _replaced(archive, sidecar, killed)
            assert load.tally.failed == 0, load.tally.summary()
            assert load.tally.works, f"no work was posted under load: {load.tally.summary()}"

        # The indexer started again catches up with what was posted while it was down.
        title = loads["indexer"].tally.works[-1]
        wait_until(lambda: _searchable(archive, title), REPLACED_SECONDS, f"{title} is found")
        # The worker started again runs what was queued, the job it was killed in included.
        wait_until(
            lambda: not DBTaskResult.objects.filter(status__in=["READY", "RUNNING"]).exists(),
            REPLACED_SECONDS,
            "the task queue is drained",
        )
    for fault, load in loads.items():
        assert load.tally.lost() == [], fault
        assert load.tally.tried > 20, f"{fault}: {load.tally.summary()}"
