"""A private MariaDB server for the live-source tests: its own data folder, socket and port
under the test's temporary folder, started once per session and stopped after it. Without
mariadbd the tests are skipped (under CI=true they fail)."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pymysql
import pytest

from tests.core.tasks.smtp import free_port

START_SECONDS = 60.0


def _missing(message: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


class MariaDB:
    def __init__(self, base: Path, port: int) -> None:
        self.base, self.port = base, port
        self.socket = base / "mysqld.sock"

    def url(self, database: str) -> str:
        return f"mysql://root@127.0.0.1:{self.port}/{database}"

    def load(self, database: str, sql: str) -> None:
        """Load a dump into a new database with the server's own client, as archivists do."""
        connection = pymysql.connect(unix_socket=str(self.socket), user="root")
        with connection.cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS `{database}`")
            cursor.execute(f"CREATE DATABASE `{database}` CHARACTER SET utf8mb4")
        connection.close()
        client = shutil.which("mariadb") or shutil.which("mysql")
        assert client is not None
        subprocess.run(
            [
                client,
                f"--socket={self.socket}",
                "-uroot",
                "--default-character-set=utf8mb4",
                database,
            ],
            input=sql.encode(),
            check=True,
            capture_output=True,
        )


def mariadb_started(base: Path) -> Iterator[MariaDB]:
    server = shutil.which("mariadbd") or shutil.which("mysqld")
    install = shutil.which("mariadb-install-db") or shutil.which("mysql_install_db")
    if server is None or install is None:
        _missing("mariadbd is not installed (apt-get install mariadb-server): live source tests")
        return
    data = base / "data"
    user = ["--user=root"] if os.geteuid() == 0 else []
    subprocess.run(
        [
            install,
            "--no-defaults",
            f"--datadir={data}",
            "--auth-root-authentication-method=normal",
            "--skip-test-db",
            *user,
        ],
        check=True,
        capture_output=True,
    )
    port = free_port()
    db = MariaDB(base, port)
    process = subprocess.Popen(
        [
            server,
            "--no-defaults",
            f"--datadir={data}",
            f"--socket={db.socket}",
            f"--port={port}",
            "--bind-address=127.0.0.1",
            f"--pid-file={base / 'mysqld.pid'}",
            "--skip-grant-tables",
            "--innodb-buffer-pool-size=16M",
            *user,
        ],
        stdout=subprocess.DEVNULL,
        stderr=(base / "mysqld.log").open("wb"),
    )
    deadline = time.monotonic() + START_SECONDS
    while True:
        try:
            pymysql.connect(unix_socket=str(db.socket), user="root").close()
            break
        except pymysql.MySQLError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                log = (base / "mysqld.log").read_text(errors="replace")[-2000:]
                pytest.fail(f"mariadbd did not start:\n{log}")
            time.sleep(0.2)
    try:
        yield db
    finally:
        process.terminate()
        process.wait(timeout=30)
