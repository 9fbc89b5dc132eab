"""What the visibility matrix shares: one search index and one corpus per module (the corpus is
built once), and a line in pytest's summary with the matrix's size."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import transaction
from django.test import override_settings

from ficarchive.core.changes import counter_buffer
from ficarchive.search.index import forget_reader
from ficarchive.search.indexer import inline
from tests.visibility.corpus import Corpus, build_corpus


@pytest.fixture(scope="module")
def module_search_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """One index for the module's corpus, kept between its tests."""
    yield tmp_path_factory.mktemp("visibility") / "search"
    inline.forget()
    forget_reader()


@pytest.fixture(autouse=True)
def search_index(settings: Any, module_search_dir: Path) -> Iterator[Path]:
    """Replaces the suite's index-per-test: here every test reads the module's corpus, whose
    index is built once (SEARCH_INLINE still applies the log before each search)."""
    settings.SEARCH_DIR = module_search_dir
    settings.SEARCH_INLINE = True
    counter_buffer.reset()
    yield module_search_dir


@pytest.fixture(scope="module")
def corpus(
    django_db_setup: None, django_db_blocker: Any, module_search_dir: Path
) -> Iterator[Corpus]:
    """The module's corpus, in a transaction rolled back after its last test; each test runs
    in a savepoint inside it."""
    with (
        django_db_blocker.unblock(),
        override_settings(SEARCH_DIR=module_search_dir, SEARCH_INLINE=True),
        transaction.atomic(),
    ):
        yield build_corpus()
        transaction.set_rollback(True)


# Filled while collecting and running: the matrix's axes as actually parametrised.
_MATRIX: dict[str, Any] = {"axes": {}, "collected": 0, "run": 0, "failed": 0, "ids": set()}
AXES = ("state", "viewer", "surface")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    axes: dict[str, set[str]] = {axis: set() for axis in AXES}
    ids: set[str] = set()
    for item in items:
        params = getattr(getattr(item, "callspec", None), "params", {})
        if all(axis in params for axis in AXES):
            for axis in AXES:
                axes[axis].add(params[axis])
            ids.add(item.nodeid)
    _MATRIX.update(axes=axes, collected=len(ids), ids=ids)


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.nodeid in _MATRIX["ids"] and report.when == "call":
        _MATRIX["run"] += 1
        if report.failed:
            _MATRIX["failed"] += 1


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if not _MATRIX["collected"]:
        return
    sizes = [len(_MATRIX["axes"][axis]) for axis in AXES]
    terminalreporter.write_line(
        f"visibility matrix: {sizes[0]} states x {sizes[1]} viewers x {sizes[2]} surfaces"
        f" = {sizes[0] * sizes[1] * sizes[2]} cases"
        f" ({_MATRIX['collected']} collected, {_MATRIX['run']} run,"
        f" {_MATRIX['failed']} failed)"
    )
