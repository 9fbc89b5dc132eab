"""Reading speed: requests per second and latency of the home page and of a long work's page,
served by `ficarchive serve` (gunicorn, several workers) from a database of 100,000 works.

Builds the database once under bench/out/ (the demo corpus plus one imported work of 10
chapters and 100,000 words) and reuses it. Load comes from wrk (`apt-get install wrk`) on
loopback, for a bounded time per page. The baseline, in the same run, is one gunicorn worker.
Then one request of each page is profiled in-process: queries, SQL time and where the rest goes.

    uv run python bench/reading.py                      # 100,000 works, 15 s per page
    uv run python bench/reading.py --works 2000 --duration 5
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import ROOT, environment, ficarchive, setup_django

OUT = ROOT / "bench" / "out"
LUA = Path(__file__).resolve().parent / "wrk_report.lua"
LONG_WORK_ID = 9_000_001
LONG_CHAPTERS = 10
LONG_WORDS = 100_000


def long_work_record(path: Path) -> None:
    """A General Audiences work of 10 chapters and 100,000 words, as a work record."""
    from ficarchive.demo.prose import Prose

    rng = random.Random(2026)
    prose = Prose(rng)
    header = [
        "Title: The Long Bench Work",
        f"Work ID: {LONG_WORK_ID}",
        "Author: Bench Writer (benchwriter)",
        "Rating: General Audiences",
        "Archive Warning: No Archive Warnings Apply",
        "Category: Gen",
        "Fandom: Benchmarks - Original Work",
        "Relationships: Reader & Writer",
        "Characters: Reader, Writer",
        "Additional Tags: Slow Burn, Long, Very Long",
        "Language: English",
        "Published: 2025-01-01",
        "Updated: 2025-06-01",
        "Status: Completed",
        f"Chapters: {LONG_CHAPTERS}/{LONG_CHAPTERS}",
        "Summary: " + prose.summary(rng),
    ]
    body = []
    for number in range(1, LONG_CHAPTERS + 1):
        paragraphs = prose.paragraphs(rng, LONG_WORDS // LONG_CHAPTERS)
        body.append(f"Chapter {number}: Part {number}\n\n" + "\n\n".join(paragraphs))
    path.write_text("\n".join(header) + "\n\n" + "\n\n".join(body) + "\n", encoding="utf-8")


def build(data_dir: Path, works: int, env: dict[str, str]) -> None:
    """The demo corpus and the long work in a fresh SQLite database under `data_dir`."""
    if data_dir.exists():
        shutil.rmtree(data_dir)
    data_dir.mkdir(parents=True)
    started = time.perf_counter()
    ficarchive(env, "migrate", "--verbosity", "0")
    ficarchive(env, "demo", "--works", str(works), "--body-words", "40", "--verbosity", "0")
    record = data_dir / "long-work.txt"
    long_work_record(record)
    ficarchive(env, "import", str(record))
    # The listings go through the search index: build it before the server starts.
    ficarchive(env, "reindex", "--no-progress", "--verbosity", "0")
    (data_dir / "ready").write_text(f"{time.perf_counter() - started:.0f}", encoding="utf-8")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def server(env: dict[str, str], workers: int, *options: str) -> Iterator[str]:
    """`ficarchive serve` (with these further options) on a free loopback port, stopped on
    exit; its base URL."""
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "ficarchive",
            "serve",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            *options,
        ],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(base + "/", timeout=5) as response:
                    if response.status == 200:
                        break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("ficarchive serve did not start") from None
                time.sleep(0.5)
        yield base
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


def bench_user(login: str) -> Any:
    """A user of this login (with its default pseud), made the first time."""
    from ficarchive.accounts.models import Pseud, User

    user, created = User.objects.get_or_create(username=login)
    if created:
        Pseud.objects.create(user=user, name=login, is_default=True)
    return user


def session_cookie(user: Any) -> str:
    """The session cookie of this user logged in, made in this process (which must share the
    server's SECRET_KEY)."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return f"sessionid={session.session_key}"


def reader_session() -> str:
    """A logged-in reader's session cookie: logged-in readers never get cached pages."""
    return session_cookie(bench_user("benchreader"))


def wrk(url: str, seconds: int, connections: int, cookie: str = "") -> dict[str, Any]:
    """One bounded wrk run against a loopback URL; its figures."""
    headers = ["-H", f"Cookie: {cookie}"] if cookie else []
    result = subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{connections}",
            f"-d{seconds}s",
            "--timeout",
            "10s",
            "-s",
            str(LUA),
            *headers,
            url,
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    figures: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    figures["rps"] = figures["requests"] / (figures["duration_us"] / 1e6)
    figures["errors"] = sum(
        figures[key]
        for key in ("connect_errors", "read_errors", "write_errors", "status_errors", "timeouts")
    )
    return figures


def pages() -> dict[str, str]:
    return {
        "home": "/",
        "home, page 6 (not cached)": "/?page=6",
        "long work (chapter 1 of 10)": f"/works/{LONG_WORK_ID}",
        "long work, entire (100,000 words)": f"/works/{LONG_WORK_ID}?view_full_work=true",
    }


def load(
    env: dict[str, str], workers: int, seconds: int, connections: int, cookie: str
) -> dict[tuple[str, str], Any]:
    results = {}
    with server(env, workers) as base:
        for reader, reader_cookie in (("guest", ""), ("logged in", cookie)):
            for name, path in pages().items():
                wrk(base + path, 2, connections, reader_cookie)  # warm caches and connections
                results[name, reader] = wrk(base + path, seconds, connections, reader_cookie)
    return results


def profile() -> None:
    """Where one request's time goes, measured in this process on the same database."""
    import cProfile
    import pstats

    from django.core.cache import cache
    from django.db import connection
    from django.test import Client

    client = Client()
    print("\nWhere the time goes (one process, cache emptied before each request):")
    for name, path in pages().items():
        cache.clear()
        client.get(path)
        runs = 30
        total = 0.0
        for _ in range(runs):
            cache.clear()
            started = time.perf_counter()
            response = client.get(path)
            total += time.perf_counter() - started
        assert response.status_code == 200
        cache.clear()
        timings: list[float] = []
        timed = _query_timer(timings)

        # Django empties connection.queries at each request's start; a wrapper sees them all.
        with connection.execute_wrapper(timed):
            client.get(path)
        profiler = cProfile.Profile()
        for _ in range(10):
            cache.clear()
            profiler.runcall(client.get, path)
        stats = pstats.Stats(profiler)
        parts = {
            "SQL (execute and fetch)": _cumulative(
                stats, ("execute", "fetchmany", "fetchall"), "sqlite3"
            ),
            "template rendering": _cumulative(stats, ("render",), "django/template/base.py"),
            "sanitising creator HTML (nh3)": _cumulative(stats, ("clean",), "nh3"),
        }
        per_request = total / runs * 1000
        print(
            f"  {name}: {per_request:.1f} ms a request, {len(response.content):,} bytes, "
            f"{len(timings)} queries taking {sum(timings) * 1000:.1f} ms"
        )
        for part, seconds in parts.items():
            print(f"      {part}: {seconds / 10 * 1000:.1f} ms")
        cache.clear()
        client.get(path)
        started = time.perf_counter()
        for _ in range(runs):
            client.get(path)
        cached = (time.perf_counter() - started) / runs * 1000
        print(f"      with the cache warm (guests' first pages): {cached:.2f} ms a request")


def _query_timer(timings: list[float]) -> Any:
    """A database execute wrapper that appends each query's seconds to `timings`."""

    def timed(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            timings.append(time.perf_counter() - started)

    return timed


def _cumulative(stats: Any, names: tuple[str, ...], where: str) -> float:
    """Cumulative seconds of the outermost calls to functions named `names` in files matching
    `where` (recursive calls are not counted twice)."""
    total = 0.0
    for (filename, _line, function), (_cc, _nc, _tt, cumulative, callers) in stats.stats.items():
        if function.split(" ")[-1].strip("'>").split(".")[-1] not in names:
            continue
        if where not in filename and where not in function:
            continue
        inner = {key for key in callers if key[2] == function}
        if inner and len(inner) == len(callers):
            continue
        total += cumulative
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--works", type=int, default=100_000)
    parser.add_argument("--duration", type=int, default=15, help="seconds of load per page")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument(
        "--workers", type=int, default=None, help="gunicorn workers (default: serve's own)"
    )
    parser.add_argument("--rebuild", action="store_true", help="build the database again")
    parser.add_argument("--profile-only", action="store_true")
    args = parser.parse_args()
    if shutil.which("wrk") is None and not args.profile_only:
        sys.exit("wrk is not installed: apt-get install wrk")

    data_dir = OUT / f"reading-{args.works}"
    env = environment(DATA_DIR=str(data_dir), SECRET_KEY=secrets.token_urlsafe(50), DEBUG="")
    if args.rebuild or not (data_dir / "ready").exists():
        print(f"Building {args.works:,} demo works and the long work in {data_dir} ...")
        build(data_dir, args.works, env)
    os.environ.update(DATA_DIR=env["DATA_DIR"], SECRET_KEY=env["SECRET_KEY"], DEBUG="")
    os.environ["ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"
    setup_django()
    cookie = reader_session()
    print(
        f"Database: {data_dir} ({(data_dir / 'ficarchive.sqlite3').stat().st_size >> 20} MiB), "
        f"{os.cpu_count()} CPUs"
    )

    if not args.profile_only:
        workers = args.workers or 2 * (os.cpu_count() or 1) + 1
        configs = {"baseline: 1 worker": 1, f"serve, {workers} workers": workers}
        print(f"wrk: 2 threads, {args.connections} connections, {args.duration} s per page\n")
        print(
            f"{'page':36} {'reader':10} {'server':26} {'req/s':>7} {'p50 ms':>7} "
            f"{'p95 ms':>7} {'p99 ms':>7} {'errors':>6}"
        )
        for config, count in configs.items():
            results = load(env, count, args.duration, args.connections, cookie)
            for (name, reader), figures in results.items():
                print(
                    f"{name:36} {reader:10} {config:26} {figures['rps']:7.0f} "
                    f"{figures['p50_us'] / 1000:7.1f} {figures['p95_us'] / 1000:7.1f} "
                    f"{figures['p99_us'] / 1000:7.1f} {figures['errors']:6d}"
                )
    profile()


if __name__ == "__main__":
    main()
