from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from ficarchive.formats.import_files import record_files, records_import


class Command(BaseCommand):
    help = (
        "Import work records (docs/work-record-format.md) from files and folders. Each file is "
        "imported whole or not at all; a record whose Work ID exists updates that work."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", type=Path, help="record files or folders")
        parser.add_argument(
            "--skip-unknown-labels",
            action="store_true",
            help="leave out header lines with labels the format does not know, with a warning, "
            "instead of rejecting the file",
        )
        parser.add_argument("--quiet", action="store_true", help="no progress bar or summary")

    def handle(self, *args: Any, **options: Any) -> None:
        paths = [Path(path) for path in options["paths"]]
        for path in paths:
            if not path.exists():
                raise CommandError(f"{path}: no such file or folder")
        total = len(list(record_files(paths)))
        if not total:
            named = ", ".join(str(path) for path in paths)
            raise CommandError(f"{named}: no record files (*.txt) to import")
        # A progress bar only for many files, and only on a terminal.
        bar = tqdm(total=total, unit="file", disable=options["quiet"] or total < 20 or None)
        with bar:
            report = records_import(
                paths,
                skip_unknown_labels=options["skip_unknown_labels"],
                on_file=lambda _path: _advance(bar),
            )
        for line in report.warnings:
            self.stderr.write(f"{line} (warning)")
        for line in report.problems:
            self.stderr.write(line)
        if not options["quiet"]:
            self.stdout.write(
                f"Imported {report.created + report.updated} of {_count(report.files, 'file')}: "
                f"{_count(report.created, 'new work')}, {report.updated} updated, "
                f"{report.failed} failed."
            )
        if report.failed:
            files = _count(report.files, "file")
            raise CommandError(f"{report.failed} of {files} were not imported")


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def _advance(bar: tqdm) -> None:
    bar.update()
