"""The live source: a synthetic archive loaded into a real MariaDB server and imported from it
gives the same archive as the import from the dump of it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from ficarchive.accounts.models import User
from ficarchive.formats.efiction.importer import Options, efiction_import
from ficarchive.formats.efiction.mapping import default_mapping
from ficarchive.formats.efiction.reader import DumpSource, MysqlSource, SourceError
from ficarchive.formats.models import LegacyLink
from ficarchive.social.models import Bookmark, Comment, Subscription
from ficarchive.works.models import Collection, SerialWork, Series, Work
from tests.formats.efiction.archive import small_archive
from tests.formats.efiction.mariadb import MariaDB, mariadb_started
from tests.formats.efiction.test_messy import messy_archive


@pytest.fixture(scope="session")
def mariadb(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MariaDB]:
    yield from mariadb_started(tmp_path_factory.mktemp("mariadb"))


def _snapshot() -> dict[str, Any]:
    """What the archive holds, by eFiction ids (the archive's own ids differ run to run)."""
    links = {
        (kind, old): new
        for kind, old, new in LegacyLink.objects.values_list("kind", "old_id", "new_id")
    }
    works = {}
    for work in Work.objects.prefetch_related("chapters", "taggings__tag", "creatorships__pseud"):
        works[work.title] = (
            work.summary,
            work.notes,
            work.posted,
            work.complete,
            (work.published_on, work.revised_at) if work.dates_known else None,
            work.word_count,
            work.comments_count,
            work.bookmarks_count,
            [(c.title, c.html, c.posted) for c in work.chapters.order_by("position")],
            [t.tag.name for t in work.taggings.order_by("position")],
            [c.pseud.name for c in work.creatorships.order_by("position")],
        )
    return {
        "kinds": sorted({kind for kind, _old in links}),
        "old ids": sorted(links),
        "works": works,
        "comments": sorted(
            Comment.objects.values_list("text", "guest_name", "created_at", "depth")
        ),
        "bookmarks": Bookmark.objects.count(),
        "subscriptions": Subscription.objects.count(),
        "parts": sorted(SerialWork.objects.values_list("series__title", "work__title", "position")),
    }


@pytest.mark.parametrize("make", [small_archive, messy_archive], ids=["small", "messy"])
@pytest.mark.django_db
def test_live_server_gives_the_same_archive_as_its_dump(
    mariadb: MariaDB, tmp_path: Path, make: Any
) -> None:
    archive = make()
    sql = archive.sql()
    mariadb.load("efic_live", sql)
    stories = tmp_path / "stories"
    (stories / "1").mkdir(parents=True)
    (stories / "1" / "10.txt").write_text("From a file.")
    dump = tmp_path / "dump.sql"
    dump.write_text(sql, encoding="utf-8")

    live = MysqlSource(mariadb.url("efic_live"))
    dumped = DumpSource(dump)
    try:
        reports = [
            efiction_import(source, default_mapping(source), Options(stories, dry_run=True))
            for source in (live, dumped)
        ]
        assert [r.lines()[1:] for r in reports] == [reports[1].lines()[1:]] * 2
        assert reports[0].made["works"] > 0
        efiction_import(live, default_mapping(live), Options(stories))
    finally:
        live.close()
    from_live = _snapshot()
    _reset()
    efiction_import(dumped, default_mapping(dumped), Options(stories))
    assert _snapshot() == from_live


def _reset() -> None:
    """An empty archive again (the tags stay: they are found again by name)."""
    for model in (LegacyLink, Work, Series, Collection, User):
        model.objects.all().delete()


@pytest.mark.django_db
def test_command_reads_a_live_server(mariadb: MariaDB, capsys: pytest.CaptureFixture[str]) -> None:
    mariadb.load("efic_cmd", small_archive().sql())
    call_command("import-efiction", "--mysql", mariadb.url("efic_cmd"), "--quiet")
    assert Work.objects.count() == 3
    assert "Made:" in capsys.readouterr().out


def test_unreachable_server_is_a_clear_error() -> None:
    with pytest.raises(SourceError, match="cannot connect"):
        MysqlSource("mysql://root@127.0.0.1:1/none")
