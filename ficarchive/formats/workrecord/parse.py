"""Reading work records: text in, a WorkRecord out, or every problem with its line number."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone

from ficarchive.accounts.models import LOGIN_MAX, LOGIN_MIN, PSEUD_MAX
from ficarchive.formats.workrecord.labels import (
    CHAPTER_INDEX,
    HEADER_INDEX,
    Kind,
    Label,
    label_key,
)
from ficarchive.formats.workrecord.record import (
    ChapterRecord,
    CreatorName,
    SeriesPart,
    WorkRecord,
    collapse_spaces,
    heading_match,
    normalize_text,
    normalize_value,
)
from ficarchive.tags.fixed import ARCHIVE_WARNINGS, CATEGORIES, RATINGS, WARNING_SYNONYMS
from ficarchive.tags.names import clean_tag_name, tag_name_error
from ficarchive.works.models import TITLE_MAX

LANGUAGE_MAX = 100
MAX_WORK_ID = 2**63 - 1

_LOGIN = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9_]*[A-Za-z0-9])?$")
_PSEUD = re.compile(r"^(?=.*\w)[\w \-]+$")
_BYLINE = re.compile(r"^(.*\S)\s*\(\s*([^()]*?)\s*\)$")
_CHAPTERS = re.compile(r"^([0-9]+)\s*/\s*([0-9]+|\?)$")
_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_SERIES_SPLIT = re.compile(r",\s*(?=Part\s+[0-9]+\s+of\s)", re.IGNORECASE)
_SERIES_PART = re.compile(r"^Part\s+([0-9]+)\s+of\s+(.+)$", re.IGNORECASE)
_STATUS = {
    "completed": True,
    "complete": True,
    "in progress": False,
    "work in progress": False,
    "wip": False,
    "incomplete": False,
}
_FLAGS = {"yes": True, "true": True, "no": False, "false": False}


@dataclass(frozen=True)
class Problem:
    """Something wrong (or, as a warning, skipped) at a line of a record."""

    line: int
    message: str

    def format(self, source: str) -> str:
        return f"{source}:{self.line}: {self.message}"


class RecordError(Exception):
    """A record that cannot be imported; `problems` says where and why."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(f"line {p.line}: {p.message}" for p in problems))
        self.problems = problems


@dataclass
class ParseResult:
    record: WorkRecord
    warnings: list[Problem] = field(default_factory=list)


@dataclass
class _Entry:
    """A `Label: value` line with its continuation lines."""

    label: Label
    spelling: str
    line: int
    lines: list[str]

    def text(self) -> str:
        if self.label.kind is Kind.LONG_TEXT:
            return normalize_value("\n".join(self.lines))
        return " ".join(part.strip() for part in self.lines).strip()


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


