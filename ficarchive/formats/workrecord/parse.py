"""Reading work records: text in, a WorkRecord out, or every problem with its line number."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone

from ficarchive.core.forms import CONTROL_CHARACTERS
from ficarchive.formats.workrecord.errors import Problem, RecordError
from ficarchive.formats.workrecord.labels import CHAPTER_INDEX, HEADER_INDEX, Kind, Label, label_key
from ficarchive.formats.workrecord.record import (
    ChapterRecord,
    WorkRecord,
    heading_match,
    normalize_text,
)
from ficarchive.formats.workrecord.values import Entry, ValueReader, quote

__all__ = ["ParseResult", "Problem", "RecordError", "decode_record", "parse_record"]

# Lines with a control character named before the parser gives up on the file.
MAX_CONTROL_LINES = 10


@dataclass
class ParseResult:
    record: WorkRecord
    warnings: list[Problem] = field(default_factory=list)


def decode_record(data: bytes) -> str:
    """Bytes of a record file as text; UTF-8 only, with the line of the first bad byte."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise RecordError(
            [Problem(line, "the file is not UTF-8 text (save it as UTF-8 and try again)")]
        ) from None


def parse_record(
    text: str, *, skip_unknown_labels: bool = False, today: date | None = None
) -> ParseResult:
    """Parse one record; raises RecordError listing every problem found."""
    return _Parser(text, skip_unknown_labels, today or timezone.localdate()).parse()


def _continuation(line: str) -> str:
    # A line of dots stands for itself less one dot, so that " ." can stand for an empty line.
    content = line.strip()
    if content and set(content) == {"."}:
        return content[1:]
    return content


