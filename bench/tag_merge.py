"""Merging a tag used by 100,000 works into a canonical tag with meta tags: the seconds until
every work's filter tags and flags are right, on SQLite and on PostgreSQL, against a naive
recompute (the ORM, work by work) timed on a sample in the same run and scaled up.

The corpus is a demo corpus (`ficarchive demo`), so that each work has its usual fifteen or so
tags and filter tags. Two merges, each of a tag on every work: a new additional tag (what
wranglers do all day: its works only gain filters, written with the change), and a canonical
one merged by an admin (its works lose and gain filters: the batched recompute).

    uv run python bench/tag_merge.py --works 100000
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import DEFAULT_POSTGRES, environment, fresh_postgres, run_child, setup_django

# (source, source canonical, target, meta tag, meta tag of the meta tag) for each merge.
MERGES = (
    ("merge me", False, "Merged Tag", "Merged Meta Tag", "Merged Top Tag"),
    ("Merge Me Canonical", True, "Merged Tag Two", "Merged Meta Two", "Merged Top Two"),
)


def setup(works: int) -> None:
    """Child mode: a demo corpus, the tag to merge on every work, and the canonical target
    under two levels of meta tags."""
    setup_django()
    from django.core.management import call_command
    from django.db import connection, transaction

    from ficarchive.tags import wrangling
    from ficarchive.tags.models import FilterTagging, Tag, Tagging, TagType
    from ficarchive.tags.services import tags_find_or_create
    from ficarchive.works.models import Work

    call_command("migrate", verbosity=0)
    call_command("demo", works=works, body_words=1, seed=11, verbosity=0)
    quote = connection.ops.quote_name
    for position, (source_name, canonical, target_name, meta_name, top_name) in enumerate(MERGES):
        with transaction.atomic():
            [source] = tags_find_or_create([(source_name, TagType.FREEFORM)])
            with connection.cursor() as cursor:
                cursor.execute(
                    f"INSERT INTO {quote(Tagging._meta.db_table)} (work_id, tag_id, position) "
                    f"SELECT id, %s, %s FROM {quote(Work._meta.db_table)}",
                    [source.pk, 90 + position],
                )
            if canonical:
                Tag.objects.filter(pk=source.pk).update(canonical=True)
                with connection.cursor() as cursor:
                    cursor.execute(
                        f"INSERT INTO {quote(FilterTagging._meta.db_table)} "
                        f"(work_id, filter_id, inherited) "
                        f"SELECT id, %s, false FROM {quote(Work._meta.db_table)}",
                        [source.pk],
                    )
            target, meta, top = (
                Tag.objects.create(name=name, type=TagType.FREEFORM, canonical=True)
                for name in (target_name, meta_name, top_name)
            )
        wrangling.meta_tag_add(meta, target, user=None)
        wrangling.meta_tag_add(top, meta, user=None)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(json.dumps({"works": Work.objects.count()}))


def measure(sample: int) -> None:
    """Child mode: merge, check the result, then time the naive recompute on a sample."""
    setup_django()
    from ficarchive.tags import wrangling
    from ficarchive.tags.models import FilterTagging, StaleWork, Tag
    from ficarchive.works.models import Work

    works = Work.objects.count()
    seconds = []
    for source_name, _canonical, target_name, meta_name, top_name in MERGES:
        source, target = Tag.objects.get(name=source_name), Tag.objects.get(name=target_name)
        start = time.perf_counter()
        wrangling.tag_merge(source, target, user=None)
        seconds.append(time.perf_counter() - start)
        for name, inherited in ((target_name, False), (meta_name, True), (top_name, True)):
            found = FilterTagging.objects.filter(filter__name=name, inherited=inherited).count()
            assert found == works, (name, found, works)
        assert not FilterTagging.objects.filter(filter=source).exists()
        assert not StaleWork.objects.exists()

    ids = list(Work.objects.order_by("?").values_list("id", flat=True)[:sample])
    start = time.perf_counter()
    for work_id in ids:
        _naive_recompute(work_id)
    naive = (time.perf_counter() - start) / len(ids) * works
    result = {"works": works, "new": seconds[0], "canonical": seconds[1], "naive": naive}
    print(json.dumps(result | {"sample": len(ids)}))


def _naive_recompute(work_id: int) -> None:
    """What one would write first: each work on its own, through the ORM."""
    from django.db import transaction

    from ficarchive.tags.filters import is_crossover
    from ficarchive.tags.models import FilterTagging, MetaTagging, TagType
    from ficarchive.works.models import Work

    with transaction.atomic():
        work = Work.objects.get(pk=work_id)
        tags = list(work.tags.all())
        direct = {
            filter_id
            for filter_id in (tag.pk if tag.canonical else tag.merger_id for tag in tags)
            if filter_id is not None
        }
        metas: dict[int, set[int]] = {}
        for link in MetaTagging.objects.filter(sub_tag_id__in=direct):
            metas.setdefault(link.sub_tag_id, set()).add(link.meta_tag_id)
        FilterTagging.objects.filter(work=work).delete()
        rows = {filter_id: False for filter_id in direct}
        for found in metas.values():
            for meta in found:
                rows.setdefault(meta, True)
        FilterTagging.objects.bulk_create(
            FilterTagging(work=work, filter_id=pk, inherited=inherited)
            for pk, inherited in rows.items()
        )
        fandoms = {tag.merger_id or tag.pk for tag in tags if tag.type == TagType.FANDOM}
        relationships = {
            tag.merger_id or tag.pk for tag in tags if tag.type == TagType.RELATIONSHIP
        }
        work.crossover = is_crossover(fandoms, metas)
        work.otp = len(relationships) == 1
        work.save(update_fields=["crossover", "otp"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--works", type=int, default=100_000)
    parser.add_argument("--sample", type=int, default=1000, help="works in the naive sample")
    parser.add_argument("--postgres", default=DEFAULT_POSTGRES.replace("bench", "bench_merge"))
    parser.add_argument("--skip-postgres", action="store_true")
    parser.add_argument("--skip-sqlite", action="store_true")
    parser.add_argument("--setup", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.setup:
        setup(args.works)
        return
    if args.measure:
        measure(args.sample)
        return

    script = Path(__file__).resolve()
    runs: list[tuple[str, dict[str, float]]] = []
    with tempfile.TemporaryDirectory(prefix="ficarchive-bench-") as temp:
        databases = []
        if not args.skip_sqlite:
            databases.append(("SQLite", environment(DATA_DIR=temp)))
        if not args.skip_postgres and fresh_postgres(args.postgres):
            databases.append(("PostgreSQL", environment(DATABASE_URL=args.postgres)))
        for name, env in databases:
            print(f"{name}: a demo corpus of {args.works:,} works, the tag on every one...")
            run_child(script, env, "--setup", "--works", str(args.works))
            runs.append((name, run_child(script, env, "--measure", "--sample", str(args.sample))))

    print(
        f"\n{'database':12} {'works':>9} {'new tag s':>10} {'canonical s':>12} "
        f"{'naive s (est.)':>15}"
    )
    for name, result in runs:
        print(
            f"{name:12} {result['works']:9,.0f} {result['new']:10.1f} "
            f"{result['canonical']:12.1f} {result['naive']:15.0f}"
        )
    print(
        "new tag: an unwrangled tag made a synonym (filters written with the change); "
        "canonical:\na canonical tag merged by an admin (batched recompute of every work); "
        "naive: a per-work\nORM recompute, timed on a random sample and scaled to all works"
    )


if __name__ == "__main__":
    main()
