"""The queue's tests run on the real backends: the test database (SQLite or PostgreSQL), and
Redis through RQ (skipped with a message when no Redis answers, failed under CI=true)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection

from tests.core.tasks.smtp import SmtpServer

REDIS_TEST_URL = os.environ.get("TASKS_TEST_REDIS_URL", "redis://127.0.0.1:6379/12")


@pytest.fixture
def smtp(settings: Any) -> Iterator[SmtpServer]:
    """A loopback SMTP server that the archive's mail goes to."""
    server = SmtpServer()
    server.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = server.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_TIMEOUT = 5
    yield server
    server.hold.clear()
    server.stop()


def redis_or_skip(url: str) -> None:
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        message = f"no Redis at {url}: start redis-server to run the RQ backend's tests"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture(params=["database", "redis"])
def backend(request: pytest.FixtureRequest, settings: Any, transactional_db: None) -> str:
    """Each queue test once on the database backend and once on RQ with a real Redis."""
    settings.TASKS_RETRY_SECONDS = 0.2
    settings.TASKS_MAX_ATTEMPTS = 3
    if request.param == "database":
        settings.TASKS = {"default": {"BACKEND": "ficarchive.core.queue.backends.DatabaseBackend"}}
        return "database"
    import redis

    redis_or_skip(REDIS_TEST_URL)
    redis.Redis.from_url(REDIS_TEST_URL).flushdb()
    settings.RQ_QUEUES = {"default": {"URL": REDIS_TEST_URL}}
    settings.TASKS = {"default": {"BACKEND": "ficarchive.core.queue.backends.RQBackend"}}
    return "redis"


def database_url() -> str:
    """The test database, for a worker in another process."""
    config = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{config['NAME']}"
    password = f":{config['PASSWORD']}" if config["PASSWORD"] else ""
    return (
        f"postgres://{config['USER']}{password}@{config['HOST'] or '127.0.0.1'}:"
        f"{config['PORT'] or 5432}/{config['NAME']}"
    )
