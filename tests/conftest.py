"""The standard cast every permission test names: who is looking."""

from __future__ import annotations

import importlib
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser, Group, Permission
from django.core.cache import cache

from ficarchive.accounts.models import User
from ficarchive.core.changes import counter_buffer
from ficarchive.search.index import forget_reader
from ficarchive.search.indexer import inline, run_forever
from tests.factories import UserFactory


@pytest.fixture(scope="session")
def django_db_modify_db_settings(
    django_db_modify_db_settings_parallel_suffix: None, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """On SQLite the test database is a file, so that a worker in another process (the
    queue's tests start real ones) opens the same database."""
    from django.conf import settings

    config = settings.DATABASES["default"]
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config.setdefault("TEST", {})["NAME"] = str(tmp_path_factory.mktemp("db") / "test.sqlite3")


def _transactional(request: pytest.FixtureRequest) -> bool:
    marker = request.node.get_closest_marker("django_db")
    return bool(marker and marker.kwargs.get("transaction")) or bool(
        {"transactional_db", "live_server"} & set(request.fixturenames)
    )


@pytest.fixture(autouse=True)
def migrated_rows(request: pytest.FixtureRequest) -> None:
    """The rows that data migrations create (the fixed tags, media, English), made again for a
    transactional test when the flush after an earlier one removed them. Serialized rollback
    alone did not always bring them back in a whole-suite run (CI failed on a work factory
    that found no English), and a transactional test without it never gets them back."""
    if not _transactional(request):
        return
    request.getfixturevalue("transactional_db")
    from django.apps import apps

    tags = importlib.import_module("ficarchive.tags.migrations.0002_fixed_tags")
    media = importlib.import_module("ficarchive.tags.migrations.0006_media")
    works = importlib.import_module("ficarchive.works.migrations.0002_english")
    tags.create_fixed_tags(apps, None)
    media.create_media(apps, None)
    works.create_english(apps, None)


@pytest.fixture(autouse=True)
def search_index(settings: Any, tmp_path: Path) -> Iterator[Path]:
    """Each test gets its own search index, built from its database on the first search and
    kept fresh by applying the change log before each search (SEARCH_INLINE); the indexer
    process of a running archive does the same in the background."""
    settings.SEARCH_DIR = tmp_path / "search"
    settings.SEARCH_INLINE = True
    counter_buffer.reset()
    yield settings.SEARCH_DIR
    inline.forget()
    forget_reader()


# How long a test waits for the background indexer: a bound on waiting, not a timing under test
# (bench/search_freshness.py measures the figure). The indexer looks at the log ten times a
# second.
DEADLINE_SECONDS = 10.0


@pytest.fixture
def running_indexer(transactional_db: None, settings: Any) -> Iterator[None]:
    """The real indexer loop in a thread, as `ficarchive serve` runs it in a process, instead
    of applying the log before each search."""
    settings.SEARCH_INLINE = False
    stop = threading.Event()
    thread = threading.Thread(target=run_forever, args=(stop,), daemon=True)
    thread.start()
    yield
    stop.set()
    thread.join(timeout=30)


@pytest.fixture(autouse=True)
def data_dir(settings: Any, tmp_path: Path) -> Path:
    """Each test writes its generated files (downloads) in a folder of its own."""
    settings.DATA_DIR = tmp_path / "data"
    return Path(settings.DATA_DIR)


@pytest.fixture(autouse=True)
def tasks_run_at_once(settings: Any) -> None:
    """Jobs run as they are enqueued, in the test's own transaction, so that a test sees what
    its mail and other jobs did; the queue's own tests (tests/core/tasks/) use the real
    backends and workers instead."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def empty_cache(settings: Any) -> Iterator[None]:
    """Each test starts with an empty cache: hit counts and cached pages must not leak. The
    default cache is the database's (ficarchive.core.cache), which each test's own database
    transaction or flush already empties; a test that sets another cache gets it cleared."""
    database_cache = settings.CACHES["default"]["BACKEND"].endswith("DatabaseCache")
    if not database_cache:
        cache.clear()
    yield
    if not settings.CACHES["default"]["BACKEND"].endswith("DatabaseCache"):
        cache.clear()


LOCAL_CACHE = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


@pytest.fixture
def local_cache(settings: Any) -> Iterator[None]:
    """A cache outside the database, as Redis is in production, for the tests that count the
    database queries a page takes: without it, they would count the cache's queries too."""
    settings.CACHES = LOCAL_CACHE
    cache.clear()
    yield
    cache.clear()


def make_user(username: str, **fields: object) -> User:
    return UserFactory.create(username=username, **fields)


@pytest.fixture
def author(db: None) -> User:
    return make_user("author")


@pytest.fixture
def other_user(db: None) -> User:
    return make_user("reader")


@pytest.fixture
def guest() -> AnonymousUser:
    return AnonymousUser()


@pytest.fixture
def wrangler(db: None) -> User:
    user = make_user("wrangler")
    # A migration makes the group with its permission; a flushed database (transactional
    # tests) may have lost the link, so make sure of it.
    group, _ = Group.objects.get_or_create(name="wranglers")
    group.permissions.add(
        Permission.objects.get(content_type__app_label="tags", codename="wrangle_tag")
    )
    user.groups.add(group)
    return user


@pytest.fixture
def admin(db: None) -> User:
    return make_user("admin", is_staff=True, is_superuser=True)
