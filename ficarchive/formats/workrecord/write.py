"""Writing work records: a WorkRecord out as text in the canonical form of the format."""

from __future__ import annotations

from datetime import date

from ficarchive.formats.workrecord.labels import CHAPTER, HEADER, Label
from ficarchive.formats.workrecord.record import (
    ChapterRecord,
    WorkRecord,
    heading_match,
    normalize_text,
    normalize_value,
)


def write_record(record: WorkRecord) -> str:
    """The record as text: header lines, a blank line, the body, a final newline."""
    lines: list[str] = []
    add = lines.extend

    add(_line(HEADER["title"], record.title))
    if record.work_id is not None:
        add(_line(HEADER["work_id"], str(record.work_id)))
    add(_line(HEADER["creators"], ", ".join(creator.byline for creator in record.creators)))
    if record.rating:
        add(_line(HEADER["rating"], record.rating))
    for name in ("warnings", "categories", "fandoms", "relationships", "characters", "freeforms"):
        add(_list(HEADER[name], getattr(record, name)))
    if record.language:
        add(_line(HEADER["language"], record.language))
    if record.series:
        parts = (f"Part {part.position} of {part.title}" for part in record.series)
        add(_line(HEADER["series"], ", ".join(parts)))
    add(_list(HEADER["collections"], record.collections))
    if record.published:
        add(_line(HEADER["published"], record.published.isoformat()))
    if record.updated:
        # As the largest archive labels it: a finished work was "Completed" on its last update.
        add(_date("Completed" if record.complete else "Updated", record.updated))
    add(_line(HEADER["status"], "Completed" if record.complete else "In Progress"))
    expected = "?" if record.expected_chapters is None else str(record.expected_chapters)
    add(_line(HEADER["chapters"], f"{len(record.chapters)}/{expected}"))
    for name in ("restricted", "anonymous", "draft"):
        if getattr(record, name):
            add(_line(HEADER[name], "Yes"))
    for name in ("summary", "notes", "endnotes"):
        add(_long(HEADER[name], getattr(record, name)))

    body = _body(record.chapters)
    return "\n".join(lines) + "\n\n" + (body + "\n" if body else "")


def _body(chapters: list[ChapterRecord]) -> str:
    if len(chapters) == 1 and not chapters[0].has_preface():
        return _escape(chapters[0].text)
    blocks = []
    for number, chapter in enumerate(chapters, start=1):
        block = [f"Chapter {number}: {chapter.title}" if chapter.title else f"Chapter {number}"]
        for name in ("summary", "notes", "endnotes"):
            block.extend(_long(CHAPTER[name], getattr(chapter, name)))
        if chapter.published:
            block.extend(_date("Published", chapter.published))
        text = _escape(chapter.text)
        blocks.append("\n".join(block) + ("\n\n" + text if text else ""))
    return "\n\n".join(blocks)


def _escape(text: str) -> str:
    """Text lines that would read as chapter headings, or start with a backslash, get one."""
    lines = normalize_text(text).split("\n")
    return "\n".join(
        "\\" + line if line.startswith("\\") or heading_match(line) else line for line in lines
    )


def _line(label: Label, value: str) -> list[str]:
    return [
        f"{label.singular}: {' '.join(value.split())}"
        if "\n" in value
        else f"{label.singular}: {value.strip()}"
    ]


def _list(label: Label, values: list[str]) -> list[str]:
    if not values:
        return []
    spelling = label.plural if label.plural and len(values) > 1 else label.singular
    return [f"{spelling}: {', '.join(values)}"]


def _date(spelling: str, value: date) -> list[str]:
    return [f"{spelling}: {value.isoformat()}"]


def _long(label: Label, value: str) -> list[str]:
    """A value over several lines: the rest indented, an empty line written as ' .'."""
    value = normalize_value(value)
    if not value:
        return []
    first, *rest = value.split("\n")
    lines = [f"{label.singular}: {first}"]
    for line in rest:
        lines.append("  " + (line + "." if set(line) <= {"."} else line))
    return lines
