"""Search speed at scale: a fixed mix of queries through the engine and, in the same run on the
same data, through a straightforward Django ORM implementation (bench/search_mix.py), with
and without facets; the search page over HTTP; index build time, size and memory; and the
same mix for a reader with muted tags and muted users (issue: reader control).

Builds (or reuses) a demo corpus under bench/out/search-N with short bodies, and its index.

    uv run python bench/search.py --works 100000
    uv run python bench/search.py --works 1000000 --muted-tags 200 --muted-users 2000
    uv run python bench/search.py --works 2000 --per-class 5     # a quick look

--indexer-rounds N ends with the index as a running archive has it: N commits of the indexer
(each a new segment beside the build's one), and the engine's figures again.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import resource
import secrets
import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import ROOT, environment, ficarchive, setup_django
from bench.reading import bench_user, server, session_cookie

OUT = ROOT / "bench" / "out"


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def corpus(data_dir: Path, works: int, env: dict[str, str], reindex: bool) -> dict[str, Any]:
    """The corpus and its index, made when missing; what making them took."""
    figures: dict[str, Any] = {}
    data_dir.mkdir(parents=True, exist_ok=True)
    if not (data_dir / "corpus-ready").exists():
        started = time.perf_counter()
        ficarchive(env, "migrate", "--verbosity", "0")
        # Comments and bookmarks: a few rows a work, enough for their sorts and ranges, not
        # millions.
        ficarchive(
            env,
            "demo",
            "--works",
            str(works),
            "--body-words",
            "40",
            "--comments-per-work",
            "4",
            "--bookmarks-per-work",
            "4",
        )
        figures["demo_seconds"] = time.perf_counter() - started
        (data_dir / "corpus-ready").write_text(f"{figures['demo_seconds']:.0f}\n")
    else:
        ficarchive(env, "migrate", "--verbosity", "0")
    if reindex or not (data_dir / "search" / "current").exists():
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        started = time.perf_counter()
        ficarchive(env, "reindex", "--no-progress", "--verbosity", "0")
        figures["build_seconds"] = time.perf_counter() - started
        figures["build_max_rss_mib"] = (
            max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024
        )
    return figures


def engine_figures(
    mix: dict[str, list[Any]], viewer: Any, repeat: int
) -> dict[tuple[str, bool], list[float]]:
    from django.core.cache import cache

    from ficarchive.search.engine import search_works

    results: dict[tuple[str, bool], list[float]] = {}
    for name, queries in mix.items():
        for facets in (False, True):
            times: list[float] = []
            for query in queries:
                cache.clear()  # facet counts are cached per index version: count them each time
                search_works(query, viewer, facets=facets)  # warm
                for _ in range(repeat):
                    cache.clear()
                    started = time.perf_counter()
                    search_works(query, viewer, facets=facets)
                    times.append((time.perf_counter() - started) * 1000)
            results[name, facets] = times
    return results


def baseline_figures(
    mix: dict[str, list[Any]], runs: int, limit: float, reader: Any = None
) -> dict[tuple[str, bool], tuple[list[float], int]]:
    from bench.search_mix import BaselineTimeout, orm_search, time_limit

    results: dict[tuple[str, bool], tuple[list[float], int]] = {}
    for name, queries in mix.items():
        for facets in (False, True):
            times, timeouts = [], 0
            for query in queries[:runs]:
                started = time.perf_counter()
                try:
                    with time_limit(limit):
                        orm_search(query, facets, reader)
                except BaselineTimeout:
                    timeouts += 1
                times.append((time.perf_counter() - started) * 1000)
            results[name, facets] = (times, timeouts)
    return results


def search_params(query: Any) -> str:
    from ficarchive.works.models import Language

    params: list[tuple[str, str]] = [("include", str(pk)) for pk in query.include_tag_ids]
    params += [("exclude", str(pk)) for pk in query.exclude_tag_ids]
    params += [("rating", str(pk)) for pk in query.rating_ids]
    codes = dict(Language.objects.values_list("pk", "code"))
    params += [("language", codes[pk]) for pk in query.language_ids]
    if query.text:
        params.append(("q", query.text))
    if query.page > 1:
        params.append(("page", str(query.page)))
    return "/works/search?" + urlencode(params)


def http_figures(port: int, queries: list[Any], cookie: str, repeat: int) -> list[float]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Cookie": cookie}
    times = []
    paths = [search_params(query) for query in queries]
    for number in range(repeat + 1):
        for path in paths:
            started = time.perf_counter()
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            response.read()
            assert response.status == 200, (path, response.status)
            if number:  # the first round warms the workers
                times.append((time.perf_counter() - started) * 1000)
    return times


def indexer_rounds(rounds: int, per_round: int = 20) -> int:
    """Re-index `per_round` works `rounds` times through the change log and the indexer, as
    edits do: one commit, so one more segment, a round. The documents are the same as the
    database's, so the index stays true; `--reindex` makes it one segment again. Returns the
    segments the index then has."""
    from ficarchive.core.changes import works_changed
    from ficarchive.search.index import live_searcher
    from ficarchive.search.indexer import Indexer
    from ficarchive.works.models import Work

    rng = random.Random(11)
    highest = Work.objects.listable().order_by("-pk").values_list("pk", flat=True).first() or 0
    indexer = Indexer()
    try:
        for _ in range(rounds):
            works_changed(rng.sample(range(1, highest + 1), per_round), "bench: indexer rounds")
            indexer.step()
    finally:
        indexer.close()
    searcher = live_searcher()
    return searcher.num_segments if searcher is not None else 0


def muting_reader(reader_filter: Any) -> Any:
    """A reader who mutes exactly these tags and users."""
    from ficarchive.accounts.models import Mute, MutedTag

    user = bench_user("benchmuter")
    Mute.objects.filter(user=user).delete()
    MutedTag.objects.filter(user=user).delete()
    Mute.objects.bulk_create(Mute(user=user, muted_id=pk) for pk in reader_filter.muted_user_ids)
    MutedTag.objects.bulk_create(
        MutedTag(user=user, tag_id=pk) for pk in reader_filter.muted_tag_ids
    )
    return user


def report(
    engine: dict[tuple[str, bool], list[float]],
    baseline: dict[tuple[str, bool], tuple[list[float], int]],
    limit: float,
) -> None:
    print(
        f"\n{'class':<18}{'facets':<8}{'engine p50':>11}{'p95':>9}"
        f"{'baseline p50':>14}{'p95':>10}{'ratio p50':>11}"
    )
    for (name, facets), times in engine.items():
        base, timeouts = baseline.get((name, facets), ([], 0))
        p50, p95 = statistics.median(times), percentile(times, 0.95)
        line = f"{name:<18}{'yes' if facets else 'no':<8}{p50:>9.1f}ms{p95:>7.1f}ms"
        if base:
            b50, b95 = statistics.median(base), percentile(base, 0.95)
            more = f" ({timeouts} over {limit:.0f} s, counted as {limit:.0f} s)" if timeouts else ""
            line += f"{b50:>12.0f}ms{b95:>8.0f}ms{b50 / p50:>10.0f}x{more}"
        print(line)
    with_facets = [name for name, facets in engine if facets and (name, True) in baseline]
    engine_mix = sum(statistics.median(engine[name, True]) for name in with_facets)
    base_mix = sum(statistics.median(baseline[name, True][0]) for name in with_facets)
    if engine_mix:
        print(
            f"\nthe mix with facets (sum of the classes' medians): engine {engine_mix:.1f} ms, "
            f"baseline {base_mix:.0f} ms: {base_mix / engine_mix:.0f}x faster"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--works", type=int, default=100_000)
    parser.add_argument("--per-class", type=int, default=20, help="queries of each class")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each engine query")
    parser.add_argument("--baseline-runs", type=int, default=3, help="ORM queries per class")
    parser.add_argument("--baseline-timeout", type=float, default=20.0, help="seconds")
    parser.add_argument("--muted-tags", type=int, default=0)
    parser.add_argument("--muted-users", type=int, default=0)
    parser.add_argument("--reindex", action="store_true", help="rebuild the index, timed")
    parser.add_argument("--no-http", action="store_true")
    parser.add_argument(
        "--indexer-rounds", type=int, default=0, help="then N indexer commits, and again"
    )
    args = parser.parse_args()

    data_dir = OUT / f"search-{args.works}"
    os.environ["DATA_DIR"] = str(data_dir)
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(40))
    env = environment(DATA_DIR=str(data_dir), SECRET_KEY=os.environ["SECRET_KEY"])
    made = corpus(data_dir, args.works, env, args.reindex)
    setup_django()

    from bench.search_mix import muted_reader_filter, query_mix
    from ficarchive.search.index import index_size_bytes, live_path
    from ficarchive.works.models import Work

    print(f"search benchmark: {Work.objects.count():,} works in {data_dir}")
    if "demo_seconds" in made:
        print(f"  demo corpus generated in {made['demo_seconds']:.0f} s")
    if "build_seconds" in made:
        print(
            f"  index built from the database in {made['build_seconds']:.1f} s, "
            f"peak memory {made['build_max_rss_mib']:.0f} MiB"
        )
    live = live_path()
    size = index_size_bytes(live) if live is not None else 0
    from ficarchive.search.index import live_searcher

    searcher = live_searcher()
    segments = searcher.num_segments if searcher is not None else 0
    print(f"  index on disk: {size / 2**20:.0f} MiB in {segments} segment(s)")

    started = time.perf_counter()
    mix = query_mix(args.per_class)
    print(
        f"  query mix drawn in {time.perf_counter() - started:.1f} s: "
        + ", ".join(f"{len(queries)} {name}" for name, queries in mix.items())
    )
    reader_user = bench_user("benchreader")

    from django.contrib.auth.models import AnonymousUser

    engine = engine_figures(mix, AnonymousUser(), args.repeat)
    baseline = baseline_figures(mix, args.baseline_runs, args.baseline_timeout)
    print("\nguest, no reader filters (engine and ORM baseline, same data, same run):")
    report(engine, baseline, args.baseline_timeout)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\npeak memory of this process (Django, index reader, baseline): {rss:.0f} MiB")

    reader_filter = None
    if args.muted_tags or args.muted_users:
        from ficarchive.accounts.muting import reader_filter_for

        reader_filter = muted_reader_filter(args.muted_tags, args.muted_users, mix)
        muter = muting_reader(reader_filter)
        started = time.perf_counter()
        for _ in range(20):
            loaded = reader_filter_for(muter)
        loading = (time.perf_counter() - started) / 20 * 1000
        assert loaded is not None
        muted_mix = {
            name: [replace(query, reader=loaded) for query in queries]
            for name, queries in mix.items()
        }
        muted_engine = engine_figures(muted_mix, muter, args.repeat)
        muted_baseline = baseline_figures(
            mix, args.baseline_runs, args.baseline_timeout, reader=reader_filter
        )
        print(
            f"\nreader with {len(loaded.muted_tag_ids)} muted tags and "
            f"{len(loaded.muted_user_ids)} muted users (loading them: {loading:.1f} ms a "
            "request, not counted below):"
        )
        report(muted_engine, muted_baseline, args.baseline_timeout)
        print("\nmuted reader against no filters, engine p95 ratio per class (with facets):")
        for name in mix:
            ratio = percentile(muted_engine[name, True], 0.95) / percentile(
                engine[name, True], 0.95
            )
            print(f"  {name}: {ratio:.2f}")

    if not args.no_http:
        with server(env, 2, "--no-indexer") as base:
            port = int(base.rsplit(":", 1)[1])
            print("\nthe whole search page over HTTP (gunicorn, 2 workers, logged in):")
            readers = [("no filters", reader_user, mix)]
            if reader_filter is not None:
                readers.append(("muted tags and users", muter, mix))
            for label, user, queries in readers:
                cookie = session_cookie(user)
                for name in ("selective", "broad"):
                    times = http_figures(port, queries[name], cookie, 2)
                    print(
                        f"  {label}, {name}: p50 {statistics.median(times):.1f} ms, "
                        f"p95 {percentile(times, 0.95):.1f} ms ({len(times)} requests)"
                    )

    if args.indexer_rounds:
        segments = indexer_rounds(args.indexer_rounds)
        print(
            f"\nafter {args.indexer_rounds} commits of the indexer ({segments} segments), "
            "engine p50 / p95 with facets:"
        )
        readers = [("guest", AnonymousUser(), mix)]
        if reader_filter is not None:
            readers.append(("muted tags and users", muter, muted_mix))
        for label, viewer, queries in readers:
            again = engine_figures(queries, viewer, args.repeat)
            print(
                f"  {label}: "
                + ", ".join(
                    f"{name} {statistics.median(again[name, True]):.1f} / "
                    f"{percentile(again[name, True], 0.95):.1f} ms"
                    for name in queries
                )
            )


if __name__ == "__main__":
    main()
