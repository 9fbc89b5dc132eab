"""Freshness against a running archive: a web server, the real indexer loop in the
background, and works written through the application while it runs."""

from __future__ import annotations

import time
import urllib.parse
import urllib.request
from io import StringIO
from pathlib import Path
from typing import Any

from django.core.management import call_command

from ficarchive.core.changes import changes_pending
from ficarchive.search.indexer import search_consumer
from tests.conftest import DEADLINE_SECONDS
from tests.factories import WorkFactory


def _search(base: str, text: str) -> str:
    url = f"{base}/works/search?{urllib.parse.urlencode({'q': text})}"
    with urllib.request.urlopen(url, timeout=10) as response:
        return str(response.read().decode())


def _wait_for(base: str, text: str, title: str) -> float:
    start = time.monotonic()
    while time.monotonic() - start < DEADLINE_SECONDS:
        if title in _search(base, text):
            return time.monotonic() - start
        time.sleep(0.02)
    raise AssertionError(f"{title!r} was not searchable after {DEADLINE_SECONDS} s")


def _record(folder: Path, title: str, word: str) -> Path:
    path = folder / "fresh.txt"
    path.write_text(
        f"Title: {title}\nWork ID: 7001\nAuthor: Fresh Writer (freshwriter)\n"
        "Rating: General Audiences\nLanguage: English\nStatus: Completed\nChapters: 1/1\n\n"
        f"A story in which a {word} appears.\n",
        encoding="utf-8",
    )
    return path


def test_an_imported_work_becomes_searchable_while_the_server_runs(
    live_server: Any, running_indexer: None, tmp_path: Path
) -> None:
    WorkFactory.create(title="Already There", text="An older story.")
    _wait_for(live_server.url, "older", "Already There")  # the indexer built the index
    call_command("import", str(_record(tmp_path, "Fresh Press", "zeppelin")), stdout=StringIO())
    elapsed = _wait_for(live_server.url, "zeppelin", "Fresh Press")
    print(f"searchable {elapsed * 1000:.0f} ms after the import committed")
    # Importing it again with other words reaches the index the same way.
    call_command("import", str(_record(tmp_path, "Fresh Press", "dirigible")), stdout=StringIO())
    _wait_for(live_server.url, "dirigible", "Fresh Press")
    assert "Fresh Press" not in _search(live_server.url, "zeppelin")
    assert changes_pending(search_consumer()) == 0
