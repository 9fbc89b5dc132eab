"""Import throughput: works per second for record files on SQLite and PostgreSQL.

Generates a corpus with `ficarchive demo`, exports it as record files with `ficarchive export`,
then imports the files into fresh databases. Baselines in the same run: parsing alone (the
ceiling: no database), and committing every file on its own instead of in batches.

    uv run python bench/import_records.py --works 10000
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (
    DEFAULT_POSTGRES,
    environment,
    ficarchive,
    fresh_postgres,
    run_child,
    setup_django,
)


def measure(records: Path, batch_size: int, parse_only: bool) -> None:
    """Child mode: migrate the configured database, import the records, print one JSON line."""
    setup_django()
    from django.core.management import call_command

    from ficarchive.formats.import_files import record_files, records_import
    from ficarchive.formats.workrecord.parse import decode_record, parse_record
    from ficarchive.works.models import Work

    files = list(record_files([records]))
    if parse_only:
        start = time.perf_counter()
        for path in files:
            parse_record(decode_record(path.read_bytes()))
        seconds = time.perf_counter() - start
        print(json.dumps({"files": len(files), "seconds": seconds}))
        return
    call_command("migrate", verbosity=0)
    start = time.perf_counter()
    report = records_import(files, batch_size=batch_size)
    seconds = time.perf_counter() - start
    assert report.failed == 0, report.problems[:5]
    assert Work.objects.count() == len(files)
    print(json.dumps({"files": len(files), "seconds": seconds}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--works", type=int, default=10_000)
    parser.add_argument(
        "--body-words",
        type=int,
        default=1000,
        help="cap on generated words per chapter (0: the full sampled length)",
    )
    parser.add_argument(
        "--postgres",
        default=DEFAULT_POSTGRES,
        help="database URL for the PostgreSQL run (dropped and created)",
    )
    parser.add_argument("--skip-postgres", action="store_true")
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--batch-size", type=int, default=200, help=argparse.SUPPRESS)
    parser.add_argument("--parse-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        measure(args.measure, args.batch_size, args.parse_only)
        return

    script = Path(__file__).resolve()
    with tempfile.TemporaryDirectory(prefix="ficarchive-bench-") as temp:
        work = Path(temp)
        records = work / "records"
        source = environment(DATA_DIR=str(work / "source"))
        print(f"Generating {args.works:,} works and exporting them as record files...")
        ficarchive(source, "migrate", "-v0")
        demo = ["demo", "--works", str(args.works), "--seed", "7"]
        if args.body_words:
            demo += ["--body-words", str(args.body_words)]
        ficarchive(source, *demo)
        ficarchive(source, "export", "--all", str(records))
        size = sum(path.stat().st_size for path in records.iterdir())
        print(f"{args.works:,} record files, {size / 1e6:.1f} MB in all\n")

        runs: list[tuple[str, dict[str, float]]] = []
        runs.append(
            (
                "parse only (no database, ceiling)",
                run_child(
                    script,
                    environment(DATA_DIR=str(work / "p")),
                    "--measure",
                    str(records),
                    "--parse-only",
                ),
            )
        )
        runs.append(
            (
                "SQLite, batches of 200 files",
                run_child(
                    script, environment(DATA_DIR=str(work / "s1")), "--measure", str(records)
                ),
            )
        )
        runs.append(
            (
                "SQLite, one commit per file (baseline)",
                run_child(
                    script,
                    environment(DATA_DIR=str(work / "s2")),
                    "--measure",
                    str(records),
                    "--batch-size",
                    "1",
                ),
            )
        )
        if not args.skip_postgres and fresh_postgres(args.postgres):
            runs.append(
                (
                    "PostgreSQL, batches of 200 files",
                    run_child(
                        script, environment(DATABASE_URL=args.postgres), "--measure", str(records)
                    ),
                )
            )
            fresh_postgres(args.postgres)
            runs.append(
                (
                    "PostgreSQL, one commit per file (baseline)",
                    run_child(
                        script,
                        environment(DATABASE_URL=args.postgres),
                        "--measure",
                        str(records),
                        "--batch-size",
                        "1",
                    ),
                )
            )

    print(f"{'run':45} {'seconds':>9} {'works/s':>9} {'vs parse':>9}")
    ceiling = runs[0][1]["files"] / runs[0][1]["seconds"]
    for name, result in runs:
        rate = result["files"] / result["seconds"]
        print(f"{name:45} {result['seconds']:9.2f} {rate:9.0f} {rate / ceiling:9.2f}")


if __name__ == "__main__":
    main()
