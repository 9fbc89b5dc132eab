"""A work record as the text format holds it, before any database lookup."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

# A body line that starts a chapter: `Chapter N` or `Chapter N: Title`.
HEADING = re.compile(r"^Chapter ([0-9]+)(?::\s*(.*))?$")


@dataclass(frozen=True)
class CreatorName:
    """A creator as a byline names them: a pseud of a user's login."""

    pseud: str
    login: str

    @property
    def byline(self) -> str:
        return self.pseud if self.pseud == self.login else f"{self.pseud} ({self.login})"


@dataclass(frozen=True)
class SeriesPart:
    title: str
    position: int


@dataclass
class ChapterRecord:
    text: str = ""
    title: str = ""
    summary: str = ""
    notes: str = ""
    endnotes: str = ""
    # None: the chapter takes its default date (see docs/work-record-format.md).
    published: date | None = None

    def has_preface(self) -> bool:
        """Whether the chapter needs a heading block to be written faithfully."""
        return bool(self.title or self.summary or self.notes or self.endnotes or self.published)


@dataclass
class WorkRecord:
    title: str
    creators: list[CreatorName]
    chapters: list[ChapterRecord]
    work_id: int | None = None
    rating: str | None = None
    warnings: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    fandoms: list[str] = field(default_factory=list)
    relationships: list[str] = field(default_factory=list)
    characters: list[str] = field(default_factory=list)
    freeforms: list[str] = field(default_factory=list)
    language: str | None = None
    series: list[SeriesPart] = field(default_factory=list)
    collections: list[str] = field(default_factory=list)
    published: date | None = None
    updated: date | None = None
    # None: unknown (`Chapters: N/?`).
    expected_chapters: int | None = None
    summary: str = ""
    notes: str = ""
    endnotes: str = ""
    restricted: bool = False
    anonymous: bool = False
    draft: bool = False

    @property
    def complete(self) -> bool:
        return self.expected_chapters == len(self.chapters)


def normalize_value(value: str) -> str:
    """A header value as the format keeps it: lines trimmed, no empty first or last line."""
    lines = [line.strip() for line in value.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    while lines and not lines[0]:
        lines.pop(0)
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines)


def normalize_text(text: str) -> str:
    """Chapter text as the format keeps it: LF line ends, no blank lines at either end."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    while lines and not lines[0].strip():
        lines.pop(0)
    while lines and not lines[-1].strip():
        lines.pop()
    return "\n".join(lines)


def collapse_spaces(value: str) -> str:
    return " ".join(value.split())


def heading_match(line: str) -> re.Match[str] | None:
    """The match of a chapter heading line, ignoring trailing whitespace."""
    return HEADING.match(line.rstrip())
