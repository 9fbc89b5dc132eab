"""The shapes the API answers with, and the functions that turn models into them. Each carries
the counts and dates its page shows (work_meta.html, the tag and series pages)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.utils import timezone
from ninja import Field, Schema

from ficarchive.core.html import render_userstuff
from ficarchive.core.site import absolute_url
from ficarchive.works.models import Chapter, Series, Work


class TagRef(Schema):
    id: int
    name: str
    type: str


class CreatorRef(Schema):
    """A pseud in a byline: the pseud's name and its user's login."""

    pseud: str
    login: str


class WorkStats(Schema):
    published: date
    updated: date | None
    words: int
    chapters: int
    expected_chapters: int | None
    complete: bool
    comments: int
    kudos: int
    bookmarks: int
    hits: int
    downloads: int


class WorkSummary(Schema):
    """A work as a listing's blurb shows it."""

    id: int
    title: str
    url: str
    anonymous: bool
    byline: str = Field(description="As the page's byline: `Anonymous` for an anonymous work.")
    creators: list[CreatorRef]
    language: str
    restricted: bool
    summary_html: str
    rating: list[TagRef]
    warnings: list[TagRef]
    categories: list[TagRef]
    fandoms: list[TagRef]
    relationships: list[TagRef]
    characters: list[TagRef]
    freeforms: list[TagRef]
    stats: WorkStats
    revised_at: datetime


class ChapterOut(Schema):
    id: int
    position: int
    title: str
    published: date
    words: int
    summary_html: str
    notes_html: str
    endnotes_html: str
    html: str


class WorkDetail(WorkSummary):
    """A work as its page shows it: the preface and every chapter the viewer may read."""

    revealed_creators: list[CreatorRef] = Field(
        description="An anonymous work's creators, for the viewers who may know them."
    )
    notes_html: str
    endnotes_html: str
    posted: bool
    publish_at: datetime | None
    chapters: list[ChapterOut]


_TAG_GROUPS = {
    "rating": "rating",
    "warnings": "warning",
    "categories": "category",
    "fandoms": "fandom",
    "relationships": "relationship",
    "characters": "character",
    "freeforms": "freeform",
}


def _html(text: str) -> str:
    return render_userstuff(text) if text else ""


def work_summary(work: Work) -> dict[str, Any]:
    groups = work.tags_by_type
    pseuds = work.creator_pseuds()
    out: dict[str, Any] = {
        "id": work.pk,
        "title": work.title,
        "url": absolute_url(f"/works/{work.pk}"),
        "anonymous": work.hides_creators,
        "byline": "Anonymous"
        if work.hides_creators
        else ", ".join(pseud.byline for pseud in pseuds),
        "creators": _creators(pseuds),
        "language": work.language.code,
        "restricted": work.restricted,
        "summary_html": _html(work.summary),
        "stats": {
            "published": work.published_on,
            "updated": work.updated_on(),
            "words": work.word_count,
            "chapters": work.chapter_count,
            "expected_chapters": work.expected_chapters,
            "complete": work.complete,
            "comments": work.comments_count,
            "kudos": work.kudos_count,
            "bookmarks": work.bookmarks_count,
            "hits": work.hits,
            "downloads": work.downloads_count,
        },
        "revised_at": work.revised_at,
    }
    for key, tag_type in _TAG_GROUPS.items():
        out[key] = [{"id": tag.pk, "name": tag.name, "type": tag.type} for tag in groups[tag_type]]
    return out


def chapter_out(chapter: Chapter) -> dict[str, Any]:
    return {
        "id": chapter.pk,
        "position": chapter.position,
        "title": chapter.title,
        "published": chapter.published_on,
        "words": chapter.word_count,
        "summary_html": _html(chapter.summary),
        "notes_html": _html(chapter.notes),
        "endnotes_html": _html(chapter.endnotes),
        # Sanitised when it was written (works.writer), as the chapter page shows it.
        "html": chapter.html,
    }


def _creators(pseuds: list[Any]) -> list[dict[str, str]]:
    return [{"pseud": pseud.name, "login": pseud.user.username} for pseud in pseuds]


def work_detail(work: Work, chapters: list[Chapter], viewer: Any) -> dict[str, Any]:
    out = work_summary(work)
    out.update(
        revealed_creators=_creators(work.revealed_creator_pseuds(viewer)),
        notes_html=_html(work.notes),
        endnotes_html=_html(work.endnotes),
        posted=work.posted,
        publish_at=work.publish_at,
        chapters=[chapter_out(chapter) for chapter in chapters],
    )
    return out


class SeriesOut(Schema):
    id: int
    title: str
    url: str
    summary_html: str
    notes_html: str
    complete: bool
    created_at: datetime
    updated_at: datetime
    creators: list[CreatorRef]
    works: list[WorkSummary]


def series_out(series: Series, works: list[Work], byline: list[Any]) -> dict[str, Any]:
    return {
        "id": series.pk,
        "title": series.title,
        "url": absolute_url(f"/series/{series.pk}"),
        "summary_html": _html(series.summary),
        "notes_html": _html(series.notes),
        "complete": series.complete,
        "created_at": series.created_at,
        "updated_at": series.updated_at,
        "creators": _creators(byline),
        "works": [work_summary(work) for work in works],
    }


def now() -> datetime:
    return timezone.now()
