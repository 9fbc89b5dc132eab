"""Importing work records into the archive: each record becomes a draft for the one work
writer (works.writer), which finds or makes its creators, tags, language, series and
collections and writes it, alone or in a batch with others."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, time

from ficarchive.core.html import render_userstuff
from ficarchive.core.wordcount import count_html_words
from ficarchive.formats.workrecord.record import WorkRecord
from ficarchive.works.models import Work
from ficarchive.works.writer.drafts import (
    ChapterDraft,
    NamedCreator,
    SeriesPlace,
    TagRef,
    WorkDraft,
)
from ficarchive.works.writer.lookups import DraftError, WriterCache
from ficarchive.works.writer.write import Reasons, work_write

IMPORTED = Reasons(new="imported", again="imported again")


class RecordImportError(Exception):
    """A well-formed record that the archive cannot take (a tag clash, say)."""


def record_draft(
    record: WorkRecord, rendered: Sequence[tuple[str, int]] | None = None
) -> WorkDraft:
    """The draft a record describes. `rendered` may carry each chapter's HTML and word count,
    worked out ahead (see render_chapters)."""
    rendered = rendered or render_chapters(record)
    dates_known = record.published is not None
    revised_at = None
    if record.published is not None:
        revised_date = record.updated or record.published
        revised_at = datetime.combine(revised_date, time.min, tzinfo=UTC)
    return WorkDraft(
        work_id=record.work_id,
        title=record.title,
        language=record.language or "English",
        creators=[NamedCreator(login=c.login, pseud=c.pseud) for c in record.creators],
        rating=record.rating or "Not Rated",
        warnings=_refs(record.warnings),
        categories=_refs(record.categories),
        fandoms=_refs(record.fandoms),
        relationships=_refs(record.relationships),
        characters=_refs(record.characters),
        freeforms=_refs(record.freeforms),
        chapters=[
            ChapterDraft(
                text=chapter.text,
                title=chapter.title,
                summary=chapter.summary,
                notes=chapter.notes,
                endnotes=chapter.endnotes,
                published_on=chapter.published,
                html=html,
                word_count=words,
            )
            for chapter, (html, words) in zip(record.chapters, rendered, strict=True)
        ],
        summary=record.summary,
        notes=record.notes,
        endnotes=record.endnotes,
        posted=not record.draft,
        restricted=record.restricted,
        anonymous=record.anonymous,
        expected_chapters=record.expected_chapters,
        complete=record.complete,
        published_on=record.published,
        revised_at=revised_at,
        dates_known=dates_known,
        series=[SeriesPlace(part.title, part.position) for part in record.series],
        collections=list(record.collections),
    )


def _refs(names: list[str]) -> list[TagRef]:
    return list(names)


def record_import(
    record: WorkRecord,
    cache: WriterCache | None = None,
    rendered: Sequence[tuple[str, int]] | None = None,
) -> tuple[Work, bool]:
    """Create or update the work a record describes; returns the work and whether it is new.

    A record with a Work ID that exists replaces that work's text, tags and creators, and keeps
    its counters. Must run inside a transaction (the caller's).
    """
    try:
        return work_write(record_draft(record, rendered), reasons=IMPORTED, cache=cache)
    except DraftError as error:
        raise RecordImportError(str(error)) from None


def render_chapters(record: WorkRecord) -> list[tuple[str, int]]:
    """Each chapter's sanitised HTML and word count: the costly part of an import, with no
    database involved."""
    rendered = []
    for chapter in record.chapters:
        html = render_userstuff(chapter.text)
        rendered.append((html, count_html_words(html)))
    return rendered
