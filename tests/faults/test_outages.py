"""Redis and PostgreSQL stopped for 10 s under a load loop, and started again: requests in
the meantime answer a clear 503 page (never a 500), the archive recovers by itself (no
restart), and no write it said it took is lost. Each runs on a private server the test starts
on a free port (never the machine's shared ones); PostgreSQL's only in the PostgreSQL run of
the suite. Skipped with a message without redis-server, initdb or pg_ctl (failed under
CI=true)."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from ficarchive.accounts.models import User
from tests.core.tasks.conftest import database_url
from tests.faults.archive import (
    PASSWORD,
    SECRET_KEY,
    Load,
    Writer,
    ficarchive_run,
    log_in,
    log_in_as,
    serving,
    wait_until,
)
from tests.security.server import Browser, free_port

OUTAGE_SECONDS = 10.0
# The archive answers again within this once the service is back: a bound on waiting.
RECOVERY_SECONDS = 30.0
UNAVAILABLE = "The archive is unavailable for a moment"


def _missing(what: str) -> None:
    message = f"{what} is not installed: the outage test needs it"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


def _outage(
    url: str,
    writers: list[Writer],
    works: list[int],
    stop: Callable[[], None],
    start: Callable[[], None],
    name: str,
) -> Load:
    """The load loop while the service is stopped for OUTAGE_SECONDS and started again, until
    the archive answers again; checks that no answer was a 500 and writes still work."""
    with Load(url, writers, works) as load:
        time.sleep(2)
        stop()
        time.sleep(OUTAGE_SECONDS)
        start()
        browser = Browser(url)
        wait_until(lambda: browser.request("/")[0] == 200, RECOVERY_SECONDS, "the archive answers")
        time.sleep(2)
    tally = load.tally
    print(f"\nfault: {name} stopped for {OUTAGE_SECONDS:.0f} s: {tally.summary()}")
    assert "500" not in tally.statuses, tally.pages.get(500, "")[:3000]
    assert tally.statuses["503"] > 0, f"the outage was not seen: {tally.summary()}"
    assert UNAVAILABLE in tally.pages[503]
    # Recovered by itself: a writer's comment is taken again.
    writer = writers[0]
    text = f"A comment after the {name} came back."
    status, _page = writer.browser.request(
        f"/works/{works[0]}/comments/new",
        {"csrfmiddlewaretoken": writer.token, "text": text, "pseud": writer.pseud},
    )
    assert status == 302
    tally.comments.append(text)
    return load


# Redis


class RedisServer:
    def __init__(self, directory: Path) -> None:
        self.port = free_port()
        self.directory = directory
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}"

    def start(self) -> None:
        command = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1"]
        command += ["--save", "", "--appendonly", "no", "--dir", str(self.directory)]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
        wait_until(self._answers, 10, "redis-server answers")

    def _answers(self) -> bool:
        import redis

        try:
            return bool(redis.Redis(port=self.port, socket_connect_timeout=0.5).ping())
        except redis.exceptions.ConnectionError:
            return False

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None


@pytest.fixture
def private_redis(tmp_path: Path) -> Iterator[RedisServer]:
    if shutil.which("redis-server") is None:
        _missing("redis-server")
    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.stop()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_redis_stopped_and_started_again(
    tmp_path: Path, cast: tuple[list[User], list[int]], private_redis: RedisServer
) -> None:
    users, works = cast
    with serving(
        tmp_path / "data", REDIS_URL=f"{private_redis.url}/0", TASKS_URL=f"{private_redis.url}/1"
    ) as archive:
        writers = [log_in(archive.url, user) for user in users]
        load = _outage(
            archive.url, writers, works, private_redis.stop, private_redis.start, "Redis"
        )
    assert load.tally.lost() == []


# PostgreSQL


@dataclass
class PostgresCluster:
    directory: Path
    port: int
    binaries: Path

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/faults"

    def run(self, program: str, *args: str) -> None:
        command = [str(self.binaries / program), *args]
        if os.geteuid() == 0:  # PostgreSQL refuses to run as root
            command = ["runuser", "-u", "postgres", "--", *command]
        # No pipes: the server that pg_ctl starts would hold them open, and wait on them.
        subprocess.run(
            command,
            check=True,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            cwd=self.directory,
            timeout=120,
        )

    def start(self) -> None:
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.directory}"
        log = str(self.directory / "server.log")
        self.run(
            "pg_ctl", "-D", str(self.directory / "data"), "-o", options, "-l", log, "-w", "start"
        )

    def stop(self) -> None:
        self.run("pg_ctl", "-D", str(self.directory / "data"), "-m", "fast", "-w", "stop")

    def has(self, kind: str, key: tuple[object, ...]) -> bool:
        import psycopg

        queries = {
            "comment": "select 1 from social_comment where text = %s",
            "work": "select 1 from works_work where title = %s",
            "kudos": "select 1 from social_kudo where work_id = %s and user_id = %s",
        }
        with psycopg.connect(self.url) as db:
            return db.execute(queries[kind], key).fetchone() is not None

    def one(self, query: str) -> object:
        import psycopg

        with psycopg.connect(self.url) as db:
            row = db.execute(query).fetchone()
            assert row is not None, query
            return row[0]


def _postgres_binaries() -> Path | None:
    found = shutil.which("initdb")
    if found and shutil.which("pg_ctl"):
        return Path(os.path.realpath(found)).parent
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    return versions[-1].parent if versions else None


@pytest.fixture
def private_postgres() -> Iterator[PostgresCluster]:
    if not database_url().startswith("postgres"):
        pytest.skip("the PostgreSQL outage runs in the suite's PostgreSQL run (DATABASE_URL)")
    binaries = _postgres_binaries()
    if binaries is None:
        _missing("PostgreSQL's initdb and pg_ctl")
        return
    directory = Path(tempfile.mkdtemp(prefix="ficarchive-faults-pg-"))
    if os.geteuid() == 0:
        shutil.chown(directory, "postgres")
    cluster = PostgresCluster(directory, free_port(), binaries)
    cluster.run("initdb", "-D", str(directory / "data"), "-U", "postgres", "--auth=trust")
    cluster.start()
    try:
        cluster.run(
            "createdb", "-h", "127.0.0.1", "-p", str(cluster.port), "-U", "postgres", "faults"
        )
        yield cluster
    finally:
        try:
            cluster.stop()
        finally:
            shutil.rmtree(directory, ignore_errors=True)


def test_postgresql_stopped_and_started_again(
    tmp_path: Path, private_postgres: PostgresCluster
) -> None:
    cluster = private_postgres
    env = {
        **os.environ,
        "DATABASE_URL": cluster.url,
        "DATA_DIR": str(tmp_path / "data"),
        "SECRET_KEY": SECRET_KEY,
        "ENV_FILE": "/nonexistent",
    }
    ficarchive_run(env, "migrate", "-v0")
    # The first posts the work that the others read, kudos and comment on under load.
    logins = ["author", "writer1", "writer2"]
    for login in logins:
        ficarchive_run(
            env, "account", "create", login, "--email", f"{login}@example.org", stdin=PASSWORD
        )
    language = str(cluster.one("select id from works_language where code = 'en'"))
    with serving(tmp_path / "data", DATABASE_URL=cluster.url) as archive:
        writers = []
        for login in logins:
            pk = int(str(cluster.one(f"select id from accounts_user where username = '{login}'")))
            pseud = str(cluster.one(f"select id from accounts_pseud where user_id = {pk}"))
            form: dict[str, object] = {
                "title": "Posted before the outage",
                "pseuds": [pseud],
                "rating": "General Audiences",
                "warnings": ["No Archive Warnings Apply"],
                "fandoms": "Lighthouse Keepers (TV)",
                "language": language,
                "text": "The lantern swung in the wind above the harbour.",
                "action": "post",
            }
            writers.append(log_in_as(archive.url, pk, login, form))
        status, _page = writers[0].browser.request(
            "/works/new", {**writers[0].work_form, "csrfmiddlewaretoken": writers[0].token}
        )
        assert status == 302
        works = [int(str(cluster.one("select id from works_work")))]
        load = _outage(archive.url, writers[1:], works, cluster.stop, cluster.start, "PostgreSQL")
    assert load.tally.lost(cluster.has) == []
