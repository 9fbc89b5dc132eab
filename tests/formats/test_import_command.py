"""`ficarchive import`: files and folders in, each file whole or not at all."""

from __future__ import annotations

import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from ficarchive.accounts.models import Pseud, User
from ficarchive.tags.models import Tag, Tagging, TagType
from ficarchive.works.models import Chapter, Language, Work
from tests.formats.records import MINIMAL, MULTI, SINGLE

pytestmark = pytest.mark.django_db


def run_import(*paths: Path, **options: object) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("import", *[str(p) for p in paths], stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


def export(work_id: int) -> str:
    out = StringIO()
    call_command("export", work=work_id, stdout=out)
    return out.getvalue()


def row_counts() -> dict[str, int]:
    models = (Work, Chapter, Tagging, Tag, User, Pseud, Language)
    return {model.__name__: model.objects.count() for model in models}


@pytest.mark.parametrize("sample", [SINGLE, MULTI], ids=lambda path: path.name)
def test_samples_round_trip_byte_for_byte(sample: Path) -> None:
    run_import(sample)
    work_id = int(sample.read_text(encoding="utf-8").split("Work ID: ")[1].split("\n")[0])
    assert export(work_id).encode("utf-8") == sample.read_bytes()


def test_import_creates_creators_pseuds_tags_and_the_language(tmp_path: Path) -> None:
    run_import(MULTI)
    work = Work.objects.get(pk=1000002)
    assert [p.byline for p in work.creators.order_by("creatorships__position")] == [
        "Nightjar (nightjar)",
        "Quill and Ink (inkwell)",
    ]
    inkwell = User.objects.get(username="inkwell")
    assert set(inkwell.pseuds.values_list("name", "is_default")) == {
        ("inkwell", True),
        ("Quill and Ink", False),
    }
    assert Tag.objects.get(name="Les Misérables - Victor Hugo").type == TagType.FANDOM
    assert work.language.code == "en"
    assert (work.chapter_count, work.expected_chapters, work.complete) == (2, None, False)
    assert work.word_count == sum(work.chapters.values_list("word_count", flat=True)) > 100
    assert str(work.published_on) == "2026-06-05"
    assert work.series.get().title == "The June Days"
    assert work.collections.get().title == "Les Mis Summer Exchange 2026"


def test_importing_the_same_record_again_updates_the_work(tmp_path: Path) -> None:
    run_import(SINGLE)
    Work.objects.filter(pk=1000001).update(hits=17)
    changed = tmp_path / "changed.txt"
    changed.write_text(
        SINGLE.read_text(encoding="utf-8").replace("Weight of Candlesticks", "Weight of Snow"),
        encoding="utf-8",
    )
    out, _err = run_import(changed)
    assert "0 new works, 1 updated" in out
    work = Work.objects.get(pk=1000001)
    assert work.title == "The Weight of Snow"
    assert work.hits == 17
    assert Work.objects.count() == 1 and work.chapters.count() == 1


def test_folders_are_read_recursively_and_bad_files_fail_alone(tmp_path: Path) -> None:
    (tmp_path / "a" / "b").mkdir(parents=True)
    shutil.copy(SINGLE, tmp_path / "a" / "single.txt")
    shutil.copy(MULTI, tmp_path / "a" / "b" / "multi.txt")
    (tmp_path / "a" / "b" / "notes.md").write_text("not a record", encoding="utf-8")
    bad = tmp_path / "a" / "bad.txt"
    bad.write_text(MINIMAL.replace("Chapters: 1/1", "Chapters: one"), encoding="utf-8")
    with pytest.raises(CommandError, match="1 of 3 files were not imported"):
        run_import(tmp_path)
    assert set(Work.objects.values_list("pk", flat=True)) == {1000001, 1000002}


@pytest.mark.parametrize(
    ("broken", "line", "fragment"),
    [
        (MINIMAL.replace("Title: A Small Work\n", ""), 1, "Title: is missing"),
        (MINIMAL.replace("Chapters: 1/1", "Chapters: 1/x"), 7, "Chapters:"),
        (MINIMAL.replace("1/1\n\n", "1/1\n"), 8, "blank line"),
    ],
    ids=["missing title", "bad chapters", "no blank line after header"],
)
def test_malformed_file_names_its_line_and_leaves_nothing_behind(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], broken: str, line: int, fragment: str
) -> None:
    before = row_counts()
    path = tmp_path / "broken.txt"
    path.write_text(broken, encoding="utf-8")
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError):
        call_command("import", str(path), stdout=out, stderr=err)
    first = err.getvalue().splitlines()[0]
    assert first.startswith(f"{path}:{line}: ") and fragment in first
    assert row_counts() == before


