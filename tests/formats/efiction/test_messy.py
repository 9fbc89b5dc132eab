"""Real archives are messy: id lists with blanks, stale ids and names; zero dates; text
double-encoded in latin1; chapters in files, some missing; orphaned rows. Each is imported as
well as it can be, and reported."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from ficarchive.formats.efiction.importer import Options, efiction_import
from ficarchive.formats.efiction.mapping import default_mapping
from ficarchive.formats.efiction.reader import DumpSource
from ficarchive.formats.efiction.report import Report
from ficarchive.formats.models import LegacyKind, LegacyLink
from ficarchive.tags.models import TagType
from ficarchive.works.models import Work
from tests.formats.efiction.archive import Archive, md5
from tests.formats.efiction.conftest import dump_of, kept_for_module
from tests.formats.efiction.helpers import tag_names, work_of

MOJIBAKE = "Café del Mar — “quoted”".encode().decode("latin1")


def messy_archive() -> Archive:
    a = Archive()
    a.add("settings", store="files", language="en")
    a.add("authors", uid=1, penname="Nightjar", email="n@example.org", password=md5("pw"))
    a.add("authors", uid=2, penname="Second", email="s@example.org", password=md5("pw"))
    a.add("categories", catid=1, parentcatid=-1, category="Starfall Saga")
    a.add("categories", catid=2, parentcatid=-1, category="Harbour Lights")
    a.add("characters", charid=1, catid=1, charname="Captain Mira")
    a.add("characters", charid=2, catid=2, charname="Lamplighter")
    a.add("ratings", rid=1, rating="PG")
    a.add("classtypes", classtype_id=1, classtype_name="genres", classtype_title="Genres")
    a.add("classes", class_id=1, class_type=1, class_name="Angst")
    # Blanks, a stale id, names in place of ids, a repeated id, a co-author that never existed.
    a.add(
        "stories",
        sid=1,
        title=MOJIBAKE,
        summary=MOJIBAKE,
        catid=" 1,, Harbour Lights ,99",
        charid="1, ,Lamplighter,42,1",
        classes=",1,,77,",
        rid="1",
        uid=1,
        coauthors="2, ,55",
        date="0000-00-00 00:00:00",
        updated="0000-00-00 00:00:00",
        validated=1,
        completed=0,
    )
    a.add("chapters", chapid=10, sid=1, uid=1, inorder=1, title="Found", validated=1)
    a.add("chapters", chapid=11, sid=1, uid=1, inorder=2, title="Lost", validated=1)
    a.add("chapters", chapid=12, sid=1, uid=1, inorder=3, title="Unvalidated", validated=0)
    # Orphans: a story by no member, a chapter of no story, a story without chapters.
    a.add("stories", sid=2, title="Orphan", catid="1", rid="1", uid=9, validated=1)
    a.add("chapters", chapid=20, sid=2, uid=9, inorder=1, validated=1)
    a.add("chapters", chapid=90, sid=77, uid=1, inorder=1, validated=1)
    a.add("stories", sid=3, title="Empty", catid="1", rid="1", uid=1, validated=1)
    a.add("reviews", reviewid=1, item=2, chapid=20, reviewer="x", review="On an orphan.")
    a.add("reviews", reviewid=2, item=1, chapid=10, reviewer="Rater", review="", rating=5)
    a.add("favorites", uid=8, item=1, type="ST")
    a.add("favorites", uid=2, item=1, type="XX")
    a.add("favorites", uid=2, item=1, type="AU")
    return a


@pytest.fixture(scope="module")
def messy_report(
    django_db_setup: None, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Report]:
    tmp = tmp_path_factory.mktemp("messy")
    stories = tmp / "stories"
    (stories / "1").mkdir(parents=True)
    (stories / "1" / "10.txt").write_bytes("Plain text from a file.\n\nCafé.".encode("latin1"))
    (stories / "1" / "12.txt").write_text("<p>Draft chapter.</p>")
    with kept_for_module(django_db_blocker):
        source = DumpSource(dump_of(messy_archive(), tmp))
        yield efiction_import(source, default_mapping(source), Options(stories_dir=stories))


@pytest.fixture
def report(messy_report: Report, db: None) -> Report:
    return messy_report


def test_id_lists_with_blanks_stale_ids_and_names(report: Report) -> None:
    work = work_of(1)
    assert tag_names(work, TagType.FANDOM) == ["Starfall Saga", "Harbour Lights"]
    assert tag_names(work, TagType.CHARACTER) == ["Captain Mira", "Lamplighter"]
    assert tag_names(work, TagType.FREEFORM) == ["Angst"]
    for line in [
        "stories 1: category '99' unknown (left out)",
        "stories 1: character '42' unknown (left out)",
        "stories 1: class '77' unknown (left out)",
        "stories 1: author 55 is not a member (left out)",
    ]:
        assert line in report.skipped
    assert [p.name for p in work.creator_pseuds()] == ["Nightjar", "Second"]


def test_zero_dates_are_unknown_dates(report: Report) -> None:
    assert not work_of(1).dates_known
    assert "story 1: no date; dated the day of the import" in report.notes


def test_double_encoded_text_is_repaired_and_reported(report: Report) -> None:
    work = work_of(1)
    assert work.title == work.summary == "Café del Mar — “quoted”"
    assert any(line.startswith("stories 1 title: ") for line in report.repaired)


def test_chapters_come_from_files_and_missing_files_are_reported(report: Report) -> None:
    found, lost, draft = work_of(1).chapters.order_by("position")
    assert found.html == "<p>Plain text from a file.</p>\n<p>Café.</p>"
    assert lost.text == ""
    assert any(line.startswith("chapters 11: the file ") for line in report.skipped)
    assert "chapters 10 file: 'latin1' -> 'utf-8'" in report.repaired
    assert not draft.posted and found.posted


def test_orphaned_rows_are_reported_not_imported(report: Report) -> None:
    assert "stories 2: no author that is a member: story not imported" in report.skipped
    assert "stories 3: no chapters: story not imported" in report.skipped
    assert "chapters 90: story 77 does not exist" in report.skipped
    assert "reviews 1: story 2 was not imported" in report.skipped
    assert "reviews 2: no text (a rating alone)" in report.skipped
    assert "favorites 8:ST:1: member 8 was not imported" in report.skipped
    assert "favorites 2:XX:1: unknown favourite type 'XX'" in report.skipped
    assert Work.objects.count() == 1
    assert not LegacyLink.objects.filter(kind=LegacyKind.STORY, old_id="2").exists()
