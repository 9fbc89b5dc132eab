"""The JSON API at scale: a mix of searches through /api/v1/search against the search page with
the same parameters, interleaved in the same run on the same data (p50, p95 and the ratio of
p95s), and a work of 30 chapters as JSON against the same work's entire-work page.

Both go through Django's test client in this process, as guests, with the cache emptied before
each request (no cached facets, pages or blurbs for either side). Builds (or reuses) the demo
corpus and index of bench/search.py (bench/out/search-N).

    uv run python bench/api.py                    # 2,000 works, a quick look
    uv run python bench/api.py --works 100000
"""

from __future__ import annotations

import argparse
import os
import secrets
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import environment, setup_django
from bench.search import OUT, corpus, percentile

SEARCHES = [
    "",
    "q=love",
    "q=the+night",
    "sort=kudos",
    "q=words>1000+sort:hits",
    "complete=true&words_from=500",
    "rating=General+Audiences&sort=comments",
    "q=friends&order=asc&sort=title",
]
CHAPTER_WORDS = 1500


def line(name: str, times: list[float], baseline: list[float] | None = None) -> str:
    p50, p95 = statistics.median(times) * 1000, percentile(times, 0.95) * 1000
    text = f"  {name:<40} p50 {p50:7.1f} ms   p95 {p95:7.1f} ms   ({len(times)} requests)"
    if baseline:
        text += f"   p95 ratio: {p95 / (percentile(baseline, 0.95) * 1000):.2f}"
    return text


def timed(client: Any, url: str) -> float:
    from django.core.cache import cache

    cache.clear()
    start = time.perf_counter()
    response = client.get(url)
    elapsed = time.perf_counter() - start
    assert response.status_code == 200, (url, response.status_code)
    return elapsed


def long_work(chapters: int) -> int:
    """A work of `chapters` chapters of CHAPTER_WORDS words (made once, then reused)."""
    from ficarchive.works.models import Work
    from ficarchive.works.posting import ChapterFields, chapter_add

    title = f"Bench work of {chapters} chapters of {CHAPTER_WORDS} words"
    found = Work.objects.filter(title=title).first()
    if found is not None:
        return found.pk
    work = (
        Work.objects.filter(posted=True, hidden_by_admin=False, restricted=False, chapter_count=1)
        .order_by("pk")
        .first()
    )
    assert work is not None
    words = " ".join(["The tide turned slowly along the harbour wall"] * (CHAPTER_WORDS // 32))
    for number in range(chapters - 1):
        paragraphs = "".join(f"<p>{words} {number} {part}.</p>" for part in range(4))
        chapter_add(work, ChapterFields(text=paragraphs, title=f"Part {number + 2}"))
    Work.objects.filter(pk=work.pk).update(title=title, expected_chapters=chapters)
    return work.pk


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--works", type=int, default=2_000)
    parser.add_argument("--repeat", type=int, default=10, help="requests of each search")
    parser.add_argument("--work-requests", type=int, default=100)
    parser.add_argument("--chapters", type=int, default=30)
    args = parser.parse_args()

    data_dir = OUT / f"search-{args.works}"
    os.environ["DATA_DIR"] = str(data_dir)
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(40))
    # The benchmark is one client asking thousands of times: not what the limit is for.
    os.environ["API_RATE_LIMIT"] = "100000000/m"
    env = environment(DATA_DIR=str(data_dir), SECRET_KEY=os.environ["SECRET_KEY"])
    corpus(data_dir, args.works, env, reindex=False)
    setup_django()

    from django.test import Client

    from ficarchive.works.models import Work

    print(f"API benchmark: {Work.objects.count():,} works in {data_dir}")
    client = Client(HTTP_HOST="localhost")
    page: list[float] = []
    api: list[float] = []
    for query in SEARCHES:
        for _ in range(args.repeat):
            # Interleaved, so that both sides see the same machine load.
            page.append(timed(client, f"/works/search?{query}"))
            api.append(timed(client, f"/api/v1/search?{query}"))
    print("\nsearch, a mix of 8 searches with facets, first page (guest, cache emptied):")
    print(line("baseline: the search page", page))
    print(line("/api/v1/search", api, page))

    work_id = long_work(args.chapters)
    work = Work.objects.get(pk=work_id)
    print(f"\na work of {work.chapter_count} chapters, {work.word_count:,} words:")
    entire, json = [], []
    for _ in range(args.work_requests):
        entire.append(timed(client, f"/works/{work_id}?view_full_work=true&view_adult=true"))
        json.append(timed(client, f"/api/v1/works/{work_id}"))
    print(line("baseline: the entire-work page", entire))
    print(line("/api/v1/works/<id>", json, entire))


if __name__ == "__main__":
    main()
