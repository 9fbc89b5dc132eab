"""Limits and counts that hold across web workers: the real `ficarchive serve` with four
workers, on the default configuration (no Redis), SQLite or PostgreSQL as the tests run."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ficarchive.core.checks import check_shared_cache
from ficarchive.core.management.commands.serve import gunicorn_options
from ficarchive.works.models import Work
from tests.factories import UserFactory, WorkFactory
from tests.security.server import Browser, serving

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

TRIES = 20


def test_wrong_passwords_are_limited_across_workers(tmp_path: Path) -> None:
    UserFactory.create(username="victim")
    # A long window, so that the test's few seconds do not cross one (fixed windows: at most
    # two windows' worth could get through, 10 here).
    with serving(tmp_path, ACCOUNT_RATE_LIMIT="5/3600s") as url:
        browser = Browser(url)
        statuses = []
        for attempt in range(TRIES):
            token = browser.csrf_token("/login")
            status, _page = browser.request(
                "/login",
                {"csrfmiddlewaretoken": token, "username": "victim", "password": f"wrong{attempt}"},
            )
            statuses.append(status)
    reached = [status for status in statuses if status != 429]
    assert set(reached) == {200}
    # Counted per worker, each of the four would let five through.
    assert len(reached) <= 10, statuses


def test_hit_counts_count_once_per_visitor_and_never_go_backwards(tmp_path: Path) -> None:
    work = WorkFactory.create(text="Words to read.")
    with serving(tmp_path) as url:
        browser = Browser(url)
        shown = []
        for _ in range(TRIES):
            status, page = browser.request(f"/works/{work.pk}")
            assert status == 200
            found = re.search(r'<dd class="hits">([\d,]+)</dd>', page)
            assert found, "no hit count on the work page"
            shown.append(int(found[1].replace(",", "")))
    assert shown == sorted(shown), shown
    assert Work.objects.get(pk=work.pk).hits == 1
    # A cached page may show the count from before this visit, never one from elsewhere.
    assert set(shown) <= {0, 1}, shown


def test_check_deploy_warns_when_the_cache_is_not_shared(settings: Any) -> None:
    assert check_shared_cache() == []
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    assert [message.id for message in check_shared_cache()] == ["ficarchive.W001"]


def test_the_database_cache_counts_and_refuses_a_missing_or_expired_key() -> None:
    with pytest.raises(ValueError, match="not found"):
        cache.incr("tries")
    cache.add("tries", 1, 60)
    assert cache.incr("tries") == 2
    assert cache.incr("tries", 3) == 5
    assert cache.get("tries") == 5
    cache.set("old", 1, -1)
    with pytest.raises(ValueError, match="not found"):
        cache.incr("old")


def test_the_database_cache_stores_many_entries_in_one_transaction() -> None:
    """A listing's blurbs: one count of the table and one commit for all, not one each."""
    cache.set("blurb:2", "old", 60)
    entries = {f"blurb:{n}": f"<li>{n}</li>" for n in range(20)}
    with CaptureQueriesContext(connection) as queries:
        assert cache.set_many(entries, 60) == []
    counts = [q["sql"] for q in queries.captured_queries if "COUNT(*)" in q["sql"]]
    assert len(counts) == 1
    assert len(queries.captured_queries) <= 6, [q["sql"][:60] for q in queries.captured_queries]
    assert cache.get_many(list(entries)) == entries  # the old entry was replaced
    cache.set_many({"gone:1": 1, "gone:2": 2}, -1)
    assert cache.get_many(["gone:1", "gone:2"]) == {}
    cache.set_many({"forever:1": 1, "forever:2": 2}, None)
    assert cache.get("forever:2") == 2


def test_the_database_cache_culls_when_many_entries_overfill_it(settings: Any) -> None:
    from django.core.cache import caches

    settings.CACHES = {
        "default": {
            **settings.CACHES["default"],
            "OPTIONS": {"MAX_ENTRIES": 10, "CULL_FREQUENCY": 2},
        }
    }
    small = caches.create_connection("default")
    small.set_many({f"a:{n}": n for n in range(12)}, 60)
    small.set_many({f"b:{n}": n for n in range(3)}, 60)
    # Over ten entries: half of them went before the new ones came in.
    kept = small.get_many([f"a:{n}" for n in range(12)])
    assert len(kept) <= 6
    assert small.get_many([f"b:{n}" for n in range(3)]) == {f"b:{n}": n for n in range(3)}


def test_serve_opens_no_control_socket_outside_its_data_folder(tmp_path: Path) -> None:
    home, runtime = tmp_path / "home", tmp_path / "runtime"
    home.mkdir()
    runtime.mkdir()
    with serving(tmp_path / "data", workers=1, HOME=str(home), XDG_RUNTIME_DIR=str(runtime)):
        pass
    assert [path.name for path in [*home.rglob("*"), *runtime.rglob("*")]] == []


def test_the_control_socket_when_asked_for_is_in_the_data_folder(settings: Any) -> None:
    options = {"bind": "127.0.0.1:0", "workers": 1, "threads": 1, "timeout": 30}
    assert gunicorn_options(options)["control_socket_disable"] is True
    opened = gunicorn_options({**options, "control_socket": True})
    assert opened["control_socket"] == str(Path(settings.DATA_DIR) / "gunicorn.ctl")
