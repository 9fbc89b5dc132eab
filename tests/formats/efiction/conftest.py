from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import transaction

from ficarchive.formats.efiction.importer import Options, efiction_import
from ficarchive.formats.efiction.mapping import Mapping, default_mapping
from ficarchive.formats.efiction.reader import DumpSource
from ficarchive.formats.efiction.report import Report
from tests.formats.efiction.archive import Archive, small_archive


def dump_of(archive: Archive, tmp_path: Path, name: str = "efiction.sql") -> Path:
    path = tmp_path / name
    path.write_text(archive.sql(), encoding="utf-8")
    return path


def run_import(
    archive: Archive,
    tmp_path: Path,
    *,
    mapping: Mapping | None = None,
    dry_run: bool = False,
    stories_dir: Path | None = None,
    category_tree: str = "hierarchy",
) -> Report:
    source = DumpSource(dump_of(archive, tmp_path))
    used = mapping or default_mapping(source, category_tree)
    return efiction_import(source, used, Options(stories_dir=stories_dir, dry_run=dry_run))


@contextlib.contextmanager
def kept_for_module(django_db_blocker: Any) -> Iterator[None]:
    """Database access for a module-scoped fixture, in a transaction rolled back after the
    module's tests (which run in savepoints inside it)."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture(scope="module")
def small_imported(
    django_db_setup: None,
    django_db_blocker: Any,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Report]:
    """The small archive imported once for a module's tests (members' Argon2 hashes are slow
    on purpose), in a transaction rolled back after them; each test runs in a savepoint."""
    with kept_for_module(django_db_blocker):
        yield run_import(small_archive(), tmp_path_factory.mktemp("small"))


@pytest.fixture
def imported(small_imported: Report, db: None) -> Report:
    """The small archive, imported from its dump."""
    return small_imported
