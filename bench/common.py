"""Helpers shared by the benchmarks: fresh databases and child processes with their own
settings."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/ficarchive_bench"


def ficarchive(env: dict[str, str], *args: str) -> None:
    """Run a `ficarchive` subcommand in a child process with the given environment."""
    subprocess.run([sys.executable, "-m", "ficarchive", *args], env=env, check=True, cwd=ROOT)


def environment(**overrides: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env.update(overrides)
    return env


def fresh_postgres(url: str) -> bool:
    """Drop and create the database named in `url`; False when no server answers."""
    import psycopg

    name = url.rsplit("/", 1)[1]
    server = url.rsplit("/", 1)[0] + "/postgres"
    try:
        with psycopg.connect(server, autocommit=True, connect_timeout=5) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
            connection.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError as error:
        print(f"PostgreSQL not reachable at {server}: {error}", file=sys.stderr)
        return False
    return True


def run_child(script: Path, env: dict[str, str], *args: str) -> dict[str, Any]:
    """Run a benchmark script's measuring mode in a child process; returns its JSON line."""
    result = subprocess.run(
        [sys.executable, str(script), *args],
        env=env,
        check=True,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ficarchive.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
