from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from ficarchive.formats.efiction.importer import Options, efiction_import
from ficarchive.formats.efiction.mapping import MappingError, default_mapping, mapping_load
from ficarchive.formats.efiction.reader import (
    DEFAULT_PREFIX,
    DumpSource,
    MysqlSource,
    Source,
    SourceError,
)


class Command(BaseCommand):
    help = (
        "Import an eFiction 3.5 archive (members, stories, series, reviews, favourites) from a "
        "mysqldump file or a live MySQL/MariaDB database (docs/efiction.md). Run again, it "
        "continues where it stopped and changes nothing it already imported."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        given = parser.add_mutually_exclusive_group(required=True)
        given.add_argument("--dump", type=Path, help="a mysqldump file of the eFiction database")
        given.add_argument("--mysql", help="mysql://user:password@host:port/database")
        parser.add_argument(
            "--stories", type=Path, help="the stories/ folder, when chapters are stored as files"
        )
        parser.add_argument(
            "--prefix", default=DEFAULT_PREFIX, help=f"table prefix (default {DEFAULT_PREFIX})"
        )
        parser.add_argument(
            "--mapping",
            type=Path,
            help="the mapping file to use (JSON, or TOML if it ends in .toml), as written by "
            "--write-mapping and edited",
        )
        parser.add_argument(
            "--write-mapping",
            type=Path,
            help="write the mapping used to this file (JSON) for editing",
        )
        parser.add_argument(
            "--category-tree",
            choices=["hierarchy", "meta"],
            default="hierarchy",
            help="hierarchy: a story in a sub-category gets its ancestors' fandoms too; meta: "
            "only its own, with the tree listed for wranglers as meta tags to make",
        )
        parser.add_argument(
            "--time-zone",
            default="UTC",
            help="the zone of the old server's clock, in which eFiction wrote its dates "
            "(e.g. America/New_York; default UTC)",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="read everything, write nothing, report"
        )
        parser.add_argument("--quiet", action="store_true", help="no progress bar")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            zone = ZoneInfo(options["time_zone"])
        except (ZoneInfoNotFoundError, ValueError):
            raise CommandError(f"--time-zone {options['time_zone']!r}: no such time zone") from None
        source: Source
        try:
            if options["dump"] is not None:
                source = DumpSource(options["dump"], options["prefix"])
            else:
                source = MysqlSource(options["mysql"], options["prefix"])
        except SourceError as error:
            raise CommandError(str(error)) from None
        if not source.has("stories") or not source.has("authors"):
            raise CommandError(
                f"{source.describe()}: no {options['prefix']}stories or {options['prefix']}authors "
                "table (is --prefix right?)"
            )
        if options["stories"] is not None and not options["stories"].is_dir():
            raise CommandError(f"{options['stories']}: no such folder")
        mapping = default_mapping(source, options["category_tree"])
        if options["mapping"] is not None:
            try:
                mapping = mapping_load(options["mapping"], mapping)
            except MappingError as error:
                raise CommandError(str(error)) from None
        if options["write_mapping"] is not None:
            mapping.write(options["write_mapping"])
            self.stdout.write(f"Mapping written to {options['write_mapping']}")
        bars: list[tqdm] = []

        def progress(table: str, total: int) -> Any:
            for bar in bars:
                bar.close()
            bar = tqdm(total=total, desc=table, unit="row", disable=options["quiet"] or None)
            bars.append(bar)
            return bar.update

        report = efiction_import(
            source,
            mapping,
            Options(stories_dir=options["stories"], dry_run=options["dry_run"], zone=zone),
            progress,
        )
        for bar in bars:
            bar.close()
        self.stdout.write("\n".join(report.lines()))
