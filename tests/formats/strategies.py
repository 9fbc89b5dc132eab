"""Hypothesis strategies for work records in the canonical form that export writes."""

from __future__ import annotations

import string
from datetime import date, timedelta

from hypothesis import strategies as st

from ficarchive.formats.workrecord.record import (
    ChapterRecord,
    CreatorName,
    SeriesPart,
    WorkRecord,
)
from ficarchive.tags.fixed import ARCHIVE_WARNINGS, CATEGORIES, RATINGS, WARNING_SYNONYMS
from ficarchive.tags.models import tag_key
from ficarchive.tags.names import FORBIDDEN_CHARACTERS

TODAY = date(2026, 11, 25)
# Any character but control characters and lone surrogates: line breaks, tabs and the like are
# not part of a one-line value.
_CHAR = st.characters(blacklist_categories=("Cc", "Cs"))
_LINE = st.text(_CHAR, max_size=60).map(str.strip)
_FIXED = {tag_key(name) for name in (*ARCHIVE_WARNINGS, *CATEGORIES, *WARNING_SYNONYMS)} | {
    tag_key(name) for name, _adult in RATINGS
}


def one_line(max_size: int = 60) -> st.SearchStrategy[str]:
    return st.text(_CHAR, min_size=1, max_size=max_size).map(str.strip).filter(bool)


def _clean_long(value: str) -> str:
    lines = value.split("\n")
    while lines and not lines[0]:
        lines.pop(0)
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines)


long_text = st.lists(_LINE, max_size=5).map(lambda lines: _clean_long("\n".join(lines)))

tag_name = (
    st.text(
        st.characters(blacklist_categories=("Cc", "Cs"), blacklist_characters=FORBIDDEN_CHARACTERS),
        min_size=1,
        max_size=40,
    )
    .map(lambda name: " ".join(name.split()))
    .filter(bool)
    .filter(lambda name: tag_key(name) not in _FIXED)
)
plain_title = (
    one_line(80).map(lambda title: " ".join(title.split())).filter(lambda title: "," not in title)
)

login = st.from_regex(r"[a-z0-9][a-z0-9_]{1,10}[a-z0-9]", fullmatch=True)
pseud_name = (
    st.text(
        st.sampled_from(string.ascii_letters + string.digits + "_- éßÆ中"), min_size=1, max_size=20
    )
    .map(lambda name: " ".join(name.split()))
    .filter(lambda name: any(ch.isalnum() or ch == "_" for ch in name))
)


@st.composite
def creators(draw: st.DrawFn) -> list[CreatorName]:
    logins = draw(st.lists(login, min_size=1, max_size=3, unique=True))
    found: list[CreatorName] = []
    for name in logins:
        pseud = draw(st.one_of(st.just(name), pseud_name))
        found.append(CreatorName(pseud=pseud, login=name))
    return found


@st.composite
def text_body(draw: st.DrawFn) -> str:
    """Chapter text: lines of anything, including lines that look like headings or start with
    a backslash, without blank lines at either end."""
    line = st.one_of(
        _LINE,
        st.text(_CHAR, max_size=40),  # keeps surrounding spaces
        st.integers(1, 30).map(lambda n: f"Chapter {n}"),
        st.integers(1, 30).map(lambda n: f"Chapter {n}: a title"),
        st.just("\\ a backslash"),
        st.just(""),
    )
    lines = draw(st.lists(line, max_size=8))
    while lines and not lines[0].strip():
        lines.pop(0)
    while lines and not lines[-1].strip():
        lines.pop()
    return "\n".join(lines)


def dates() -> st.SearchStrategy[date]:
    return st.dates(min_value=date(2008, 1, 1), max_value=TODAY)


@st.composite
def chapter(draw: st.DrawFn) -> ChapterRecord:
    return ChapterRecord(
        text=draw(text_body()),
        title=draw(st.one_of(st.just(""), one_line(40))),
        summary=draw(st.one_of(st.just(""), long_text)),
        notes=draw(st.one_of(st.just(""), long_text)),
        endnotes=draw(st.one_of(st.just(""), long_text)),
        published=draw(st.one_of(st.none(), dates())),
    )


def _unique_tags(draw: st.DrawFn, seen: set[str], max_size: int) -> list[str]:
    names = []
    for name in draw(st.lists(tag_name, max_size=max_size)):
        if tag_key(name) not in seen:
            seen.add(tag_key(name))
            names.append(name)
    return names


@st.composite
def work_records(draw: st.DrawFn, *, languages: list[str] | None = None) -> WorkRecord:
    chapters = draw(st.lists(chapter(), min_size=1, max_size=4))
    published = draw(st.one_of(st.none(), dates()))
    updated = None
    if published is not None and draw(st.booleans()):
        later = draw(st.integers(1, 400))
        updated = min(published + timedelta(days=later), TODAY)
        updated = updated if updated > published else None
    seen: set[str] = set()
    expected = draw(st.one_of(st.none(), st.integers(len(chapters), len(chapters) + 3)))
    language_choice = (
        st.sampled_from(languages)
        if languages
        else one_line(30).map(lambda value: " ".join(value.split()))
    )
    series_titles = draw(st.lists(plain_title, max_size=2, unique_by=str.casefold))
    return WorkRecord(
        title=draw(one_line(120)),
        work_id=draw(st.integers(1, 2**63 - 1)),
        creators=draw(creators()),
        chapters=chapters,
        rating=draw(st.sampled_from([name for name, _adult in RATINGS])),
        warnings=draw(st.lists(st.sampled_from(ARCHIVE_WARNINGS), unique=True, max_size=3)),
        categories=draw(st.lists(st.sampled_from(CATEGORIES), unique=True, max_size=3)),
        fandoms=_unique_tags(draw, seen, 3),
        relationships=_unique_tags(draw, seen, 3),
        characters=_unique_tags(draw, seen, 4),
        freeforms=_unique_tags(draw, seen, 6),
        language=draw(language_choice),
        series=[
            SeriesPart(title=title, position=draw(st.integers(1, 500))) for title in series_titles
        ],
        collections=draw(st.lists(plain_title, max_size=2, unique_by=str.casefold)),
        published=published,
        updated=updated,
        expected_chapters=expected,
        summary=draw(long_text),
        notes=draw(long_text),
        endnotes=draw(long_text),
        restricted=draw(st.booleans()),
        anonymous=draw(st.booleans()),
        draft=draw(st.booleans()),
    )
