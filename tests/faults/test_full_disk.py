"""A full disk under the data folder: the SQLite database, the search index and every file the
archive writes on a small tmpfs. Posting while it is full answers a clear 503 page that has the
writer's text on it, ready to send again; nothing is half-written; and once space is freed,
posting works again without a restart. Needs root to mount a tmpfs (skipped otherwise)."""

from __future__ import annotations

import os
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.utils.html import escape

from tests.faults.archive import PASSWORD, SECRET_KEY, ficarchive_run, serving
from tests.security.server import Browser

SIZE = "24m"


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={SIZE}", "tmpfs", str(mount)],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a {SIZE} tmpfs for the full-disk test: {done.stderr.strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def _fill(disk: Path) -> Path:
    """A file that takes every byte left."""
    filler = disk / "filler"
    descriptor = os.open(filler, os.O_WRONLY | os.O_CREAT)
    try:
        for size in (1 << 20, 4096, 1):
            block = b"\0" * size
            try:
                while True:
                    os.write(descriptor, block)
            except OSError:
                pass
    finally:
        os.close(descriptor)
    return filler


def _post(browser: Browser, form: dict[str, str], title: str, text: str) -> tuple[int, str]:
    data = {
        **form,
        "title": title,
        "rating": "General Audiences",
        "warnings": "No Archive Warnings Apply",
        "fandoms": "Small Disks (Radio)",
        "text": text,
        "action": "post",
    }
    return browser.request("/works/new", data)


def test_posting_to_a_full_disk_keeps_the_text_and_works_once_space_is_freed(
    small_disk: Path,
) -> None:
    database = small_disk / "ficarchive.sqlite3"
    env = dict(
        os.environ,
        DATABASE_URL=f"sqlite:///{database}",
        DATA_DIR=str(small_disk / "data"),
        SECRET_KEY=SECRET_KEY,
        ENV_FILE="/nonexistent",
    )
    ficarchive_run(env, "migrate", "-v0")
    ficarchive_run(env, "account", "create", "writer", "--email", "w@example.org", stdin=PASSWORD)
    with sqlite3.connect(database) as db:
        pseud = str(db.execute("select id from accounts_pseud").fetchone()[0])
        language = str(db.execute("select id from works_language where code='en'").fetchone()[0])
    text = "Typed on a full disk, every word of it.\n\nAnd a second paragraph <em>too</em>."
    tried = failed = 0
    with serving(
        small_disk / "data",
        workers=1,
        DATABASE_URL=env["DATABASE_URL"],
        ACCOUNT_RATE_LIMIT="100/1s",
    ) as archive:
        browser = Browser(archive.url)
        token = browser.csrf_token("/login")
        login = {"csrfmiddlewaretoken": token, "username": "writer", "password": PASSWORD}
        assert browser.request("/login", login)[0] == 302
        form = {
            "csrfmiddlewaretoken": browser.csrf_token("/works/new"),
            "pseuds": pseud,
            "language": language,
        }
        assert _post(browser, form, "Before the disk filled", text)[0] == 302

        # Everything in the write-ahead log goes into the database, so that no write finds
        # room already there, and then the disk fills.
        with sqlite3.connect(database) as db:
            db.execute("pragma wal_checkpoint(truncate)")
        filler = _fill(small_disk)
        statuses = []
        for attempt in range(3):
            status, page = _post(browser, form, f"While the disk was full {attempt}", text)
            statuses.append(status)
            assert status == 503, page[:2000]
            assert "storage is full" in page
            # The writer's text is on the page, in a form that sends it again.
            assert escape(text) in page
            assert 'name="title" value="While the disk was full' in page
        for path in ["/", "/works/search?q=disk"]:
            status, page = browser.request(path)
            statuses.append(status)
            assert status in {200, 503}, page[:2000]
        tried += len(statuses)
        failed += sum(status >= 500 for status in statuses)

        filler.unlink()
        status, _page = _post(browser, form, "After space was freed", text)
        tried += 1
        assert status == 302
    print(f"\nfault: full disk: {tried} requests, {failed} failed (503 with the text kept)")
    with sqlite3.connect(database) as db:
        titles = {row[0] for row in db.execute("select title from works_work")}
        assert db.execute("pragma integrity_check").fetchone()[0] == "ok"
    # Nothing of the posts made while the disk was full is in the database, not even a part.
    assert titles == {"Before the disk filled", "After space was freed"}
