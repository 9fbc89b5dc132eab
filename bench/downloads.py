"""Download figures: building the EPUB of a 100,000-word, 30-chapter work, and serving it from
the cache through the view, on a fresh SQLite database in a temporary folder. The cache's key
(cache.file_key, the stored columns' digest) is timed against the baseline it replaced, the
fingerprint of the whole built book (book_of + Book.fingerprint), in the same run.

    uv run python bench/downloads.py [--words 100000] [--chapters 30] [--runs 20]

Feeds and OPDS: bench/feeds.py.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--words", type=int, default=100_000)
    parser.add_argument("--chapters", type=int, default=30)
    parser.add_argument("--runs", type=int, default=20)
    options = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="ficarchive-bench-downloads-"))
    os.environ["DATA_DIR"] = str(folder)
    os.environ.pop("DATABASE_URL", None)
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from bench.common import setup_django

    setup_django()
    from django.core.management import call_command
    from django.test import Client

    call_command("migrate", verbosity=0)
    from ficarchive.core.html import render_userstuff
    from ficarchive.core.wordcount import count_html_words
    from ficarchive.formats.downloads.book import book_of
    from ficarchive.formats.downloads.cache import downloadable_works, file_key
    from ficarchive.formats.downloads.epub import epub_bytes
    from ficarchive.formats.downloads.names import download_name
    from ficarchive.works.models import Chapter, Creatorship, Language, Work
    from tests.factories import UserFactory

    user = UserFactory.create(username="benchwriter")
    work = Work.objects.create(title="A Long Benchmark", language=Language.objects.get(code="en"))
    Creatorship.objects.create(work=work, pseud=user.default_pseud())
    paragraph = " ".join(["word"] * 99 + ["end."])
    text = "\n\n".join([paragraph] * (options.words // options.chapters // 100))
    html = render_userstuff(text)
    for position in range(1, options.chapters + 1):
        Chapter.objects.create(
            work=work,
            position=position,
            title=f"Part {position}",
            text=text,
            html=html,
            word_count=count_html_words(html),
        )
    Work.objects.filter(pk=work.pk).update(
        chapter_count=options.chapters, word_count=count_html_words(html) * options.chapters
    )

    builds = []
    for _ in range(max(3, options.runs // 4)):
        start = time.perf_counter()
        epub_bytes(book_of(downloadable_works().get(pk=work.pk)))
        builds.append(time.perf_counter() - start)
    client = Client(HTTP_HOST="localhost")
    url = f"/downloads/{work.pk}/{download_name(work.title, work.pk)}.epub"
    first = client.get(url)
    assert first.status_code == 200
    first.getvalue()
    serves = []
    for _ in range(options.runs):
        start = time.perf_counter()
        response = client.get(url)
        response.getvalue()
        serves.append(time.perf_counter() - start)
    old_keys, new_keys = [], []
    for _ in range(options.runs):
        fetched = downloadable_works().get(pk=work.pk)
        start = time.perf_counter()
        book_of(fetched).fingerprint()
        old_keys.append(time.perf_counter() - start)
        fetched = downloadable_works().get(pk=work.pk)
        start = time.perf_counter()
        file_key(fetched)
        new_keys.append(time.perf_counter() - start)
    old_key, new_key = statistics.median(old_keys), statistics.median(new_keys)
    words = Work.objects.get(pk=work.pk).word_count
    print(f"work: {words:,} words in {options.chapters} chapters")
    print(f"EPUB build (book read + EPUB): median {statistics.median(builds) * 1000:.0f} ms")
    print(f"cached serve through the view: median {statistics.median(serves) * 1000:.1f} ms")
    print(
        f"cache key: file_key median {new_key * 1000:.1f} ms, baseline (book fingerprint)"
        f" {old_key * 1000:.1f} ms, ratio {old_key / new_key:.1f}x"
    )


if __name__ == "__main__":
    main()
