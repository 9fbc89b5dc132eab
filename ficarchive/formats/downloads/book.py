"""What every download of a work holds, read once from the database: the preface (title,
creators or "Anonymous", tags by type, series, stats, summary and notes), the chapters and the
end notes. Every format renders this one value, so an anonymous work's creators, which it never
holds, cannot reach any file or its metadata."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from datetime import date

from django.urls import reverse

from ficarchive.core.html import render_userstuff
from ficarchive.core.site import absolute_url
from ficarchive.tags.models import TagType
from ficarchive.works.models import Chapter, Work

ANONYMOUS = "Anonymous"
# The labels the work header gives each tag type, singular and plural.
_PLURALS = {
    TagType.RATING: "Ratings",
    TagType.WARNING: "Archive Warnings",
    TagType.CATEGORY: "Categories",
    TagType.FANDOM: "Fandoms",
    TagType.RELATIONSHIP: "Relationships",
    TagType.CHARACTER: "Characters",
    TagType.FREEFORM: "Additional Tags",
}


@dataclass(frozen=True)
class TagGroup:
    type: str
    label: str
    names: list[str]


@dataclass(frozen=True)
class SeriesPlace:
    series_id: int
    title: str
    position: int


@dataclass(frozen=True)
class BookChapter:
    position: int
    title: str  # the chapter's own title, maybe empty
    heading: str  # "Chapter 3: Its Title", or "Chapter 3"
    summary: str  # sanitised HTML, as the remaining fields
    notes: str
    endnotes: str
    html: str
    word_count: int


@dataclass(frozen=True)
class Book:
    work_id: int
    title: str
    creators: list[str]  # ["Anonymous"] for an anonymous work
    url: str
    language: str
    language_code: str  # empty for a private-use language
    tags: list[TagGroup]
    series: list[SeriesPlace]
    collections: list[str]
    published: date
    updated: date | None
    complete: bool
    words: int
    chapter_total: str  # N/M
    summary: str
    notes: str
    endnotes: str
    chapters: list[BookChapter] = field(default_factory=list)

    @property
    def byline(self) -> str:
        return ", ".join(self.creators)

    @property
    def subjects(self) -> list[str]:
        return [name for group in self.tags for name in group.names]

    @property
    def fandom_line(self) -> str:
        """The fandom as the largest archive's file titles name it."""
        fandoms = next((group.names for group in self.tags if group.type == TagType.FANDOM), [])
        if not fandoms:
            return "No fandom specified"
        return "Multifandom" if len(fandoms) > 3 else ", ".join(fandoms)

    def fingerprint(self) -> str:
        """A digest of everything the files show: it changes exactly when a file would."""
        data = json.dumps(asdict(self), default=str, sort_keys=True, ensure_ascii=False)
        return hashlib.blake2b(data.encode(), digest_size=12).hexdigest()


def book_of(work: Work) -> Book:
    """The book of a work fetched through works.access (with its header prefetched)."""
    groups = work.tags_by_type
    tags = [
        TagGroup(
            type=value,
            label=_PLURALS[TagType(value)] if len(groups[value]) > 1 else TagType(value).label,
            names=[tag.name for tag in groups[value]],
        )
        for value in TagType.values
        if groups[value]
    ]
    creators = [ANONYMOUS] if work.hides_creators else [p.byline for p in work.creator_pseuds()]
    code = work.language.code
    chapters = list(
        work.posted_chapters().only(
            "position", "title", "summary", "notes", "endnotes", "html", "word_count"
        )
    )
    return Book(
        work_id=work.pk,
        title=work.title,
        creators=creators or [ANONYMOUS],
        url=absolute_url(reverse("works:work_detail", args=[work.pk])),
        language=work.language.name,
        language_code="" if code.startswith("x-") else code,
        tags=tags,
        series=[
            SeriesPlace(s.series_id, s.series.title, s.position) for s in work.serial_works.all()
        ],
        collections=[c.title for c in work.shown_collections()],
        published=work.published_on,
        updated=work.updated_on(),
        complete=work.complete,
        words=work.word_count,
        chapter_total=work.chapter_total_display(),
        summary=render_userstuff(work.summary),
        notes=render_userstuff(work.notes),
        endnotes=render_userstuff(work.endnotes),
        chapters=[_chapter(chapter) for chapter in chapters],
    )


def _chapter(chapter: Chapter) -> BookChapter:
    heading = f"Chapter {chapter.position}"
    if chapter.title:
        heading += f": {chapter.title}"
    return BookChapter(
        position=chapter.position,
        title=chapter.title,
        heading=heading,
        summary=render_userstuff(chapter.summary),
        notes=render_userstuff(chapter.notes),
        endnotes=render_userstuff(chapter.endnotes),
        html=chapter.html,
        word_count=chapter.word_count,
    )
