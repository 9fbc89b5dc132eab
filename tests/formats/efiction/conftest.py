from __future__ import annotations

from pathlib import Path

import pytest

from ficarchive.formats.efiction.importer import Options, efiction_import
from ficarchive.formats.efiction.mapping import Mapping, default_mapping
from ficarchive.formats.efiction.reader import DumpSource
from ficarchive.formats.efiction.report import Report
from tests.formats.efiction.archive import Archive


def dump_of(archive: Archive, tmp_path: Path, name: str = "efiction.sql") -> Path:
    path = tmp_path / name
    path.write_text(archive.sql())
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


@pytest.fixture
def imported(db: None, tmp_path: Path) -> Report:
    """The small archive, imported from its dump."""
    from tests.formats.efiction.archive import small_archive

    return run_import(small_archive(), tmp_path)
