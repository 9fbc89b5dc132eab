"""The run: a dry run writes nothing, a second run changes nothing, a killed run continues
where it stopped, a malformed dump imports nothing; through the command as archivists run it."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from ficarchive.accounts.models import Pseud, User
from ficarchive.formats.efiction.importer import Options, efiction_import
from ficarchive.formats.efiction.mapping import default_mapping
from ficarchive.formats.efiction.reader import DumpSource
from ficarchive.formats.models import LegacyLink
from ficarchive.social.models import Bookmark, Comment, Subscription
from ficarchive.tags.models import Tag
from ficarchive.works.models import Chapter, Collection, SerialWork, Series, Work
from tests.formats.efiction.archive import Archive, small_archive
from tests.formats.efiction.conftest import dump_of, run_import

MODELS = (
    User,
    Pseud,
    Work,
    Chapter,
    Tag,
    Comment,
    Bookmark,
    Subscription,
    Series,
    SerialWork,
    Collection,
    LegacyLink,
)


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


@pytest.mark.django_db
def test_dry_run_reports_everything_and_writes_nothing(tmp_path: Path) -> None:
    before = counts()
    report = run_import(small_archive(), tmp_path, dry_run=True)
    assert counts() == before
    assert report.made["works"] == 3 and report.made["users"] == 3
    assert report.lines()[0].endswith("(dry run: nothing written)")


@pytest.mark.django_db
def test_second_run_changes_nothing(tmp_path: Path) -> None:
    run_import(small_archive(), tmp_path)
    after_first = counts()
    works = list(Work.objects.values_list("pk", "title", "revised_at", "comments_count"))
    report = run_import(small_archive(), tmp_path)
    assert counts() == after_first
    assert list(Work.objects.values_list("pk", "title", "revised_at", "comments_count")) == works
    assert sum(report.made.values()) == 0
    assert report.already["stories"] == 3 and report.already["authors"] == 3
    assert report.already["reviews"] == 2 and report.already["favorites"] == 3


class Killed(Exception):
    pass


@pytest.mark.django_db
def test_killed_half_way_it_continues_without_duplicates(tmp_path: Path) -> None:
    source = DumpSource(dump_of(small_archive(), tmp_path))

    def progress(table: str, total: int):  # type: ignore[no-untyped-def]
        seen = [0]

        def tick() -> None:
            seen[0] += 1
            if table == "stories" and seen[0] == 3:
                raise Killed

        return tick

    with pytest.raises(Killed):
        efiction_import(source, default_mapping(source), Options(batch_size=1), progress)
    assert Work.objects.count() == 2 and User.objects.count() == 3
    report = efiction_import(source, default_mapping(source), Options(batch_size=1))
    assert report.already["stories"] == 2 and report.made["works"] == 1
    assert report.already["authors"] == 3 and report.made["users"] == 0
    assert sorted(Work.objects.values_list("title", flat=True)) == [
        "Harbour Song",
        "The Long Watch",
        "Unfinished Draft",
    ]
    assert (Chapter.objects.count(), Comment.objects.count(), Bookmark.objects.count()) == (4, 3, 2)
    assert Series.objects.count() == 1 and SerialWork.objects.count() == 2


@pytest.mark.django_db
def test_malformed_dump_imports_nothing(tmp_path: Path) -> None:
    path = dump_of(small_archive(), tmp_path)
    text = path.read_text()
    broken = text.replace("(20,'One'", "(20,'One',,", 1)
    assert broken != text
    path.write_text(broken)
    before = counts()
    with pytest.raises(CommandError, match=rf"^{path}:\d+: INSERT into fanfiction_chapters"):
        call_command("import-efiction", "--dump", str(path), "--quiet")
    assert counts() == before


@pytest.mark.django_db
def test_command_writes_the_mapping_and_prints_the_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = dump_of(small_archive(), tmp_path)
    mapping = tmp_path / "mapping.json"
    call_command(
        "import-efiction",
        "--dump",
        str(path),
        "--write-mapping",
        str(mapping),
        "--dry-run",
        "--quiet",
    )
    out = capsys.readouterr().out
    assert "(dry run: nothing written)" in out and "works: 3" in out
    assert '"fandom": "Starfall Saga"' in mapping.read_text()
    assert Work.objects.count() == 0


@pytest.mark.django_db
def test_command_refuses_a_wrong_prefix(tmp_path: Path) -> None:
    path = dump_of(small_archive(), tmp_path)
    with pytest.raises(CommandError, match="is --prefix right"):
        call_command("import-efiction", "--dump", str(path), "--prefix", "efic_", "--quiet")


@pytest.mark.django_db
def test_dates_are_read_in_the_old_servers_time_zone(tmp_path: Path) -> None:
    path = dump_of(small_archive(), tmp_path)
    call_command(
        "import-efiction", "--dump", str(path), "--time-zone", "America/New_York", "--quiet"
    )
    work = Work.objects.get(title="The Long Watch")
    # 2009-06-01 12:00 in New York (daylight time) is 16:00 UTC.
    assert work.revised_at == datetime(2009, 6, 1, 16, 0, tzinfo=UTC)
    review = Comment.objects.get(text="Loved the second chapter!")
    assert review.created_at == datetime(2009, 7, 1, 12, 0, tzinfo=UTC)


@pytest.mark.django_db
def test_an_unknown_time_zone_is_refused(tmp_path: Path) -> None:
    path = dump_of(small_archive(), tmp_path)
    with pytest.raises(CommandError, match="no such time zone"):
        call_command("import-efiction", "--dump", str(path), "--time-zone", "Mars/Base")


@pytest.mark.django_db
def test_a_latin1_dump_is_read_and_said_so(tmp_path: Path) -> None:
    archive = Archive()
    archive.add("authors", uid=1, penname="Zoë", email="zoe@example.org", password="x")
    path = tmp_path / "latin1.sql"
    path.write_bytes(archive.sql().encode("latin1"))
    source = DumpSource(path)
    report = efiction_import(source, default_mapping(source), Options(dry_run=True))
    assert "the dump is not UTF-8: it was read as Windows-1252 (latin1)" in report.notes
    assert "member 1 'Zoë' logs in as 'Zoe'" in report.notes
