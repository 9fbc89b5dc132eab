"""The archive as it runs in production, for the fault suite: `ficarchive serve` with its web
workers, indexer, task worker and scheduler, each a process of its own; the processes found
by their parent (/proc), so that a test can kill one with SIGKILL; and a load loop of readers
and writers that counts what it tried, what failed, and every write the archive said it took."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from ficarchive.accounts.models import User
from ficarchive.social.models import Comment, Kudo
from ficarchive.works.models import Work
from tests.core.tasks.conftest import database_url
from tests.security.server import ROOT, Browser, free_port
from tests.works.posting_data import work_data

SECRET_KEY = "a-fault-test-key-that-is-not-the-default-one"
PASSWORD = "a long test passphrase"
START_SECONDS = 90.0


@dataclass
class Archive:
    url: str
    process: subprocess.Popen[bytes]

    def children(self) -> dict[int, str]:
        """The serve process's children: pid and command line."""
        found = {}
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
                cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            except OSError:
                continue
            parent = int(stat.rsplit(")", 1)[1].split()[1])
            if parent == self.process.pid:
                found[int(entry.name)] = cmdline
        return found

    def sidecar(self, name: str) -> int | None:
        for pid, cmdline in self.children().items():
            if cmdline.split()[-1:] == [name]:
                return pid
        return None

    def web_workers(self) -> list[int]:
        return sorted(pid for pid, cmdline in self.children().items() if " serve " in cmdline)

    def kill(self, pid: int) -> None:
        os.kill(pid, signal.SIGKILL)


def ficarchive_run(env: dict[str, str], *args: str, stdin: str = "") -> None:
    """One `ficarchive` command (migrate, account ...) for a fault's own archive."""
    subprocess.run(
        [sys.executable, "-m", "ficarchive", *args],
        cwd=ROOT,
        env=env,
        input=stdin,
        text=True,
        check=True,
        capture_output=True,
    )


def wait_until(condition: object, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if callable(condition) and condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"not within {seconds:.0f} s: {what}")


@contextmanager
def serving(data_dir: Path, workers: int = 2, **env: str) -> Iterator[Archive]:
    """`ficarchive serve` with everything beside it, on a free port."""
    port = free_port()
    environment = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "DATA_DIR": str(data_dir),
        "SECRET_KEY": SECRET_KEY,
        "DEBUG": "false",
        "REDIS_URL": "",
        "TASKS_URL": "",
        "ENV_FILE": "/nonexistent",
        # The load loop comes from one address and logs its writers in: no throttle in the way.
        "ACCOUNT_RATE_LIMIT": "100000/1s",
        "COMMENT_USER_RATE": "100000/1s",
        **env,
    }
    command = [sys.executable, "-m", "ficarchive", "serve", "--workers", str(workers)]
    command += ["--bind", f"127.0.0.1:{port}", "--timeout", "20"]
    # Its output (the console's mail among it) in a log beside the data, not in the test's.
    log = (data_dir.parent / f"{data_dir.name}-serve.log").open("wb")
    process = subprocess.Popen(command, cwd=ROOT, env=environment, stdout=log, stderr=log)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_SECONDS
        while True:
            try:
                with urllib.request.urlopen(f"{url}/login", timeout=10):
                    break
            except (urllib.error.URLError, OSError):
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("ficarchive serve did not start") from None
                time.sleep(0.3)
        yield Archive(url, process)
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


@dataclass
class Writer:
    pk: int
    browser: Browser
    token: str
    pseud: str
    work_form: dict[str, object]


def log_in(url: str, user: User) -> Writer:
    """A browser logged in as this user of the test database."""
    return log_in_as(url, user.pk, user.username, work_data(user))


def log_in_as(url: str, pk: int, username: str, work_form: dict[str, object]) -> Writer:
    """A browser logged in as the user with this login, whatever database the archive uses;
    `work_form` a valid new-work form of theirs."""
    browser = Browser(url)
    token = browser.csrf_token("/login")
    status, page = browser.request(
        "/login", {"csrfmiddlewaretoken": token, "username": username, "password": PASSWORD}
    )
    assert status == 302, f"{username} could not log in: {status} {page[:500]}"
    token = browser.csrf_token("/works/new")
    return Writer(pk, browser, token, str(work_form["pseuds"][0]), work_form)  # type: ignore[index]