def test_a_record_that_fails_in_the_database_leaves_nothing_behind(tmp_path: Path) -> None:
    # The freeform "Gen - Freeform" would be needed for "Gen", but it exists as a fandom.
    Tag.objects.create(name="Gen - Freeform", type=TagType.FANDOM)
    before = row_counts()
    path = tmp_path / "clash.txt"
    path.write_text(
        MINIMAL.replace("Language:", "Additional Tags: brand new tag, Gen\nLanguage:").replace(
            "smallwriter", "newcomer"
        ),
        encoding="utf-8",
    )
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import", str(path), stdout=StringIO(), stderr=err)
    assert "already exists as a Fandom" in err.getvalue()
    assert row_counts() == before
    assert not Tag.objects.filter(name="brand new tag").exists()
    assert not User.objects.filter(username="newcomer").exists()


def test_tag_names_taken_by_another_type_get_the_type_suffix(tmp_path: Path) -> None:
    path = tmp_path / "clash.txt"
    path.write_text(
        MINIMAL.replace("Language:", "Fandom: Dragons\nAdditional Tags: Dragons, Gen\nLanguage:"),
        encoding="utf-8",
    )
    run_import(path)
    names = (
        Work.objects.get(pk=42).tags.filter(type=TagType.FREEFORM).values_list("name", flat=True)
    )
    assert sorted(names) == ["Dragons - Freeform", "Gen - Freeform"]


def test_unknown_labels_fail_unless_skipped(tmp_path: Path) -> None:
    path = tmp_path / "mood.txt"
    path.write_text(MINIMAL.replace("Language:", "Mood: cheerful\nLanguage:"), encoding="utf-8")
    with pytest.raises(CommandError):
        run_import(path)
    assert not Work.objects.exists()
    _out, err = run_import(path, skip_unknown_labels=True)
    assert f"{path}:5: unknown label Mood: skipped (warning)" in err
    assert Work.objects.filter(pk=42).exists()


def test_records_without_work_id_or_fandom_get_a_new_id(tmp_path: Path) -> None:
    path = tmp_path / "new.txt"
    path.write_text(MINIMAL.replace("Work ID: 42\n", ""), encoding="utf-8")
    run_import(path)
    work = Work.objects.get()
    assert not work.tags.filter(type=TagType.FANDOM).exists()
    assert f"Work ID: {work.pk}\n" in export(work.pk)


def test_new_works_after_an_import_do_not_collide_with_imported_ids() -> None:
    run_import(MULTI)
    posted = Work.objects.create(title="Posted later", language=Language.objects.get(code="en"))
    assert posted.pk > 1000002


def test_languages_are_found_by_name_or_code_and_created_when_unknown(tmp_path: Path) -> None:
    for number, language in enumerate(["Русский", "fr", "Elvish Sindarin"], start=1):
        path = tmp_path / f"{number}.txt"
        path.write_text(
            MINIMAL.replace("Work ID: 42", f"Work ID: {number}").replace("English", language),
            encoding="utf-8",
        )
    run_import(tmp_path)
    codes = dict(Work.objects.values_list("pk", "language__code"))
    assert codes == {1: "ru", 2: "fr", 3: "x-elvishsi"}
    assert Language.objects.get(code="ru").name == "Русский"