class _Parser(ValueReader):
    def __init__(self, text: str, skip_unknown_labels: bool, today: date) -> None:
        text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
        self.lines = text.split("\n")
        if self.lines and self.lines[-1] == "":
            self.lines.pop()  # the newline that ends the last line
        super().__init__(today)
        self.skip_unknown_labels = skip_unknown_labels
        self.warnings: list[Problem] = []

    def parse(self) -> ParseResult:
        self._refuse_control_characters()
        if self.problems:
            raise RecordError(self.problems)
        header_end = self._header_end()
        if header_end is None:
            raise RecordError(self.problems)
        entries = self._entries(self.lines[:header_end], first_line=1, index=HEADER_INDEX)
        chapters = self._body(header_end + 1)
        record = self.build(entries, chapters)
        if self.problems:
            raise RecordError(sorted(self.problems, key=lambda p: p.line))
        return ParseResult(record, self.warnings)

    def _refuse_control_characters(self) -> None:
        """A control character (NUL and the like; tabs are text) no database could keep: each
        line with one is named, up to a few."""
        found = 0
        for number, line in enumerate(self.lines, start=1):
            match = CONTROL_CHARACTERS.search(line)
            if match is None:
                continue
            self.error(
                number,
                f"a control character (U+{ord(match[0]):04X}) at column {match.start() + 1}, "
                "which cannot be kept; remove it and import again",
            )
            found += 1
            if found == MAX_CONTROL_LINES:
                return

    # The header ------------------------------------------------------------------------------

    def _header_end(self) -> int | None:
        """Index of the blank line that ends the header, or None after reporting why not."""
        if not any(line.strip() for line in self.lines):
            self.error(1, "the file is empty")
            return None
        if not self.lines[0].strip():
            self.error(
                1,
                "the file starts with a blank line; the header (Title:, Author:, …) "
                "must come first",
            )
            return None
        for index, line in enumerate(self.lines):
            if not line.strip():
                return index
            if line[0] in " \t":
                continue
            if ":" not in line:
                self.error(
                    index + 1,
                    f"expected a 'Label: value' line, found {quote(line)}; "
                    "the header must end with a blank line before the text",
                )
                return None
        self.error(len(self.lines), "the header does not end with a blank line")
        return None

    def _entries(
        self, lines: list[str], *, first_line: int, index: dict[str, Label]
    ) -> dict[str, Entry]:
        entries: dict[str, Entry] = {}
        current: Entry | None = None
        for offset, line in enumerate(lines):
            number = first_line + offset
            if line[0] in " \t":
                if current is None:
                    if offset == 0:
                        self.error(
                            number,
                            "an indented line continues a value, but there is "
                            "no 'Label: value' line before it",
                        )
                    continue
                current.lines.append(_continuation(line))
                continue
            current = None
            spelling, _, value = line.partition(":")
            spelling = spelling.strip()
            label = index.get(label_key(spelling))
            if label is None:
                self._unknown_label(number, spelling, index)
                continue
            if label.kind is Kind.IGNORED:
                self.warnings.append(
                    Problem(number, f"{spelling}: is counted by the archive itself; ignored")
                )
                continue
            if label.field in entries:
                first = entries[label.field]
                self.error(
                    number,
                    f"{spelling}: is given twice (first as {first.spelling}: on line {first.line})",
                )
                continue
            current = Entry(label, spelling, number, [value.strip()])
            entries[label.field] = current
        return entries

    def _unknown_label(self, line: int, spelling: str, index: dict[str, Label]) -> None:
        if len(spelling.split()) > 4:
            # Prose with a colon in it: most likely the blank line after the header is missing.
            self.error(
                line,
                f"expected a 'Label: value' line, found {quote(spelling)}…; the "
                "header must end with a blank line before the text",
            )
            return
        if self.skip_unknown_labels:
            self.warnings.append(Problem(line, f"unknown label {spelling}: skipped"))
            return
        known = {key: label for key, label in index.items() if label.kind is not Kind.IGNORED}
        close = difflib.get_close_matches(label_key(spelling), known, n=1, cutoff=0.6)
        hint = f" (did you mean {known[close[0]].singular}:?)" if close else ""
        self.error(
            line,
            f"unknown label {quote(spelling + ':')}{hint}; see "
            "docs/work-record-format.md for the labels, or import with "
            "--skip-unknown-labels to leave such lines out",
        )

    # The body --------------------------------------------------------------------------------

    def _body(self, start: int) -> list[ChapterRecord]:
        lines = self.lines[start:]
        first = next((k for k, line in enumerate(lines) if line.strip()), None)
        opening = heading_match(lines[first]) if first is not None else None
        if first is None or opening is None or int(opening.group(1)) != 1:
            return [ChapterRecord(text=_text(lines))]
        chapters: list[ChapterRecord] = []
        k = first
        while k < len(lines):
            number = len(chapters) + 1
            heading = heading_match(lines[k])
            assert heading is not None
            chapter = ChapterRecord(title=(heading.group(2) or "").strip())
            k += 1
            preface_start = k
            while k < len(lines) and lines[k].strip():
                line = lines[k]
                label_text = line.partition(":")[0].strip()
                if line[0] not in " \t" and label_key(label_text) not in CHAPTER_INDEX:
                    self.error(
                        start + k + 1,
                        f"after 'Chapter {number}', expected Summary:, "
                        "Notes:, End Notes: or Published: lines, then a blank line "
                        f"before the text; found {quote(line)}",
                    )
                    return [*chapters, chapter]
                k += 1
            entries = self._entries(
                lines[preface_start:k], first_line=start + preface_start + 1, index=CHAPTER_INDEX
            )
            self._chapter_preface(chapter, entries)
            text_start = k
            while k < len(lines):
                found = heading_match(lines[k])
                if found and not lines[k - 1].strip():
                    if int(found.group(1)) == number + 1:
                        break
                    self.error(
                        start + k + 1,
                        f"found {quote(lines[k])} where 'Chapter "
                        f"{number + 1}' was expected; if this line is part of the text, "
                        f"write it as \\{lines[k]}",
                    )
                k += 1
            chapter.text = _text(lines[text_start:k])
            chapters.append(chapter)
        return chapters

    def _chapter_preface(self, chapter: ChapterRecord, entries: dict[str, Entry]) -> None:
        for name, entry in entries.items():
            if name == "published":
                chapter.published = self._date(entry)
            else:
                setattr(chapter, name, entry.text())


def _text(lines: list[str]) -> str:
    text = normalize_text("\n".join(lines))
    return "\n".join(line[1:] if line.startswith("\\") else line for line in text.split("\n"))
