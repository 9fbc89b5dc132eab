"""eFiction import throughput: a generated eFiction 3.5 dump imported into fresh SQLite and
PostgreSQL databases, with the time of each stage (reading the dump, members, stories,
reviews, the rest).

The issue's size is 50,000 stories, 150,000 chapters, 200,000 reviews and 5,000 members, to
import in under 10 minutes on each database:

    uv run python bench/efiction.py --stories 50000 --members 5000
    uv run python bench/efiction.py --stories 2000 --members 200     # a quick look
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import DEFAULT_POSTGRES, environment, fresh_postgres, run_child, setup_django
from tests.formats.efiction.archive import SCHEMA, md5, quote

WORDS = (
    "the harbour light fell across water and stone while ships came in slowly under a grey "
    "sky she said nothing for a long time then laughed and turned away toward the old road"
).split()


def _values(table: str, row: dict[str, object]) -> str:
    return (
        "("
        + ",".join(quote(row.get(column, _default(type_))) for column, type_ in SCHEMA[table])
        + ")"
    )


def _default(type_: str) -> object:
    if "default NULL" in type_:
        return None
    if type_.startswith(("int", "tinyint", "smallint")):
        return 0
    if "default '" in type_:
        return type_.split("default '", 1)[1].split("'", 1)[0]
    return ""


def _text(rng: random.Random, words: int) -> str:
    paragraphs = []
    left = words
    while left > 0:
        size = min(left, rng.randint(40, 120))
        paragraphs.append(" ".join(rng.choice(WORDS) for _ in range(size)).capitalize() + ".")
        left -= size
    return "\n\n".join(paragraphs)


def _rows(
    stories: int, members: int, words: int, seed: int
) -> Iterator[tuple[str, dict[str, object]]]:
    rng = random.Random(seed)
    yield "settings", {"sitename": "Bench", "store": "db", "language": "en"}
    for uid in range(1, members + 1):
        yield (
            "authors",
            {
                "uid": uid,
                "penname": f"Member {uid}",
                "email": f"member{uid}@example.org",
                "password": md5(f"password {uid}"),
                "date": "2008-01-01 00:00:00",
            },
        )
    for catid in range(1, 41):
        yield (
            "categories",
            {
                "catid": catid,
                "parentcatid": -1 if catid <= 10 else (catid % 10) + 1,
                "category": f"Fandom {catid}",
            },
        )
    for charid in range(1, 201):
        yield (
            "characters",
            {"charid": charid, "catid": charid % 40 + 1, "charname": f"Person {charid}"},
        )
    for rid, name in enumerate(["G", "PG", "PG-13", "R", "NC-17"], 1):
        yield "ratings", {"rid": rid, "rating": name}
    yield "classtypes", {"classtype_id": 1, "classtype_name": "genres", "classtype_title": "Genres"}
    yield (
        "classtypes",
        {"classtype_id": 2, "classtype_name": "warnings", "classtype_title": "Warnings"},
    )
    for class_id in range(1, 31):
        yield (
            "classes",
            {
                "class_id": class_id,
                "class_type": 2 if class_id <= 5 else 1,
                "class_name": ["Character Death", "Violence", "None", "Language", "Rape"][
                    class_id - 1
                ]
                if class_id <= 5
                else f"Genre {class_id}",
            },
        )
    chapid = reviewid = 0
    for sid in range(1, stories + 1):
        uid = rng.randint(1, members)
        yield (
            "stories",
            {
                "sid": sid,
                "title": f"Story {sid}",
                "summary": "A summary of the story.",
                "catid": str(rng.randint(1, 40)),
                "charid": ",".join(str(rng.randint(1, 200)) for _ in range(2)),
                "classes": ",".join(str(rng.randint(1, 30)) for _ in range(3)),
                "rid": str(rng.randint(1, 5)),
                "date": "2009-01-01 00:00:00",
                "updated": "2009-02-01 00:00:00",
                "uid": uid,
                "validated": 1,
                "completed": rng.randint(0, 1),
                "wordcount": 3 * words,
            },
        )
        chapters = []
        for inorder in range(1, 4):
            chapid += 1
            chapters.append(chapid)
            yield (
                "chapters",
                {
                    "chapid": chapid,
                    "sid": sid,
                    "uid": uid,
                    "inorder": inorder,
                    "title": f"Chapter {inorder}",
                    "validated": 1,
                    "storytext": _text(rng, words),
                },
            )
        for number in range(4):
            reviewid += 1
            yield (
                "reviews",
                {
                    "reviewid": reviewid,
                    "item": sid,
                    "chapid": chapters[number % 3],
                    "reviewer": f"Member {rng.randint(1, members)}" if number % 2 else "A guest",
                    "uid": rng.randint(1, members) if number % 2 else 0,
                    "review": "Lovely chapter, thank you!",
                    "date": "2009-03-01 00:00:00",
                    "type": "ST",
                },
            )


def generate(path: Path, stories: int, members: int, words: int, seed: int = 7) -> None:
    """Write the dump: a CREATE TABLE per table, then INSERTs of up to 100 rows."""
    tables: dict[str, list[str]] = {table: [] for table in SCHEMA}
    with path.open("w", encoding="utf-8") as out:
        for table, columns in SCHEMA.items():
            body = ",\n".join(f"  `{column}` {type_}" for column, type_ in columns)
            out.write(f"CREATE TABLE `fanfiction_{table}` (\n{body}\n);\n")

        def flush(table: str) -> None:
            if tables[table]:
                out.write(
                    f"INSERT INTO `fanfiction_{table}` VALUES " + ",\n".join(tables[table]) + ";\n"
                )
                tables[table] = []

        for table, row in _rows(stories, members, words, seed):
            tables[table].append(_values(table, row))
            if len(tables[table]) >= 100:
                flush(table)
        for table in SCHEMA:
            flush(table)


def measure(dump: Path) -> None:
    """Child mode: migrate the configured database, import the dump, print one JSON line."""
    setup_django()
    from django.core.management import call_command

    from ficarchive.formats.efiction.importer import Options, efiction_import
    from ficarchive.formats.efiction.mapping import default_mapping
    from ficarchive.formats.efiction.reader import DumpSource
    from ficarchive.works.models import Work

    call_command("migrate", verbosity=0)
    stages: dict[str, float] = {}
    current: dict[str, str | float] = {"table": "", "since": 0.0}

    def progress(table: str, total: int) -> None:
        """Each table's rows start a stage: the time until the next is that table's."""
        now = time.perf_counter()
        if current["table"]:
            stages[str(current["table"])] = now - float(current["since"])
        current["table"], current["since"] = table, now

    start = time.perf_counter()
    source = DumpSource(dump)
    stages["read dump"] = time.perf_counter() - start
    current["since"] = time.perf_counter()
    report = efiction_import(source, default_mapping(source), Options(), progress)
    end = time.perf_counter()
    stages[str(current["table"])] = end - float(current["since"])
    print(
        json.dumps(
            {
                "seconds": end - start,
                "stages": stages,
                "works": Work.objects.count(),
                "made": dict(report.made),
                "skipped": len(report.skipped),
            }
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--stories", type=int, default=50_000)
    parser.add_argument("--members", type=int, default=5_000)
    parser.add_argument("--words", type=int, default=300, help="words per chapter")
    parser.add_argument("--postgres", default=DEFAULT_POSTGRES)
    parser.add_argument("--skip-postgres", action="store_true")
    parser.add_argument("--skip-sqlite", action="store_true")
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        measure(args.measure)
        return
    script = Path(__file__).resolve()
    with tempfile.TemporaryDirectory(prefix="ficarchive-bench-efiction-") as temp:
        work = Path(temp)
        dump = work / "efiction.sql"
        started = time.perf_counter()
        generate(dump, args.stories, args.members, args.words)
        print(
            f"{args.stories:,} stories, {3 * args.stories:,} chapters, {4 * args.stories:,} "
            f"reviews, {args.members:,} members: {dump.stat().st_size / 1e6:.0f} MB dump "
            f"(written in {time.perf_counter() - started:.0f} s)"
        )
        runs = []
        if not args.skip_sqlite:
            runs.append(
                (
                    "SQLite",
                    run_child(
                        script, environment(DATA_DIR=str(work / "s")), "--measure", str(dump)
                    ),
                )
            )
        if not args.skip_postgres and fresh_postgres(args.postgres):
            runs.append(
                (
                    "PostgreSQL",
                    run_child(
                        script, environment(DATABASE_URL=args.postgres), "--measure", str(dump)
                    ),
                )
            )
    for name, result in runs:
        stages = ", ".join(
            f"{stage} {seconds:.1f} s" for stage, seconds in result["stages"].items()
        )
        print(f"{name}: {result['seconds']:.1f} s for {result['works']:,} works ({stages})")


if __name__ == "__main__":
    main()
