"""The whole eFiction import, table after table: members, the mapping's tags, stories,
series, reviews and favourites. Each batch is one transaction that writes its rows together
with their kept links (formats.LegacyLink), so that a run killed half-way continues where it
stopped, and a second run changes nothing. A dry run does it all in one transaction that is
rolled back: the report is exact, and nothing stays."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, tzinfo
from pathlib import Path

from django.db import transaction

from ficarchive.core.bulk import reset_sequence
from ficarchive.formats.efiction import values
from ficarchive.formats.efiction.interactions import (
    favorites_import,
    reviews_import,
    series_import,
)
from ficarchive.formats.efiction.links import Links
from ficarchive.formats.efiction.mapping import Mapping
from ficarchive.formats.efiction.people import authors_import
from ficarchive.formats.efiction.reader import Row, Source
from ficarchive.formats.efiction.report import Report
from ficarchive.formats.efiction.stories import context_read, stories_import
from ficarchive.formats.models import LegacyKind
from ficarchive.tags.models import TagType
from ficarchive.tags.services import TagNameError, tags_find_or_create
from ficarchive.works.models import Work

# Called with a table's name and its row count before its rows; what it returns (if anything)
# is called once per row.
Progress = Callable[[str, int], Callable[[], None] | None]


@dataclass
class Options:
    stories_dir: Path | None = None
    dry_run: bool = False
    batch_size: int = 200
    # The zone of eFiction's dates (the old server's local time).
    zone: tzinfo = UTC


class _DryRun(Exception):
    """Rolls the dry run's transaction back."""


def efiction_import(
    source: Source, mapping: Mapping, options: Options, progress: Progress | None = None
) -> Report:
    """Import the archive `source` holds, as `mapping` says; returns the report."""
    report = Report(source=source.describe(), dry_run=options.dry_run)
    if not options.dry_run:
        _run(source, mapping, options, report, progress)
        return report
    try:
        with transaction.atomic():
            _run(source, mapping, options, report, progress)
            raise _DryRun
    except _DryRun:
        pass
    return report


def _counted(
    source: Source, table: str, progress: Progress | None
) -> tuple[list[Row], Callable[[], None] | None]:
    rows = list(source.rows(table))
    return rows, progress(table, len(rows)) if progress else None


def _run(
    source: Source,
    mapping: Mapping,
    options: Options,
    report: Report,
    progress: Progress | None,
) -> None:
    settings = next(iter(source.rows("settings")), {})
    store_files = values.text(settings.get("store")).strip().lower() == "files"
    language = values.text(settings.get("language")).strip() or "en"
    links = Links()
    if getattr(source, "repaired_encoding", False):
        report.note("the dump is not UTF-8: it was read as Windows-1252 (latin1)")
    rows, tick = _counted(source, "authors", progress)
    authors_import(
        rows, links, report, batch_size=options.batch_size, zone=options.zone, on_row=tick
    )
    _categories(mapping, links, report)
    context = context_read(
        source,
        mapping,
        links,
        report,
        store_files=store_files,
        stories_dir=options.stories_dir,
        language=language,
        zone=options.zone,
    )
    rows, tick = _counted(source, "stories", progress)
    stories_import(rows, context, batch_size=options.batch_size, on_row=tick)
    reset_sequence(Work)
    series_import(source.rows("series"), source.rows("inseries"), links, report)
    rows, tick = _counted(source, "reviews", progress)
    reviews_import(rows, links, report, zone=options.zone, on_row=tick)
    rows, tick = _counted(source, "favorites", progress)
    favorites_import(rows, links, report, on_row=tick)
    news = list(source.rows("news"))
    if news:
        report.read["news"] = len(news)
        report.note(f"{len(news)} news items not imported: the archive has no admin posts yet")
    if mapping.category_tree == "meta":
        for key, entry in mapping.categories.items():
            parent = mapping.categories.get(str(entry.get("parent")), {})
            if parent.get("fandom") and entry.get("fandom"):
                report.note(
                    f"to wrangle: make {parent['fandom']!r} a meta tag of {entry['fandom']!r} "
                    f"(category {key})"
                )


def _categories(mapping: Mapping, links: Links, report: Report) -> None:
    """A fandom tag for every mapped category (waiting for wrangling, as new tags do), kept
    as a link for browse.php's old URLs."""
    wanted = [
        (key, entry["fandom"])
        for key, entry in sorted(mapping.categories.items(), key=lambda item: int(item[0]))
        if entry.get("fandom") and not links.has(LegacyKind.CATEGORY, key)
    ]
    report.read["categories"] += len(mapping.categories)
    if len(wanted) < len(mapping.categories):
        report.already["categories"] += len(mapping.categories) - len(wanted)
    made = []
    with transaction.atomic():
        for key, name in wanted:
            try:
                tag = tags_find_or_create([(name, TagType.FANDOM)])[0]
            except TagNameError as error:
                report.skip("categories", key, f"the fandom {name!r} is refused: {error}")
                continue
            made.append((key, tag.pk))
        links.add(LegacyKind.CATEGORY, made)
    report.made["fandom links"] += len(made)