class _Parser:
    def __init__(self, text: str, skip_unknown_labels: bool, today: date) -> None:
        text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
        self.lines = text.split("\n")
        if self.lines and self.lines[-1] == "":
            self.lines.pop()  # the newline that ends the last line
        self.skip_unknown_labels = skip_unknown_labels
        self.today = today
        self.problems: list[Problem] = []
        self.warnings: list[Problem] = []

    def error(self, line: int, message: str) -> None:
        self.problems.append(Problem(line, message))

    def parse(self) -> ParseResult:
        header_end = self._header_end()
        if header_end is None:
            raise RecordError(self.problems)
        entries = self._entries(self.lines[:header_end], first_line=1, index=HEADER_INDEX)
        chapters = self._body(header_end + 1)
        record = self._build(entries, chapters)
        if self.problems:
            raise RecordError(sorted(self.problems, key=lambda p: p.line))
        return ParseResult(record, self.warnings)

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
                    f"expected a 'Label: value' line, found {_quote(line)}; "
                    "the header must end with a blank line before the text",
                )
                return None
        self.error(len(self.lines), "the header does not end with a blank line")
        return None

    def _entries(
        self, lines: list[str], *, first_line: int, index: dict[str, Label]
    ) -> dict[str, _Entry]:
        entries: dict[str, _Entry] = {}
        current: _Entry | None = None
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
            current = _Entry(label, spelling, number, [value.strip()])
            entries[label.field] = current
        return entries

    def _unknown_label(self, line: int, spelling: str, index: dict[str, Label]) -> None:
        if len(spelling.split()) > 4:
            # Prose with a colon in it: most likely the blank line after the header is missing.
            self.error(
                line,
                f"expected a 'Label: value' line, found {_quote(spelling)}…; the "
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
            f"unknown label {_quote(spelling + ':')}{hint}; see "
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
                        f"before the text; found {_quote(line)}",
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
                        f"found {_quote(lines[k])} where 'Chapter "
                        f"{number + 1}' was expected; if this line is part of the text, "
                        f"write it as \\{lines[k]}",
                    )
                k += 1
            chapter.text = _text(lines[text_start:k])
            chapters.append(chapter)
        return chapters

    def _chapter_preface(self, chapter: ChapterRecord, entries: dict[str, _Entry]) -> None:
        for name, entry in entries.items():
            if name == "published":
                chapter.published = self._date(entry)
            else:
                setattr(chapter, name, entry.text())

    # Values ----------------------------------------------------------------------------------

    def _build(self, entries: dict[str, _Entry], chapters: list[ChapterRecord]) -> WorkRecord:
        get = entries.get
        record = WorkRecord(
            title=self._title(get("title")),
            creators=self._creators(get("creators")),
            chapters=chapters or [ChapterRecord()],
        )
        if entry := get("work_id"):
            record.work_id = self._work_id(entry)
        if entry := get("rating"):
            record.rating = self._rating(entry)
        if entry := get("warnings"):
            record.warnings = self._fixed(entry, ARCHIVE_WARNINGS, WARNING_SYNONYMS)
        if entry := get("categories"):
            record.categories = self._fixed(entry, CATEGORIES, {})
        for name in ("fandoms", "relationships", "characters", "freeforms"):
            if entry := get(name):
                setattr(record, name, self._tags(entry))
        if entry := get("language"):
            record.language = self._language(entry)
        if entry := get("series"):
            record.series = self._series(entry)
        if entry := get("collections"):
            record.collections = self._collections(entry)
        for name in ("restricted", "anonymous", "draft"):
            if entry := get(name):
                setattr(record, name, self._flag(entry))
        for name in ("summary", "notes", "endnotes"):
            if entry := get(name):
                setattr(record, name, entry.text())
        self._dates(record, get("published"), get("updated"))
        record.expected_chapters = self._expected_chapters(
            len(record.chapters), get("status"), get("chapters")
        )
        return record

    def _title(self, entry: _Entry | None) -> str:
        if entry is None:
            self.error(1, "Title: is missing")
            return ""
        title = entry.text()
        if not title:
            self.error(entry.line, "Title: is empty")
        elif len(title) > TITLE_MAX:
            self.error(entry.line, f"Title: is {len(title)} characters long; at most {TITLE_MAX}")
        return title

    def _work_id(self, entry: _Entry) -> int | None:
        value = entry.text()
        if not value.isascii() or not value.isdigit() or not 0 < int(value) <= MAX_WORK_ID:
            self.error(entry.line, f"Work ID: must be a whole number above 0, not {_quote(value)}")
            return None
        return int(value)

    def _creators(self, entry: _Entry | None) -> list[CreatorName]:
        if entry is None:
            self.error(1, "Author: is missing (write Author: login or Author: Pseud (login))")
            return []
        creators: list[CreatorName] = []
        seen: set[tuple[str, str]] = set()
        for item in _split(entry.text()):
            creator = self._creator(entry.line, item)
            if creator is None:
                continue
            key = (creator.pseud.casefold(), creator.login.casefold())
            if key not in seen:
                seen.add(key)
                creators.append(creator)
        if not creators and not any(p.line == entry.line for p in self.problems):
            self.error(entry.line, "Author: names no creator")
        return creators

    def _creator(self, line: int, item: str) -> CreatorName | None:
        byline = _BYLINE.match(item)
        pseud, login = (byline.group(1), byline.group(2)) if byline else (item, item)
        pseud = collapse_spaces(pseud)
        if not (LOGIN_MIN <= len(login) <= LOGIN_MAX and _LOGIN.match(login)):
            self.error(
                line,
                f"{_quote(login)} is not a valid login: {LOGIN_MIN} to {LOGIN_MAX} "
                "letters, digits or underscores, starting and ending with a letter or "
                "digit (write Pseud (login) for a pseud with other characters)",
            )
            return None
        if not (len(pseud) <= PSEUD_MAX and _PSEUD.match(pseud)):
            self.error(
                line,
                f"{_quote(pseud)} is not a valid pseud: at most {PSEUD_MAX} letters, "
                "digits, spaces, underscores or hyphens",
            )
            return None
        return CreatorName(pseud=pseud, login=login)

    def _rating(self, entry: _Entry) -> str | None:
        values = _split(entry.text())
        if len(values) != 1:
            self.error(entry.line, "Rating: takes exactly one rating")
            return None
        names = {name.casefold(): name for name, _adult in RATINGS}
        rating = names.get(collapse_spaces(values[0]).casefold())
        if rating is None:
            self.error(
                entry.line,
                f"unknown rating {_quote(values[0])}; one of: "
                + ", ".join(name for name, _adult in RATINGS),
            )
        return rating

    def _fixed(
        self, entry: _Entry, allowed: tuple[str, ...], synonyms: dict[str, str]
    ) -> list[str]:
        names = {name.casefold(): name for name in allowed}
        names.update({alias.casefold(): name for alias, name in synonyms.items()})
        found: list[str] = []
        for value in _split(entry.text()):
            name = names.get(collapse_spaces(value).casefold())
            if name is None:
                self.error(
                    entry.line,
                    f"unknown {entry.label.singular.lower()} {_quote(value)}; "
                    "one of: " + ", ".join(allowed),
                )
            elif name not in found:
                found.append(name)
        return found

    def _tags(self, entry: _Entry) -> list[str]:
        tags: list[str] = []
        seen: set[str] = set()
        for value in _split(entry.text()):
            name = clean_tag_name(value)
            problem = tag_name_error(name)
            if problem:
                self.error(entry.line, f"{entry.spelling}: {problem}")
            elif name.casefold() not in seen:
                seen.add(name.casefold())
                tags.append(name)
        return tags

    def _language(self, entry: _Entry) -> str | None:
        language = collapse_spaces(entry.text())
        if not language or len(language) > LANGUAGE_MAX:
            self.error(
                entry.line,
                f"Language: must be a language name or code of 1 to {LANGUAGE_MAX} characters",
            )
            return None
        return language

    def _series(self, entry: _Entry) -> list[SeriesPart]:
        parts: list[SeriesPart] = []
        for item in _SERIES_SPLIT.split(entry.text()):
            part = _SERIES_PART.match(item.strip())
            title = collapse_spaces(part.group(2)) if part else ""
            if not part or not 0 < int(part.group(1)) <= 2**31 - 1 or len(title) > TITLE_MAX:
                self.error(
                    entry.line,
                    f"Series: expected 'Part N of Series Title', found {_quote(item.strip())}",
                )
                continue
            if any(title.casefold() == other.title.casefold() for other in parts):
                self.error(entry.line, f"Series: names {_quote(title)} twice")
                continue
            parts.append(SeriesPart(title=title, position=int(part.group(1))))
        return parts

    def _collections(self, entry: _Entry) -> list[str]:
        titles: list[str] = []
        for value in _split(entry.text()):
            title = collapse_spaces(value)
            if len(title) > TITLE_MAX:
                self.error(
                    entry.line, f"Collections: a title is longer than {TITLE_MAX} characters"
                )
            elif title.casefold() not in {other.casefold() for other in titles}:
                titles.append(title)
        return titles

    def _flag(self, entry: _Entry) -> bool:
        value = _FLAGS.get(entry.text().casefold())
        if value is None:
            self.error(entry.line, f"{entry.spelling}: must be Yes or No")
            return False
        return value

    def _date(self, entry: _Entry) -> date | None:
        value = entry.text()
        try:
            if not _DATE.match(value):
                raise ValueError
            return date.fromisoformat(value)
        except ValueError:
            self.error(
                entry.line,
                f"{entry.spelling}: expected a date as YYYY-MM-DD, found {_quote(value)}",
            )
            return None

    def _dates(self, record: WorkRecord, published: _Entry | None, updated: _Entry | None) -> None:
        if published:
            record.published = self._date(published)
            if record.published and record.published > self.today:
                self.error(published.line, "Published: is a date in the future")
        if updated:
            record.updated = self._date(updated)
            if published is None:
                self.error(updated.line, f"{updated.spelling}: needs a Published: date too")
            elif record.published and record.updated and record.updated < record.published:
                self.error(updated.line, f"{updated.spelling}: is earlier than Published:")

    def _expected_chapters(
        self, count: int, status: _Entry | None, chapters: _Entry | None
    ) -> int | None:
        complete: bool | None = None
        if status:
            complete = _STATUS.get(collapse_spaces(status.text()).casefold())
            if complete is None:
                self.error(status.line, "Status: must be Completed or In Progress")
        if chapters is None:
            return None if complete is False else count
        value = collapse_spaces(chapters.text())
        found = _CHAPTERS.match(value)
        if not found:
            self.error(
                chapters.line,
                f"Chapters: expected posted/expected chapters such as "
                f"2/5 or 2/?, found {_quote(value)}",
            )
            return None
        posted = int(found.group(1))
        expected = None if found.group(2) == "?" else int(found.group(2))
        if posted != count:
            self.error(
                chapters.line,
                f"Chapters: says {posted} chapters, but the text has "
                f"{count} (chapters start with a line 'Chapter N' or 'Chapter N: Title' "
                "after a blank line)",
            )
        if expected is not None and expected < posted:
            self.error(chapters.line, f"Chapters: {value} expects fewer chapters than are posted")
        if complete is not None and complete != (expected == posted):
            self.error(
                status.line if status else chapters.line,
                f"Status: {status.text() if status else ''} contradicts Chapters: {value}",
            )
        return expected


def _split(value: str) -> list[str]:
    return [item.strip() for item in value.split(",") if item.strip()]


def _text(lines: list[str]) -> str:
    text = normalize_text("\n".join(lines))
    return "\n".join(line[1:] if line.startswith("\\") else line for line in text.split("\n"))


def _quote(text: str) -> str:
    return repr(text if len(text) <= 60 else text[:57] + "...")
