"""Comment figures: a chapter with 5,000 comments in 200 threads, nested up to 8 deep, on a
fresh SQLite database in a temporary folder.

    uv run python bench/comments.py [--comments 5000] [--threads 200] [--depth 8] [--runs 40]

Measures, through the views as a logged-in reader (no page cache): the chapter's comments page
(its first page of 20 threads, and the thread page of the largest thread), and the chapter page
itself beside the same chapter of a work without comments (the baseline, in the same run). Each
line gives the median, the p95 and the database queries of one request.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--comments", type=int, default=5000)
    parser.add_argument("--threads", type=int, default=200)
    parser.add_argument("--depth", type=int, default=8)
    parser.add_argument("--runs", type=int, default=40)
    options = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="ficarchive-bench-comments-"))
    os.environ["DATA_DIR"] = str(folder)
    os.environ.pop("DATABASE_URL", None)
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from bench.common import setup_django

    setup_django()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    call_command("migrate", verbosity=0)
    from ficarchive.core.html import render_userstuff
    from ficarchive.social.models import Comment
    from ficarchive.works.models import Work
    from tests.factories import UserFactory, WorkFactory, add_chapter

    writer = UserFactory.create(username="benchwriter")
    reader = UserFactory.create(username="benchreader")
    people = [UserFactory.create(username=f"commenter{n}") for n in range(50)]
    pseuds = [person.default_pseud() for person in people]
    text = "\n\n".join(["A chapter paragraph of some length, as stories have."] * 200)
    busy = WorkFactory.create(creators=[writer.default_pseud()], text=text, expected_chapters=2)
    quiet = WorkFactory.create(creators=[writer.default_pseud()], text=text, expected_chapters=2)
    for work in (busy, quiet):
        add_chapter(work, text)
    chapter = busy.chapters.get(position=1)
    quiet_chapter = quiet.chapters.get(position=1)

    # The threads: each a root and replies under random earlier comments of it, no deeper
    # than --depth levels of replies.
    rng = random.Random(19)
    sizes = [1] * options.threads
    for _ in range(options.comments - options.threads):
        sizes[rng.randrange(options.threads)] += 1
    start = timezone.now() - timedelta(days=30)
    rows: list[Comment] = []
    next_id = 1
    html = render_userstuff("Thank you for this chapter! The ending made me smile. <em>More</em>")
    for size in sizes:
        root_id = next_id
        members: list[tuple[int, int]] = []  # (id, depth)
        for index in range(size):
            if index == 0:
                parent_id, depth = None, 0
            else:
                candidates = [m for m in members if m[1] < options.depth]
                parent_id, parent_depth = rng.choice(candidates)
                depth = parent_depth + 1
            pseud = rng.choice(pseuds)
            rows.append(
                Comment(
                    id=next_id,
                    work_id=busy.pk,
                    chapter_id=chapter.pk,
                    parent_id=parent_id,
                    thread_id=root_id,
                    depth=depth,
                    user_id=pseud.user_id,
                    pseud=pseud,
                    text="Thank you for this chapter!",
                    html=html,
                    created_at=start + timedelta(seconds=next_id * 60),
                )
            )
            members.append((next_id, depth))
            next_id += 1
    Comment.objects.bulk_create(rows, batch_size=500)
    Work.objects.filter(pk=busy.pk).update(comments_count=len(rows))
    largest = max(range(options.threads), key=lambda n: sizes[n])
    largest_root = 1 + sum(sizes[:largest])

    client = Client(HTTP_HOST="localhost")
    client.force_login(reader)

    def measure(url: str) -> tuple[float, float, int]:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        captured: list[str] = []

        def count(execute: Any, sql: str, *args: Any) -> Any:
            captured.append(sql)
            return execute(sql, *args)

        with connection.execute_wrapper(count):
            client.get(url)
        if os.environ.get("BENCH_SHOW_QUERIES"):
            print("\n".join(sql[:150] for sql in captured))
        times = []
        for _ in range(options.runs):
            began = time.perf_counter()
            client.get(url)
            times.append(time.perf_counter() - began)
        return statistics.median(times) * 1000, _p95(times) * 1000, len(captured)

    def line(label: str, figures: tuple[float, float, int], extra: str = "") -> None:
        median, p95, queries = figures
        print(f"{label}: median {median:.1f} ms, p95 {p95:.1f} ms, {queries} queries{extra}")

    def shown(url: str) -> int:
        return client.get(url).content.decode().count('class="comment"')

    page_url = f"/works/{busy.pk}/chapters/{chapter.pk}/comments"
    thread_url = f"/comments/{largest_root}"
    print(
        f"chapter with {len(rows):,} comments in {options.threads} threads, "
        f"replies up to {max(r.depth for r in rows)} deep; load {os.getloadavg()[0]:.2f}"
    )
    line("comments page (first 20 threads)", measure(page_url), f", {shown(page_url)} comments")
    line(
        f"thread page (largest thread, {sizes[largest]} comments)",
        measure(thread_url),
        "",
    )
    with_comments = measure(f"/works/{busy.pk}/chapters/{chapter.pk}")
    without = measure(f"/works/{quiet.pk}/chapters/{quiet_chapter.pk}")
    line("chapter page, no comments (baseline)", without)
    line(
        f"chapter page, {len(rows):,} comments",
        with_comments,
        f" (p95 ratio to baseline {with_comments[1] / without[1]:.2f})",
    )


if __name__ == "__main__":
    main()
