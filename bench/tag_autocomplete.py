"""Tag autocomplete with a million tags: p50 and p95 latency of a fixed mix of lookups (short
and long prefixes, words inside names, two words, by type, within a fandom, no match) on SQLite
and PostgreSQL, against a naive `name__icontains` query in the same run.

    uv run python bench/tag_autocomplete.py --tags 1000000
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import DEFAULT_POSTGRES, environment, fresh_postgres, run_child, setup_django

SEED = 20260101
TYPES: tuple[tuple[str, float], ...] = (
    ("fandom", 0.05),
    ("character", 0.35),
    ("relationship", 0.25),
    ("freeform", 0.35),
)
CANONICAL_SHARE = 0.3
_SYLLABLES = [a + b for a in "b c d f g h k l m n p r s t v z br st th".split() for b in "aeiou"]


def _vocabulary(rng: random.Random, size: int) -> list[str]:
    words: set[str] = set()
    while len(words) < size:
        count = rng.choice((2, 2, 3))
        words.add("".join(rng.choice(_SYLLABLES) for _ in range(count)).capitalize())
    return sorted(words)


def _names(count: int) -> Iterator[tuple[str, str, bool]]:
    """(name, type, canonical) for `count` tags; common words recur, as "Potter" does."""
    rng = random.Random(SEED)
    vocabulary = _vocabulary(rng, 60_000)
    cumulative = list(itertools.accumulate(1 / (rank + 10) for rank in range(len(vocabulary))))

    def words(k: int) -> list[str]:
        return rng.choices(vocabulary, cum_weights=cumulative, k=k)

    types = [type_ for type_, _share in TYPES]
    shares = [share for _type, share in TYPES]
    seen: set[str] = set()
    made = 0
    while made < count:
        type_ = rng.choices(types, shares)[0]
        if type_ == "relationship":
            name = "/".join(" ".join(words(2)) for _ in range(2))
        else:
            name = " ".join(words(rng.choice((1, 2, 2, 3))))
        key = name.casefold()
        if key in seen:
            name = f"{name} ({made})"
            key = name.casefold()
        seen.add(key)
        made += 1
        yield name, type_, rng.random() < CANONICAL_SHARE


def setup(count: int) -> None:
    """Child mode: migrate and write `count` tags with their words and some fandom parents."""
    setup_django()
    import datetime as dt

    from django.core.management import call_command
    from django.db import connection, transaction
    from django.db.models import Max

    from ficarchive.core.bulk import bulk_insert
    from ficarchive.tags.autocomplete import tag_words_write
    from ficarchive.tags.models import ParentTagging, Tag, tag_key

    call_command("migrate", verbosity=0)
    start = (Tag.objects.aggregate(top=Max("pk"))["top"] or 0) + 1
    now = dt.datetime.now(dt.UTC)
    rows = [
        (start + index, name, tag_key(name), type_, canonical, None, False, False, now, now)
        for index, (name, type_, canonical) in enumerate(_names(count))
    ]
    fields = (
        "id",
        "name",
        "key",
        "type",
        "canonical",
        "merger",
        "unwrangleable",
        "adult",
        "created_at",
        "updated_at",
    )
    fandoms = [row[0] for row in rows if row[3] == "fandom" and row[4]][:5000]
    rng = random.Random(SEED)
    parents = [
        (rng.choice(fandoms), row[0])
        for row in rows
        if row[3] in ("character", "relationship") and rng.random() < 0.5
    ]
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size = -1048576")  # 1 GiB while loading the indexes
    with transaction.atomic():
        bulk_insert(Tag, fields, rows)
        tag_words_write(
            (tag_id, name, type_, canonical) for tag_id, name, _k, type_, canonical, *_ in rows
        )
        bulk_insert(ParentTagging, ("parent", "child"), sorted(set(parents)))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(json.dumps({"tags": Tag.objects.count()}))


def _queries(fandom_names: list[str], names: list[str]) -> list[dict[str, str]]:
    """The fixed mix: what people type into tag fields, a few letters at a time."""
    rng = random.Random(SEED + 1)
    mix: list[dict[str, str]] = []
    types = [type_ for type_, _share in TYPES]
    for _ in range(100):
        name = rng.choice(names)
        word = rng.choice(name.replace("/", " ").split())
        first = name.split()[0]
        two = name.replace("/", " ").split()
        mix.append({"q": word[:1]})
        mix.append({"q": first[:3], "type": rng.choice(types)})
        mix.append({"q": word[:4]})
        mix.append({"q": name[: rng.randint(4, max(4, len(name)))]})
        mix.append({"q": " ".join(part[:3] for part in two[:2])})
        mix.append({"q": word[:2], "type": "character", "fandom": rng.choice(fandom_names)})
        mix.append({"q": "", "type": "relationship", "fandom": rng.choice(fandom_names)})
        mix.append({"q": rng.choice(("zzq", "xylo", "qwerty"))})
    return mix


def _get(client: Any, query: dict[str, str]) -> Callable[[], object]:
    return lambda: client.get("/tags/autocomplete", query)


def _timed(run: Callable[[], object], repeat: int = 1) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - start)
    return best * 1000


def measure(baseline_sample: int) -> None:
    """Child mode: time the mix through the function and the HTTP view, and the baseline."""
    setup_django()
    from django.test import Client

    from ficarchive.tags.autocomplete import tags_autocomplete
    from ficarchive.tags.models import Tag

    rng = random.Random(SEED + 2)
    top = Tag.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    picks = [rng.randint(1, top) for _ in range(400)]
    names = list(Tag.objects.filter(pk__in=picks).values_list("name", flat=True))
    fandom_names = list(
        Tag.objects.filter(type="fandom", canonical=True, child_taggings__isnull=False)
        .distinct()
        .values_list("name", flat=True)[:200]
    )
    mix = _queries(fandom_names, names)
    fandoms = {tag.name: tag for tag in Tag.objects.filter(name__in=fandom_names)}

    def lookup(query: dict[str, str]) -> Callable[[], object]:
        return lambda: tags_autocomplete(
            query["q"], type=query.get("type"), fandom=fandoms.get(query.get("fandom", ""))
        )

    for query in mix[:50]:  # warm the caches, as a running server's are
        lookup(query)()
    ours = [_timed(lookup(query)) for query in mix]
    client = Client(SERVER_NAME="localhost")
    assert client.get("/tags/autocomplete", mix[0]).status_code == 200
    view = [_timed(_get(client, query)) for query in mix]

    def naive(query: dict[str, str]) -> Callable[[], object]:
        def run() -> object:
            tags = Tag.objects.filter(name__icontains=query["q"])
            if query.get("type"):
                tags = tags.filter(type=query["type"])
            if query.get("fandom"):
                tags = tags.filter(parent_taggings__parent=fandoms.get(query["fandom"]))
            return list(tags.order_by("-canonical", "name")[:15])

        return run

    sample = random.Random(SEED + 3).sample(mix, baseline_sample)
    baseline = [_timed(naive(query)) for query in sample]
    result = {
        "queries": len(mix),
        "p50": statistics.median(ours),
        "p95": statistics.quantiles(ours, n=20)[18],
        "max": max(ours),
        "view_p50": statistics.median(view),
        "view_p95": statistics.quantiles(view, n=20)[18],
        "baseline_p50": statistics.median(baseline),
        "baseline_p95": statistics.quantiles(baseline, n=20)[18],
        "baseline_queries": len(sample),
    }
    print(json.dumps(result))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tags", type=int, default=1_000_000)
    parser.add_argument("--baseline-sample", type=int, default=60)
    parser.add_argument(
        "--postgres", default=DEFAULT_POSTGRES.replace("bench", "bench_autocomplete")
    )
    parser.add_argument("--skip-postgres", action="store_true")
    parser.add_argument("--skip-sqlite", action="store_true")
    parser.add_argument("--setup", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.setup:
        setup(args.tags)
        return
    if args.measure:
        measure(args.baseline_sample)
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
            print(f"{name}: writing {args.tags:,} tags...")
            started = time.perf_counter()
            run_child(script, env, "--setup", "--tags", str(args.tags))
            print(f"  written in {time.perf_counter() - started:.0f} s")
            measured = run_child(
                script, env, "--measure", "--baseline-sample", str(args.baseline_sample)
            )
            runs.append((name, measured))

    print(f"\n{'database':12} {'lookup':28} {'queries':>8} {'p50 ms':>8} {'p95 ms':>8}")
    for name, r in runs:
        rows = (
            ("autocomplete (function)", r["queries"], r["p50"], r["p95"]),
            ("GET /tags/autocomplete", r["queries"], r["view_p50"], r["view_p95"]),
            (
                "name__icontains (baseline)",
                r["baseline_queries"],
                r["baseline_p50"],
                r["baseline_p95"],
            ),
        )
        for index, (lookup, queries, p50, p95) in enumerate(rows):
            label = name if index == 0 else ""
            print(f"{label:12} {lookup:28} {queries:8.0f} {p50:8.2f} {p95:8.2f}")


if __name__ == "__main__":
    main()
