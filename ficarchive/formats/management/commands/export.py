from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from ficarchive.formats.export import work_record, works_for_export
from ficarchive.formats.workrecord.write import write_record

CHUNK = 500


class Command(BaseCommand):
    help = "Export works as work records: one work to standard output, or all works to a folder."

    def add_arguments(self, parser: CommandParser) -> None:
        target = parser.add_mutually_exclusive_group(required=True)
        target.add_argument("--work", type=int, metavar="ID", help="the work to write out")
        target.add_argument(
            "--all", type=Path, metavar="DIR", help="write every work to DIR/<id>.txt"
        )
        parser.add_argument("--output", type=Path, help="with --work: a file instead of stdout")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["work"] is not None:
            work = works_for_export().filter(pk=options["work"]).first()
            if work is None:
                raise CommandError(f"there is no work {options['work']}")
            text = write_record(work_record(work))
            if options["output"]:
                Path(options["output"]).write_text(text, encoding="utf-8", newline="\n")
            else:
                self.stdout.write(text, ending="")
            return
        folder = Path(options["all"])
        folder.mkdir(parents=True, exist_ok=True)
        works = works_for_export().order_by("pk")
        count = 0
        with tqdm(total=works.count(), unit="work", disable=None) as bar:
            for work in works.iterator(chunk_size=CHUNK):
                text = write_record(work_record(work))
                (folder / f"{work.pk}.txt").write_text(text, encoding="utf-8", newline="\n")
                count += 1
                bar.update()
        self.stdout.write(f"Exported {count} works to {folder}.")