def test_missing_path_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="no such file"):
        run_import(tmp_path / "nope")


def test_export_all_writes_one_file_per_work(tmp_path: Path) -> None:
    run_import(SINGLE, MULTI)
    out = StringIO()
    call_command("export", all=str(tmp_path / "out"), stdout=out)
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["1000001.txt", "1000002.txt"]
    assert (tmp_path / "out" / "1000002.txt").read_bytes() == MULTI.read_bytes()


def test_export_of_a_missing_work_is_an_error() -> None:
    with pytest.raises(CommandError, match="no work 5"):
        export(5)


def test_the_same_name_under_two_types_in_one_record_gets_the_suffix(tmp_path: Path) -> None:
    path = tmp_path / "same.txt"
    path.write_text(
        MINIMAL.replace("Language:", "Characters: Moth\nAdditional Tags: moth\nLanguage:"),
        encoding="utf-8",
    )
    run_import(path)
    tags = Work.objects.get(pk=42).tags.order_by("taggings__position")
    assert [(tag.name, tag.type) for tag in tags][1:] == [
        ("Moth", TagType.CHARACTER),
        ("moth - Freeform", TagType.FREEFORM),
    ]


def test_the_summary_counts_in_the_singular_and_plural(tmp_path: Path) -> None:
    out, _err = run_import(SINGLE)
    assert "Imported 1 of 1 file: 1 new work, 0 updated, 0 failed." in out
    folder = tmp_path / "two"
    folder.mkdir()
    shutil.copy(SINGLE, folder / "a.txt")
    shutil.copy(MULTI, folder / "b.txt")
    out, _err = run_import(folder)
    assert "Imported 2 of 2 files: 1 new work, 1 updated, 0 failed." in out


def test_a_folder_without_record_files_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "notes.md").write_text("Not a record.", encoding="utf-8")
    with pytest.raises(CommandError, match="no record files"):
        run_import(tmp_path)
    assert Work.objects.count() == 0


def _chapter_ids(work_id: int) -> list[int]:
    return list(
        Chapter.objects.filter(work_id=work_id).order_by("position").values_list("pk", flat=True)
    )


def test_re_importing_a_record_keeps_its_chapter_ids(tmp_path: Path) -> None:
    run_import(MULTI)
    before = _chapter_ids(1000002)
    assert len(before) == 2
    exported = tmp_path / "exported.txt"
    exported.write_text(export(1000002), encoding="utf-8")
    run_import(exported)
    assert _chapter_ids(1000002) == before
    # A changed chapter keeps its id by its position.
    changed = tmp_path / "changed.txt"
    changed.write_text(
        MULTI.read_text(encoding="utf-8").replace("Chapter 2: Wednesday", "Chapter 2: Thursday"),
        encoding="utf-8",
    )
    run_import(changed)
    assert _chapter_ids(1000002) == before
    assert Chapter.objects.get(pk=before[1]).title == "Thursday"


def test_a_chapter_a_re_import_removed_leads_to_the_work(tmp_path: Path) -> None:
    run_import(MULTI)
    first, second = _chapter_ids(1000002)
    text = MULTI.read_text(encoding="utf-8").replace("Chapters: 2/?", "Chapters: 1/?")
    one_chapter = tmp_path / "one.txt"
    one_chapter.write_text(
        text[: text.index("Chapter 2: Wednesday")].rstrip("\n") + "\n", encoding="utf-8"
    )
    _out, err = run_import(one_chapter)
    assert err == ""
    assert _chapter_ids(1000002) == [first]
    response = Client().get(f"/works/1000002/chapters/{second}")
    assert response.status_code == 302
    assert response["Location"] == "/works/1000002"
