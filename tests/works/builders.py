"""Works for the reading tests: a richly tagged work, a chaptered one, and seed-shaped records
imported through `ficarchive import`."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

from django.core.management import CommandError, call_command

from ficarchive.accounts.models import Pseud
from ficarchive.tags.models import Tag, TagType
from ficarchive.works.models import Chapter, Work
from tests.factories import TagFactory, WorkFactory, add_chapter, add_tags, fixed_tag
from tests.formats.records import MULTI, SINGLE

# Added to the single-chapter sample so that every header field of the work page has a value.
EXTRA_HEADER = [
    "Archive Warning: No Archive Warnings Apply",
    "Category: Gen",
    "Fandom: Les Misérables - Victor Hugo",
    "Characters: Cosette, Jean Valjean",
    "Series: Part 2 of Advent Candles",
    "Collections: Winter Fluff 2026",
    "Published: 2026-01-05",
    "Updated: 2026-02-01",
    "Summary: A father, a daughter, and two candlesticks.",
    "Notes: Written for a <em>winter</em> exchange.",
    "End Notes: Thank you for reading.",
]
SINGLE_TEXT = "Cosette found the candlesticks on the third Sunday of Advent"
MULTI_TEXT = ("The rain began on Tuesday", "On Wednesday the coffee ran out.")


def import_record(path: Path) -> Work:
    """Import one record file with `ficarchive import` and return its work."""
    errors = StringIO()
    try:
        call_command("import", str(path), stdout=StringIO(), stderr=errors)
    except CommandError as error:
        raise AssertionError(f"{error}: {errors.getvalue()}") from error
    header = path.read_text(encoding="utf-8").split("\n\n", 1)[0]
    work_id = next(line for line in header.splitlines() if line.startswith("Work ID:"))
    return Work.objects.get(pk=int(work_id.split(":")[1]))


def explicit_record(folder: Path) -> Path:
    """The single-chapter seed sample, rated Explicit, with every header field filled in."""
    header, body = SINGLE.read_text(encoding="utf-8").split("\n\n", 1)
    lines = [
        "Rating: Explicit" if line.startswith("Rating:") else line for line in header.splitlines()
    ]
    path = folder / "explicit.txt"
    path.write_text("\n".join(lines + EXTRA_HEADER) + "\n\n" + body, encoding="utf-8")
    return path


def multi_chapter_record(folder: Path, rating: str = "Teen And Up Audiences") -> Path:
    """The two-chapter seed sample, with the rating given."""
    text = MULTI.read_text(encoding="utf-8").replace(
        "Rating: Teen And Up Audiences", f"Rating: {rating}"
    )
    path = folder / "multi.txt"
    path.write_text(text, encoding="utf-8")
    return path


def tagged_work(**fields: object) -> Work:
    """A work with a tag of every type."""
    work = WorkFactory.create(**fields)
    add_tags(
        work,
        fixed_tag("Graphic Depictions Of Violence"),
        fixed_tag("M/M"),
        named_tag("Les Misérables - Victor Hugo", TagType.FANDOM),
        named_tag("Enjolras/Grantaire", TagType.RELATIONSHIP),
        named_tag("Enjolras", TagType.CHARACTER),
        named_tag("Slow Burn", TagType.FREEFORM),
    )
    return work


def named_tag(name: str, type: str = TagType.FREEFORM) -> Tag:
    """The tag with this name, created if need be."""
    return Tag.objects.filter(name=name).first() or TagFactory.create(name=name, type=type)


def chaptered_work(
    chapters: int = 3, creators: list[Pseud] | None = None, **fields: object
) -> Work:
    """A work of several chapters whose texts say `Text of chapter N.`."""
    work = WorkFactory.create(
        text="Text of chapter 1.", expected_chapters=chapters, creators=creators, **fields
    )
    for position in range(2, chapters + 1):
        add_chapter(work, f"Text of chapter {position}.", title=f"Part {position}")
    return work


def chapter(work: Work, position: int) -> Chapter:
    return work.chapters.get(position=position)
