"""Atom feeds and the OPDS catalogue at scale: p50 and p95 of each kind of feed through the
view (Django's test client, in this process), for a guest and for a reader signed in with HTTP
Basic, against the guests' tag listing page on the same data in the same run (the ratio).
Atom feeds are measured uncached (the feed cache emptied before each request) and cached.

Builds (or reuses) the demo corpus and index of bench/search.py (bench/out/search-N).

    uv run python bench/feeds.py                    # 2,000 works, a quick look
    uv run python bench/feeds.py --works 1000000    # the issue's size
"""

from __future__ import annotations

import argparse
import base64
import os
import secrets
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import environment, setup_django
from bench.search import OUT, corpus, percentile

PASSWORD = "a bench passphrase for feeds"


def timed(get: Callable[[str], Any], urls: list[str], before: Callable[[], None]) -> list[float]:
    times = []
    for url in urls:
        before()
        start = time.perf_counter()
        response = get(url)
        elapsed = time.perf_counter() - start
        assert response.status_code == 200, (url, response.status_code)
        times.append(elapsed)
    return times


def line(name: str, times: list[float], baseline: float | None = None) -> str:
    p50, p95 = statistics.median(times) * 1000, percentile(times, 0.95) * 1000
    text = f"  {name:<44} p50 {p50:7.1f} ms   p95 {p95:7.1f} ms   ({len(times)} requests)"
    if baseline:
        text += f"   p95 / listing p95: {p95 / baseline:.2f}"
    return text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--works", type=int, default=2_000)
    parser.add_argument("--tags", type=int, default=20, help="fandoms and creators asked for")
    parser.add_argument("--repeat", type=int, default=3, help="requests of each address")
    args = parser.parse_args()

    data_dir = OUT / f"search-{args.works}"
    os.environ["DATA_DIR"] = str(data_dir)
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(40))
    env = environment(DATA_DIR=str(data_dir), SECRET_KEY=os.environ["SECRET_KEY"])
    corpus(data_dir, args.works, env, reindex=False)
    setup_django()

    from django.core.cache import cache
    from django.db.models import Count
    from django.test import Client

    from bench.reading import bench_user
    from ficarchive.tags.models import Tag, TagType
    from ficarchive.tags.urlnames import tag_url_name
    from ficarchive.works.models import Creatorship, Work
    from ficarchive.works.pagecache import LISTINGS_GENERATION_KEY

    print(f"feeds benchmark: {Work.objects.count():,} works in {data_dir}")
    fandoms = list(
        Tag.objects.filter(type=TagType.FANDOM, canonical=True)
        .annotate(uses=Count("taggings"))
        .order_by("-uses")[: args.tags]
    )
    logins = list(
        Creatorship.objects.filter(approved=True)
        .values_list("pseud__user__username", flat=True)
        .distinct()[: args.tags]
    )
    reader = bench_user("benchfeedreader")
    reader.set_password(PASSWORD)
    reader.save()
    token = base64.b64encode(f"{reader.username}:{PASSWORD}".encode()).decode()
    basic = {"Authorization": f"Basic {token}"}
    guest, signed_in = Client(HTTP_HOST="localhost"), Client(HTTP_HOST="localhost", headers=basic)

    generation = [0]

    def fresh() -> None:
        # A new generation: no cached feed or page is found (works.pagecache's key).
        generation[0] += 1
        cache.set(LISTINGS_GENERATION_KEY, generation[0] + 10**6)

    def nothing() -> None:
        pass

    def each(addresses: list[str]) -> list[str]:
        return [address for address in addresses for _ in range(args.repeat)]

    tag_names = [tag_url_name(tag.name) for tag in fandoms]
    listing = timed(guest.get, each([f"/tags/{name}/works" for name in tag_names]), fresh)
    baseline = percentile(listing, 0.95) * 1000
    print("\nbaseline: the guests' tag listing page (first page, uncached):")
    print(line("/tags/<fandom>/works", listing))
    print("\nAtom feeds (guests' feeds, whoever asks):")
    tag_feeds = each([f"/tags/{name}/feed.atom" for name in tag_names])
    print(line("tag feed, uncached", timed(guest.get, tag_feeds, fresh), baseline))
    print(line("tag feed, cached", timed(guest.get, tag_feeds, nothing), baseline))
    creator_feeds = each([f"/users/{login}/works/feed.atom" for login in logins])
    print(line("creator feed, uncached", timed(guest.get, creator_feeds, fresh), baseline))
    print("\nOPDS (pages never cached, they depend on who signs in; cold: entries not cached):")
    pages = {
        "OPDS 1.2 new works": ["/opds/new"],
        "OPDS 1.2 most kudos": ["/opds/popular"],
        "OPDS 1.2 page 40 of new works": ["/opds/new?page=40"],
        "OPDS 1.2 fandom works": [f"/opds/tags/{tag.pk}" for tag in fandoms],
        "OPDS 1.2 search": ["/opds/search?q=love", "/opds/search?q=the"],
        "OPDS 2.0 new works": ["/opds/v2/new"],
        "OPDS 2.0 fandom works": [f"/opds/v2/tags/{tag.pk}" for tag in fandoms],
    }
    for name, addresses in pages.items():
        urls = each(addresses) * max(1, 20 // (len(addresses) * args.repeat))
        print(line(f"{name} (guest, cold)", timed(guest.get, urls, fresh), baseline))
        print(line(f"{name} (guest)", timed(guest.get, urls, nothing), baseline))
        print(line(f"{name} (Basic)", timed(signed_in.get, urls, nothing), baseline))


if __name__ == "__main__":
    main()
