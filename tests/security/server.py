"""`ficarchive serve` with several workers in a process of its own, on the test database, and
a small HTTP client with cookies and the CSRF token, as a browser sends them."""

from __future__ import annotations

import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from tests.core.tasks.conftest import database_url

ROOT = Path(__file__).resolve().parents[2]
START_SECONDS = 60.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def serving(data_dir: Path, workers: int = 4, **env: str) -> Iterator[str]:
    """The archive served by `ficarchive serve --workers N` on a free port; yields its URL."""
    port = free_port()
    environment = dict(
        os.environ,
        DATABASE_URL=database_url(),
        DATA_DIR=str(data_dir),
        SECRET_KEY="a-test-key-that-is-not-the-default-one",
        DEBUG="false",
        REDIS_URL="",
        ENV_FILE="/nonexistent",
        **env,
    )
    command = [sys.executable, "-m", "ficarchive", "serve", "--workers", str(workers)]
    command += ["--bind", f"127.0.0.1:{port}", "--no-indexer", "--no-worker", "--no-scheduler"]
    process = subprocess.Popen(command, cwd=ROOT, env=environment)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_SECONDS
        while True:
            try:
                with urllib.request.urlopen(f"{url}/login", timeout=5):
                    break
            except (urllib.error.URLError, OSError):
                # Not listening yet, or too slow to answer under load (a timeout): try again.
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("ficarchive serve did not start") from None
                time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


class Browser:
    """Cookies kept between requests; each request on a new connection, so that the kernel
    hands it to whichever worker accepts first."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()),
            _NoRedirect(),
        )

    def request(self, path: str, data: Mapping[str, object] | None = None) -> tuple[int, str]:
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        try:
            with self.opener.open(self.base + path, body, timeout=30) as response:
                return int(response.status), response.read().decode()
        except urllib.error.HTTPError as error:
            return int(error.code), error.read().decode()

    def csrf_token(self, path: str) -> str:
        _status, page = self.request(path)
        found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert found, f"no CSRF token on {path}"
        return found[1]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None