@dataclass
class Tally:
    """What a load loop did: requests by outcome, and the writes the archive said it took."""

    tried: int = 0
    failed: int = 0
    statuses: Counter[str] = field(default_factory=Counter)
    comments: list[str] = field(default_factory=list)
    works: list[str] = field(default_factory=list)
    kudos: list[tuple[int, int]] = field(default_factory=list)
    pages: dict[int, str] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def count(self, status: int | str, page: str = "") -> None:
        with self.lock:
            self.tried += 1
            self.statuses[str(status)] += 1
            if not isinstance(status, int) or status >= 500:
                self.failed += 1
                if isinstance(status, int):
                    self.pages.setdefault(status, page)

    def summary(self) -> str:
        codes = ", ".join(f"{code}: {n}" for code, n in sorted(self.statuses.items()))
        return f"{self.tried} requests, {self.failed} failed ({codes})"

    def lost(self, has: Callable[[str, tuple[object, ...]], bool] | None = None) -> list[str]:
        """Writes answered 3xx that the database does not have; `has(kind, key)` looks in
        it (by default the test database)."""
        has = has or _in_test_database
        missing = [f"comment {text}" for text in self.comments if not has("comment", (text,))]
        missing += [f"work {title}" for title in self.works if not has("work", (title,))]
        missing += [f"kudos {key}" for key in self.kudos if not has("kudos", key)]
        return missing


def _in_test_database(kind: str, key: tuple[object, ...]) -> bool:
    if kind == "comment":
        return Comment.objects.filter(text=key[0]).exists()
    if kind == "work":
        return Work.objects.filter(title=key[0]).exists()
    work, user = key
    return Kudo.objects.filter(work_id=int(str(work)), user_id=int(str(user))).exists()


def _request(tally: Tally, browser: Browser, path: str, data: Mapping[str, object] | None) -> int:
    try:
        status, page = browser.request(path, data)
    except (OSError, urllib.error.URLError) as error:
        # A worker killed while answering: the connection drops.
        tally.count(type(error).__name__)
        return 0
    tally.count(status, page)
    return status


class Load:
    """Threads of readers (the home page, listings, work pages) and writers (kudos, comments,
    new works) against the archive until stopped."""

    def __init__(self, url: str, writers: list[Writer], works: list[int]) -> None:
        self.url, self.writers, self.works = url, writers, works
        self.tally = Tally()
        self.stopping = threading.Event()
        self.threads = [threading.Thread(target=self._read, daemon=True)]
        self.threads += [
            threading.Thread(target=self._write, args=(writer,), daemon=True) for writer in writers
        ]
        self.posted = 0

    def __enter__(self) -> Load:
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stopping.set()
        for thread in self.threads:
            thread.join(timeout=60)

    def _read(self) -> None:
        browser = Browser(self.url)
        pages = ["/", "/works", *[f"/works/{work}" for work in self.works]]
        while not self.stopping.is_set():
            _request(self.tally, browser, random.choice(pages), None)

    def _write(self, writer: Writer) -> None:
        rng = random.Random(writer.pk)
        pseud = writer.pseud
        while not self.stopping.is_set():
            kind = rng.choice(["kudos", "comment", "comment", "work"])
            work = rng.choice(self.works)
            token: dict[str, object] = {"csrfmiddlewaretoken": writer.token}
            if kind == "kudos":
                status = _request(self.tally, writer.browser, f"/works/{work}/kudos", token)
                if 200 <= status < 400:
                    with self.tally.lock:
                        self.tally.kudos.append((work, writer.pk))
            elif kind == "comment":
                text = f"A comment under load, {uuid.uuid4().hex}."
                data = {**token, "text": text, "pseud": pseud}
                status = _request(self.tally, writer.browser, f"/works/{work}/comments/new", data)
                if 300 <= status < 400:
                    with self.tally.lock:
                        self.tally.comments.append(text)
            else:
                title = f"Loadword{uuid.uuid4().hex[:12]} posted under load"
                data = {**writer.work_form, **token, "title": title}
                status = _request(self.tally, writer.browser, "/works/new", data)
                if 300 <= status < 400:
                    with self.tally.lock:
                        self.tally.works.append(title)
