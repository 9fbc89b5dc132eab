"""Bookmark filtering figures, on a fresh SQLite database in a temporary folder (or PostgreSQL
with --postgres URL):

    uv run python bench/bookmarks.py [--bookmarks 100000] [--heavy 50000] [--rounds 30]

The corpus is written in bulk: plain works (posted, some restricted), a broad tag on half of
them and a narrow one on 0.5 % (as filter tags), readers, and `--bookmarks` bookmarks, of which
`--heavy` belong to one reader; 15 % are recs, 30 % have notes, a third carry a bookmarker's tag.

Each query runs two ways in the same run: the bookmark index (search.bookmark_engine's
search_bookmarks: the exact count, the page's 20 ids, and those rows read through
bookmarks_visible_to again), and the database path it falls back to (social.bookmark_filters
over social.bookmarks.bookmarks_visible_to: the exact count and the first page of 20), as a
guest and as a logged-in reader. Baseline in the same run: the database path, and the same
viewer's unfiltered listing. Figures are p50 and p95 in milliseconds over `--rounds` runs,
and the ratio of the index's p95 to the database's.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bookmarks", type=int, default=100_000)
    parser.add_argument("--heavy", type=int, default=50_000)
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--postgres", default="")
    options = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    folder = Path(tempfile.mkdtemp(prefix="ficarchive-bench-bookmarks-"))
    os.environ.update(DATA_DIR=str(folder), DEBUG="true")
    if options.postgres:
        from bench.common import fresh_postgres

        if not fresh_postgres(options.postgres):
            return
        os.environ["DATABASE_URL"] = options.postgres
    else:
        os.environ.pop("DATABASE_URL", None)
    from bench.common import setup_django

    setup_django()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    heavy, reader = _corpus(options.bookmarks, options.heavy)
    print(f"corpus: {options.bookmarks:,} bookmarks in {time.perf_counter() - started:.1f} s")
    from ficarchive.search.bookmark_indexer import BookmarkIndexer

    started = time.perf_counter()
    indexer = BookmarkIndexer()
    written = indexer.rebuild()
    indexer.close()
    print(f"bookmark index: {written:,} documents in {time.perf_counter() - started:.1f} s")
    _measure(options.rounds, heavy, reader)


def _corpus(total: int, heavy_count: int) -> tuple[object, object]:
    from django.db import connection, transaction
    from django.utils import timezone

    from ficarchive.accounts.models import Pseud, User
    from ficarchive.core.bulk import bulk_insert, reset_sequence
    from ficarchive.social.models import Bookmark, BookmarkTagging
    from ficarchive.tags.models import FilterTagging, Tag, TagType
    from ficarchive.works.models import Language, Work

    rng = random.Random(20)
    works = max(heavy_count, total // 20) + 1000
    language = Language.objects.get_or_create(code="en", defaults={"name": "English"})[0]
    now = timezone.now()
    with transaction.atomic():
        bulk_insert(
            Work,
            WORK_FIELDS,
            (
                (
                    pk,
                    f"Work {pk}",
                    "",
                    "",
                    "",
                    language.pk,
                    True,
                    rng.random() < 0.05,
                    rng.random() < 0.6,
                    rng.randint(100, 200_000),
                )
                for pk in range(1, works + 1)
            ),
        )
        reset_sequence(Work)
        broad = Tag.objects.create(name="Broad Fandom", type=TagType.FANDOM, canonical=True)
        narrow = Tag.objects.create(name="Narrow Fandom", type=TagType.FANDOM, canonical=True)
        shelf = Tag.objects.create(name="Shelf Tag", type=TagType.FREEFORM, canonical=True)
        rows = []
        for pk in range(1, works + 1):
            if rng.random() < 0.5:
                rows.append((pk, broad.pk))
            if rng.random() < 0.005:
                rows.append((pk, narrow.pk))
        bulk_insert(FilterTagging, ("work", "filter"), rows)
        readers = max(10, (total - heavy_count) // 50)
        users = []
        for index in range(readers + 1):
            users.append(User(username=f"bench{index}", email=f"bench{index}@example.org"))
        User.objects.bulk_create(users)
        users = list(User.objects.filter(username__startswith="bench").order_by("pk"))
        Pseud.objects.bulk_create(Pseud(user=u, name=u.username, is_default=True) for u in users)
        pseuds = dict(Pseud.objects.values_list("user_id", "pk"))
        heavy, others = users[0], users[1:]
        pairs = [(heavy.pk, work) for work in rng.sample(range(1, works + 1), heavy_count)]
        seen = set(pairs)
        while len(pairs) < total:
            pair = (rng.choice(others).pk, rng.randint(1, works))
            if pair not in seen:
                seen.add(pair)
                pairs.append(pair)
        bookmark_rows = []
        tagging_rows = []
        for pk, (user_id, work_id) in enumerate(pairs, start=1):
            notes = f"notes about lighthouse {pk % 97}" if rng.random() < 0.3 else ""
            bookmark_rows.append(
                (
                    pk,
                    user_id,
                    pseuds[user_id],
                    work_id,
                    notes,
                    f"<p>{notes}</p>" if notes else "",
                    rng.random() < 0.03,
                    rng.random() < 0.15,
                    now,
                    now,
                )
            )
            if rng.random() < 0.33:
                tagging_rows.append((pk, shelf.pk, 0))
        fields = ("id", "user", "pseud", "work", "notes", "notes_html", "private", "rec")
        bulk_insert(Bookmark, (*fields, "created_at", "updated_at"), bookmark_rows)
        bulk_insert(BookmarkTagging, ("bookmark", "tag", "position"), tagging_rows)
        reset_sequence(Bookmark)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    global TAGS
    TAGS = {"broad": broad.pk, "narrow": narrow.pk}
    return heavy, others[0]


TAGS: dict[str, int] = {}
WORK_FIELDS: tuple[str, ...] = ("id", "title", "summary", "notes", "endnotes", "language")
WORK_FIELDS += ("posted", "restricted", "complete", "word_count")


def _run(viewer: Any, params: str, owner: Any, engine: bool) -> None:
    from django.http import QueryDict

    from ficarchive.accounts.muting import reader_filter_for
    from ficarchive.search.bookmark_engine import BookmarkScope, search_bookmarks
    from ficarchive.social.bookmark_filters import bookmarks_filtered, parse_bookmark_query
    from ficarchive.social.bookmarks import bookmarks_visible_to

    query = parse_bookmark_query(QueryDict(params)).query
    reader = reader_filter_for(viewer)
    if engine:
        scope = BookmarkScope(owner_id=owner.pk if owner is not None else None)
        result = search_bookmarks(query, viewer, scope, per_page=20, reader=reader)
        assert result.source == "index"
        return
    bookmarks = bookmarks_visible_to(viewer, reader)
    if owner is not None:
        bookmarks = bookmarks.filter(user=owner)
    found = bookmarks_filtered(bookmarks, query)
    found.count()
    list(found.values_list("pk", flat=True)[:20])


def _measure(rounds: int, heavy: object, reader: object) -> None:
    from django.contrib.auth.models import AnonymousUser

    guest = AnonymousUser()
    cases = [
        (
            "selective: narrow tag + recs, all bookmarks",
            guest,
            f"include={TAGS['narrow']}&rec=true",
            None,
        ),
        ("selective, logged in", reader, f"include={TAGS['narrow']}&rec=true", None),
        ("broad: broad tag, all bookmarks", guest, f"include={TAGS['broad']}", None),
        ("broad, logged in", reader, f"include={TAGS['broad']}", None),
        ("words in notes, all bookmarks", guest, "q=lighthouse 42", None),
        (
            "heavy reader's own: broad tag + notes",
            heavy,
            f"include={TAGS['broad']}&with_notes=true",
            heavy,
        ),
        (
            "heavy reader's own: bookmarker tag + complete",
            heavy,
            "bookmarker_tags=Shelf Tag&complete=true",
            heavy,
        ),
    ]
    baselines = {
        "all, guest": (guest, "", None),
        "all, logged in": (reader, "", None),
        "heavy reader's own, unfiltered": (heavy, "", heavy),
    }

    def timed(viewer: object, params: str, owner: object | None, engine: bool) -> list[float]:
        _run(viewer, params, owner, engine)  # warm
        times = []
        for _ in range(rounds):
            started = time.perf_counter()
            _run(viewer, params, owner, engine)
            times.append((time.perf_counter() - started) * 1000)
        return times

    def line(times: list[float]) -> str:
        return f"p50 {statistics.median(times):6.1f} ms, p95 {percentile(times, 0.95):6.1f} ms"

    for name, (viewer, params, owner) in baselines.items():
        database = timed(viewer, params, owner, False)
        index = timed(viewer, params, owner, True)
        ratio = percentile(index, 0.95) / percentile(database, 0.95)
        print(
            f"baseline {name}: database {line(database)}; index {line(index)} "
            f"(index/database p95 {ratio:.2f})"
        )
    for name, viewer, params, owner in cases:
        database = timed(viewer, params, owner, False)
        index = timed(viewer, params, owner, True)
        ratio = percentile(index, 0.95) / percentile(database, 0.95)
        print(
            f"{name}: database {line(database)}; index {line(index)} "
            f"(index/database p95 {ratio:.2f})"
        )


if __name__ == "__main__":
    main()
