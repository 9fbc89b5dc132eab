"""Freshness: how long after a work is written it can be found by searching, against a running
`ficarchive serve` (several workers and its indexer) over a demo corpus.

Each round imports one new record (through `ficarchive import`'s own service, in this process,
on the server's database) and polls the search page for a word only that work contains; the
latency runs from the import's commit to the first page that lists the work. The baseline, in
the same run, is what an index without a change log would need before a new work shows up:
rebuilding the whole index (`ficarchive reindex`).

    uv run python bench/search_freshness.py                 # 20,000 works, 50 works posted
    uv run python bench/search_freshness.py --works 100000 --posts 100
"""

from __future__ import annotations

import argparse
import os
import secrets
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import ROOT, environment, ficarchive, setup_django
from bench.reading import server

OUT = ROOT / "bench" / "out"


def build(data_dir: Path, works: int, env: dict[str, str]) -> None:
    """A demo corpus with short bodies and its search index, reused when it exists."""
    if (data_dir / "ready").exists():
        return
    data_dir.mkdir(parents=True, exist_ok=True)
    ficarchive(env, "migrate", "--verbosity", "0")
    ficarchive(env, "demo", "--works", str(works), "--body-words", "40", "--verbosity", "0")
    ficarchive(env, "reindex", "--no-progress", "--verbosity", "0")
    (data_dir / "ready").write_text("ok", encoding="utf-8")


def record(folder: Path, work_id: int, word: str) -> Path:
    path = folder / f"{work_id}.txt"
    path.write_text(
        f"Title: Fresh {word}\nWork ID: {work_id}\nAuthor: Fresh Writer (freshwriter)\n"
        "Rating: General Audiences\nFandom: Benchmarks - Original Work\nLanguage: English\n"
        "Status: Completed\nChapters: 1/1\n\n"
        f"A short story in which a {word} turns up at last.\n",
        encoding="utf-8",
    )
    return path


def found(base: str, word: str) -> bool:
    url = f"{base}/works/search?{urllib.parse.urlencode({'q': word})}"
    with urllib.request.urlopen(url, timeout=10) as response:
        return f"Fresh {word}" in response.read().decode()


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--works", type=int, default=20_000)
    parser.add_argument("--posts", type=int, default=50)
    parser.add_argument("--workers", type=int, default=3)
    args = parser.parse_args()

    data_dir = OUT / f"freshness-{args.works}"
    env = environment(DATA_DIR=str(data_dir), SECRET_KEY=secrets.token_urlsafe(40))
    env.pop("SEARCH_INLINE", None)
    started = time.perf_counter()
    build(data_dir, args.works, env)
    print(f"Corpus of {args.works:,} works ready in {time.perf_counter() - started:.0f} s.")

    os.environ.update({"DATA_DIR": env["DATA_DIR"], "SECRET_KEY": env["SECRET_KEY"]})
    setup_django()
    from django.core.management import call_command

    records = data_dir / "records"
    records.mkdir(exist_ok=True)
    latencies: list[float] = []
    with server(env, args.workers) as base:
        for number in range(args.posts):
            word = "zq" + secrets.token_hex(4)
            path = record(records, 8_000_000 + number + int(time.time()) % 100_000 * 10, word)
            call_command("import", str(path), verbosity=0)
            committed = time.perf_counter()
            while not found(base, word):
                if time.perf_counter() - committed > 30:
                    raise SystemExit(f"work {word} not searchable after 30 s")
                time.sleep(0.005)
            latencies.append(time.perf_counter() - committed)

    rebuild_started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "ficarchive", "reindex", "--no-progress"],
        env=env,
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    rebuild = time.perf_counter() - rebuild_started

    p50, p95 = percentile(latencies, 0.5), percentile(latencies, 0.95)
    print(f"\nposted {len(latencies)} works one at a time into a corpus of {args.works:,}")
    print(f"{'':34}{'p50 ms':>10}{'p95 ms':>10}{'max ms':>10}")
    print(
        f"{'change log + indexer (this run)':34}{p50 * 1000:>10.0f}{p95 * 1000:>10.0f}"
        f"{max(latencies) * 1000:>10.0f}"
    )
    print(f"{'rebuilding the index (baseline)':34}{rebuild * 1000:>10.0f}")
    print(
        f"\nfreshness p95 {p95 * 1000:.0f} ms (target: under 1,000 ms); the baseline is "
        f"{rebuild / p95:,.0f} times slower; mean {statistics.mean(latencies) * 1000:.0f} ms"
    )


if __name__ == "__main__":
    main()
