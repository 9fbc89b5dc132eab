"""Turning header values of a work record into typed fields, reporting each problem on its
line."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from ficarchive.accounts.models import (
    LOGIN_MAX,
    LOGIN_MIN,
    LOGIN_PATTERN,
    PSEUD_MAX,
    PSEUD_PATTERN,
)
from ficarchive.formats.workrecord.errors import Problem
from ficarchive.formats.workrecord.labels import Kind, Label
from ficarchive.formats.workrecord.record import (
    ChapterRecord,
    CreatorName,
    SeriesPart,
    WorkRecord,
    collapse_spaces,
    normalize_value,
)
from ficarchive.tags.fixed import ARCHIVE_WARNINGS, CATEGORIES, RATINGS, WARNING_SYNONYMS
from ficarchive.tags.names import clean_tag_name, tag_name_error
from ficarchive.works.models import TITLE_MAX

LANGUAGE_MAX = 100
MAX_WORK_ID = 2**63 - 1

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


@dataclass
class Entry:
    """A `Label: value` line with its continuation lines."""

    label: Label
    spelling: str
    line: int
    lines: list[str]

    def text(self) -> str:
        if self.label.kind is Kind.LONG_TEXT:
            return normalize_value("\n".join(self.lines))
        return " ".join(part.strip() for part in self.lines).strip()


class ValueReader:
    """Reads the values of a record's labels; problems collect in `problems`."""

    def __init__(self, today: date) -> None:
        self.today = today
        self.problems: list[Problem] = []

    def error(self, line: int, message: str) -> None:
        self.problems.append(Problem(line, message))

    def build(self, entries: dict[str, Entry], chapters: list[ChapterRecord]) -> WorkRecord:
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

    def _title(self, entry: Entry | None) -> str:
        if entry is None:
            self.error(1, "Title: is missing")
            return ""
        title = entry.text()
        if not title:
            self.error(entry.line, "Title: is empty")
        elif len(title) > TITLE_MAX:
            self.error(entry.line, f"Title: is {len(title)} characters long; at most {TITLE_MAX}")
        return title

    def _work_id(self, entry: Entry) -> int | None:
        value = entry.text()
        if not value.isascii() or not value.isdigit() or not 0 < int(value) <= MAX_WORK_ID:
            self.error(entry.line, f"Work ID: must be a whole number above 0, not {quote(value)}")
            return None
        return int(value)

    def _creators(self, entry: Entry | None) -> list[CreatorName]:
        if entry is None:
            self.error(1, "Author: is missing (write Author: login or Author: Pseud (login))")
            return []
        creators: list[CreatorName] = []
        seen: set[tuple[str, str]] = set()
        for item in split_list(entry.text()):
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
        if not (LOGIN_MIN <= len(login) <= LOGIN_MAX and LOGIN_PATTERN.match(login)):
            self.error(
                line,
                f"{quote(login)} is not a valid login: {LOGIN_MIN} to {LOGIN_MAX} "
                "letters, digits or underscores, starting and ending with a letter or "
                "digit (write Pseud (login) for a pseud with other characters)",
            )
            return None
        if not (len(pseud) <= PSEUD_MAX and PSEUD_PATTERN.match(pseud)):
            self.error(
                line,
                f"{quote(pseud)} is not a valid pseud: at most {PSEUD_MAX} letters, "
                "digits, spaces, underscores or hyphens",
            )
            return None
        return CreatorName(pseud=pseud, login=login)

    def _rating(self, entry: Entry) -> str | None:
        values = split_list(entry.text())
        if len(values) != 1:
            self.error(entry.line, "Rating: takes exactly one rating")
            return None
        names = {name.casefold(): name for name, _adult in RATINGS}
        rating = names.get(collapse_spaces(values[0]).casefold())
        if rating is None:
            self.error(
                entry.line,
                f"unknown rating {quote(values[0])}; one of: "
                + ", ".join(name for name, _adult in RATINGS),
            )
        return rating

    def _fixed(self, entry: Entry, allowed: tuple[str, ...], synonyms: dict[str, str]) -> list[str]:
        names = {name.casefold(): name for name in allowed}
        names.update({alias.casefold(): name for alias, name in synonyms.items()})
        found: list[str] = []
        for value in split_list(entry.text()):
            name = names.get(collapse_spaces(value).casefold())
            if name is None:
                self.error(
                    entry.line,
                    f"unknown {entry.label.singular.lower()} {quote(value)}; "
                    "one of: " + ", ".join(allowed),
                )
            elif name not in found:
                found.append(name)
        return found

    def _tags(self, entry: Entry) -> list[str]:
        tags: list[str] = []
        seen: set[str] = set()
        for value in split_list(entry.text()):
            name = clean_tag_name(value)
            problem = tag_name_error(name)
            if problem:
                self.error(entry.line, f"{entry.spelling}: {problem}")
            elif name.casefold() not in seen:
                seen.add(name.casefold())
                tags.append(name)
        return tags

    def _language(self, entry: Entry) -> str | None:
        language = collapse_spaces(entry.text())
        if not language or len(language) > LANGUAGE_MAX:
            self.error(
                entry.line,
                f"Language: must be a language name or code of 1 to {LANGUAGE_MAX} characters",
            )
            return None
        return language

    def _series(self, entry: Entry) -> list[SeriesPart]:
        parts: list[SeriesPart] = []
        for item in _SERIES_SPLIT.split(entry.text()):
            part = _SERIES_PART.match(item.strip())
            title = collapse_spaces(part.group(2)) if part else ""
            if not part or not 0 < int(part.group(1)) <= 2**31 - 1 or len(title) > TITLE_MAX:
                self.error(
                    entry.line,
                    f"Series: expected 'Part N of Series Title', found {quote(item.strip())}",
                )
                continue
            if any(title.casefold() == other.title.casefold() for other in parts):
                self.error(entry.line, f"Series: names {quote(title)} twice")
                continue
            parts.append(SeriesPart(title=title, position=int(part.group(1))))
        return parts

    def _collections(self, entry: Entry) -> list[str]:
        titles: list[str] = []
        for value in split_list(entry.text()):
            title = collapse_spaces(value)
            if len(title) > TITLE_MAX:
                self.error(
                    entry.line, f"Collections: a title is longer than {TITLE_MAX} characters"
                )
            elif title.casefold() not in {other.casefold() for other in titles}:
                titles.append(title)
        return titles

    def _flag(self, entry: Entry) -> bool:
        value = _FLAGS.get(entry.text().casefold())
        if value is None:
            self.error(entry.line, f"{entry.spelling}: must be Yes or No")
            return False
        return value

    def _date(self, entry: Entry) -> date | None:
        value = entry.text()
        try:
            if not _DATE.match(value):
                raise ValueError
            return date.fromisoformat(value)
        except ValueError:
            self.error(
                entry.line,
                f"{entry.spelling}: expected a date as YYYY-MM-DD, found {quote(value)}",
            )
            return None

    def _dates(self, record: WorkRecord, published: Entry | None, updated: Entry | None) -> None:
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
        self, count: int, status: Entry | None, chapters: Entry | None
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
                f"2/5 or 2/?, found {quote(value)}",
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


def split_list(value: str) -> list[str]:
    return [item.strip() for item in value.split(",") if item.strip()]


def quote(text: str) -> str:
    return repr(text if len(text) <= 60 else text[:57] + "...")
