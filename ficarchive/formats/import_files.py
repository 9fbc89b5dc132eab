"""Importing many record files: reading and rendering them on the spare cores, writing them in
batches, each file whole or not at all."""

from __future__ import annotations

import functools
import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.db import transaction

from ficarchive.core.bulk import reset_sequence
from ficarchive.formats.services import IMPORTED, record_draft, render_chapters
from ficarchive.formats.workrecord.parse import RecordError, decode_record, parse_record
from ficarchive.formats.workrecord.record import WorkRecord
from ficarchive.works.models import Work
from ficarchive.works.writer.lookups import WriterCache
from ficarchive.works.writer.write import works_write_bulk

RECORD_SUFFIXES = {".txt"}
# Below this many files, starting worker processes costs more than it saves.
PARALLEL_FROM = 100


@dataclass
class ImportReport:
    files: int = 0
    created: int = 0
    updated: int = 0
    failed: int = 0
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def record_files(paths: Iterable[Path]) -> Iterator[Path]:
    """The files named, and the record files (*.txt) inside the folders named, recursively."""
    for path in paths:
        if path.is_dir():
            yield from sorted(
                child
                for child in path.rglob("*")
                if child.suffix.lower() in RECORD_SUFFIXES
                and child.is_file()
                and not any(part.startswith(".") for part in child.relative_to(path).parts)
            )
        else:
            yield path


@dataclass
class PreparedFile:
    """A record file read, parsed and rendered, or the problems that stopped it."""

    path: Path
    record: WorkRecord | None = None
    rendered: list[tuple[str, int]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def prepare_file(path: Path, skip_unknown_labels: bool, today: date | None) -> PreparedFile:
    """Everything about importing a file that needs no database: safe in a worker process."""
    source = str(path)
    try:
        text = decode_record(path.read_bytes())
        result = parse_record(text, skip_unknown_labels=skip_unknown_labels, today=today)
    except OSError as error:
        return PreparedFile(path, problems=[f"{source}:1: cannot read the file: {error.strerror}"])
    except RecordError as error:
        return PreparedFile(path, problems=[p.format(source) for p in error.problems])
    return PreparedFile(
        path,
        record=result.record,
        rendered=render_chapters(result.record),
        warnings=[problem.format(source) for problem in result.warnings],
    )


def _prepared(
    files: list[Path], skip_unknown_labels: bool, today: date | None, workers: int | None
) -> Iterator[PreparedFile]:
    prepare = functools.partial(prepare_file, skip_unknown_labels=skip_unknown_labels, today=today)
    if workers is None:
        workers = max(1, (os.cpu_count() or 1) - 1) if len(files) >= PARALLEL_FROM else 0
    if workers < 1 or "fork" not in multiprocessing.get_all_start_methods():
        yield from map(prepare, files)
        return
    # Forked workers inherit the configured Django and never touch the database connection;
    # they exit without running finalizers, so the parent's connection stays intact.
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        yield from pool.imap(prepare, files, chunksize=8)


def records_import(
    paths: list[Path],
    *,
    skip_unknown_labels: bool = False,
    batch_size: int = 200,
    today: date | None = None,
    workers: int | None = None,
    on_file: Callable[[Path], None] | None = None,
) -> ImportReport:
    """Import every record file; each file goes in whole or not at all.

    Files are parsed and rendered in worker processes (`workers`; by default one per spare
    core for large imports) and written in batches, a batch's records together by the work
    writer in one transaction, which leaves out whole the records it cannot take, so that a
    bad file leaves nothing behind and does not stop the others.
    """
    report = ImportReport()
    cache = WriterCache()
    files = list(record_files(paths))
    report.files = len(files)
    prepared = _prepared(files, skip_unknown_labels, today, workers)
    while True:
        batch = [item for _, item in zip(range(batch_size), prepared, strict=False)]
        if not batch:
            break
        with transaction.atomic():
            _import_batch(batch, cache, report)
            reset_sequence(Work)
        if on_file:
            for item in batch:
                on_file(item.path)
    return report


def _import_batch(batch: list[PreparedFile], cache: WriterCache, report: ImportReport) -> None:
    """Write a batch's records together; a file that fails leaves nothing and is reported."""
    drafts = [record_draft(item.record, item.rendered) for item in batch if item.record is not None]
    written = iter(works_write_bulk(drafts, reasons=IMPORTED, cache=cache).results)
    for item in batch:
        if item.record is None:
            report.failed += 1
            report.problems.extend(item.problems)
            continue
        result = next(written)
        if result.error is not None:
            report.failed += 1
            report.problems.append(f"{item.path}:1: not imported: {result.error}")
            continue
        report.warnings.extend(item.warnings)
        if result.created:
            report.created += 1
        else:
            report.updated += 1
