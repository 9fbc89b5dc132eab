"""Writing drafts as works: one, or many at once with one insert per table for the lot.

A draft is looked up first (languages, creators, tags, series, collections: found or made),
then every draft's rows are written together; the filter tags follow the rule of
tags.filters, read for the whole batch at once, and the change log hears of the batch once.
"""

from __future__ import annotations

import contextlib
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import DatabaseError, transaction
from django.utils import timezone

from ficarchive.core.bulk import bulk_insert, insert_instances
from ficarchive.core.changes import works_changed
from ficarchive.core.html import render_userstuff
from ficarchive.core.wordcount import count_html_words
from ficarchive.tags.filters import WorkFilters, tag_facts, work_filters
from ficarchive.tags.models import FilterTagging
from ficarchive.works.models import (
    Chapter,
    CollectionItem,
    Creatorship,
    Language,
    SerialWork,
    Tagging,
    Work,
)
from ficarchive.works.writer import lookups
from ficarchive.works.writer.drafts import ChapterDraft, NamedCreator, TagRef, WorkDraft
from ficarchive.works.writer.lookups import DraftError, WriterCache

CHAPTER_FIELDS = (
    "work",
    "position",
    "title",
    "summary",
    "notes",
    "endnotes",
    "text",
    "html",
    "word_count",
    "posted",
    "published_on",
)
CREATORSHIP_FIELDS = ("work", "pseud", "position", "approved")
TAGGING_FIELDS = ("work", "tag", "position")
FILTER_FIELDS = ("work", "filter", "inherited")
SERIAL_FIELDS = ("series", "work", "position")
COLLECTION_ITEM_FIELDS = ("collection", "work")
# What a work written again keeps of its own: who counted what, and when it was made, plus its
# scheduling and backdating, which the callers that rewrite works (imports) do not carry.
_KEPT_ON_REWRITE = {
    "id",
    "created_at",
    "hits",
    "kudos_count",
    "comments_count",
    "bookmarks_count",
    "hidden_by_admin",
    "hidden_reason",
    "hidden_at",
    "hidden_by",
    "spam",
    "publish_at",
    "backdated",
}
# The children a rewritten work's draft replaces.
_REWRITTEN = (Chapter, Creatorship, Tagging, FilterTagging, SerialWork, CollectionItem)


@dataclass(frozen=True)
class Reasons:
    """What the change log says of new works and of works written again; None (in place of
    Reasons) tells it nothing, for a caller that asks for a rebuild of the index instead."""

    new: str
    again: str


@dataclass
class Written:
    """One draft's outcome: its work and whether it is new, or why it was not written."""

    work: Work | None = None
    created: bool = False
    error: str | None = None


@dataclass
class BulkWrite:
    results: list[Written]
    # Rows inserted per table (model name, lower case).
    rows: Counter[str] = field(default_factory=Counter)


@dataclass
class _Resolved:
    draft: WorkDraft
    language_id: int
    creators: list[tuple[int, bool]]
    tag_ids: list[int]
    series: list[tuple[int, int]]
    collections: list[int]
    chapters: list[tuple[ChapterDraft, str, int]] = field(default_factory=list)


def chapter_rendering(chapter: ChapterDraft) -> tuple[str, int]:
    """A chapter's sanitised HTML and word count, unless its draft carries them already."""
    html = render_userstuff(chapter.text) if chapter.html is None else chapter.html
    words = count_html_words(html) if chapter.word_count is None else chapter.word_count
    return html, words


def work_write(
    draft: WorkDraft, *, reasons: Reasons | None, cache: WriterCache | None = None
) -> tuple[Work, bool]:
    """Write one draft: a new work, or the existing work with its id rewritten (see
    works_write_bulk); returns the work and whether it is new. Raises DraftError (TagsError
    for tags) for a draft the archive cannot take. Runs in the caller's transaction."""
    written = _write([draft], cache or WriterCache(), isolate=False)
    _tell(written.results, reasons)
    work = written.results[0].work
    assert work is not None
    return work, written.results[0].created


def works_write_bulk(
    drafts: Sequence[WorkDraft], *, reasons: Reasons | None, cache: WriterCache | None = None
) -> BulkWrite:
    """Write many drafts, each whole or not at all: a draft the archive refuses is reported in
    its result, leaves nothing behind, and the others are written. Runs in the caller's
    transaction.

    A draft whose work id exists rewrites that work: its chapters, creators, tags, series
    and collections are replaced, and it keeps its counters, creation time, moderation,
    scheduling and backdating.
    """
    cache = cache or WriterCache()
    try:
        with cache.attempt(), transaction.atomic():
            together = len(drafts) > 1 and lookups.tags_make_together(drafts, cache)
            written = _write(drafts, cache, isolate=True)
            if together and any(result.error for result in written.results):
                raise _Redo
    except (DatabaseError, _Redo):
        # A row the database refuses fails the whole batch, and a draft refused after the
        # batch's tags were made together must not leave its own behind: write one at a time.
        written = BulkWrite([])
        for draft in drafts:
            try:
                with cache.attempt(), transaction.atomic():
                    alone = _write([draft], cache, isolate=False)
            except (DraftError, DatabaseError) as error:
                written.results.append(Written(error=str(error)))
                continue
            written.results += alone.results
            written.rows.update(alone.rows)
    _tell(written.results, reasons)
    return written


class _Redo(Exception):
    """The batch goes back, to be written again one draft at a time."""


def _tell(results: list[Written], reasons: Reasons | None) -> None:
    """Tell the change log of the works written, once for the new ones and once for the rest."""
    if reasons is None:
        return
    new = [r.work.pk for r in results if r.work is not None and r.created]
    again = [r.work.pk for r in results if r.work is not None and not r.created]
    if new:
        works_changed(new, reasons.new)
    if again:
        works_changed(again, reasons.again)


def _write(drafts: Sequence[WorkDraft], cache: WriterCache, isolate: bool) -> BulkWrite:
    """Look every draft up, then write them all together. With `isolate`, a draft whose look-up
    fails is left out (in a savepoint of its own where the look-up may write rows)."""
    results = [Written() for _ in drafts]
    resolved: list[tuple[int, _Resolved]] = []
    for index, draft in enumerate(drafts):
        refs = draft.tag_refs()
        if not isolate:
            resolved.append((index, _resolve(draft, refs, cache)))
            continue
        try:
            with _isolated(cache, _may_create(draft, refs)):
                resolved.append((index, _resolve(draft, refs, cache)))
        except (DraftError, DatabaseError) as error:
            results[index].error = str(error)
    rows: Counter[str] = Counter()
    items = [item for _index, item in resolved]
    if items:
        targets = [results[index] for index, _item in resolved]
        _insert(_filters(items), items, targets, timezone.now(), rows)
    return BulkWrite(results, rows)


@contextlib.contextmanager
def _isolated(cache: WriterCache, savepoint: bool) -> Iterator[None]:
    if not savepoint:
        yield
        return
    with cache.attempt(), transaction.atomic():
        yield


def _may_create(draft: WorkDraft, refs: list[tuple[TagRef, str]]) -> bool:
    """Whether looking the draft up may write rows (that a failure must take back)."""
    return (
        not isinstance(draft.language, Language)
        or any(isinstance(creator, NamedCreator) for creator in draft.creators)
        or any(isinstance(ref, str) for ref, _type in refs)
        or bool(draft.series or draft.collections)
    )


def _resolve(draft: WorkDraft, refs: list[tuple[TagRef, str]], cache: WriterCache) -> _Resolved:
    language = lookups.language_id(draft.language, cache)
    creators = {lookups.pseud_id(creator, cache): True for creator in draft.creators}
    for pseud in draft.invited:
        creators.setdefault(pseud.pk, False)
    tags = lookups.tag_ids(refs, cache)
    series = []
    if draft.series:
        if not draft.creators:
            raise DraftError("a work in a series needs a creator")
        owner = lookups.creator_user_id(draft.creators[0], cache)
        series = [(lookups.series_id(p.title, owner, cache), p.position) for p in draft.series]
    collections = [lookups.collection_id(title, cache) for title in draft.collections]
    return _Resolved(draft, language, list(creators.items()), tags, series, collections)


def _filters(items: list[_Resolved]) -> list[WorkFilters]:
    facts, meta_tags = tag_facts(tag for item in items for tag in item.tag_ids)
    return [
        work_filters((facts[tag] for tag in item.tag_ids if tag in facts), meta_tags)
        for item in items
    ]


def _insert(
    filters: list[WorkFilters],
    items: list[_Resolved],
    results: list[Written],
    now: datetime,
    rows: Counter[str],
) -> None:
    wanted = [item.draft.work_id for item in items if item.draft.work_id is not None]
    existing = _existing(wanted)
    kept_chapters = _chapter_ids(existing)
    if existing:
        for model in _REWRITTEN:
            model._default_manager.filter(work_id__in=existing).delete()
    inserts: list[Work] = []
    for item, flags, result in zip(items, filters, results, strict=True):
        work = _work(item, flags, now)
        result.created = work.pk not in existing
        result.work = work
        if not result.created:
            values = {
                f.attname: getattr(work, f.attname)
                for f in Work._meta.concrete_fields
                if f.name not in _KEPT_ON_REWRITE
            }
            Work.objects.filter(pk=work.pk).update(**values)
        elif work.pk is None:
            work.save(force_insert=True)
        else:
            inserts.append(work)
    insert_instances(Work, inserts)
    rows["work"] += len(items)
    works = [result.work for result in results]
    ids = [work.id if work is not None else None for work in works]
    rows["chapter"] += _chapters_insert(items, works, kept_chapters)
    rows["creatorship"] += bulk_insert(
        Creatorship,
        CREATORSHIP_FIELDS,
        (
            (work_id, pseud, position, approved)
            for item, work_id in zip(items, ids, strict=True)
            if work_id is not None
            for position, (pseud, approved) in enumerate(item.creators)
        ),
    )
    rows["tagging"] += bulk_insert(
        Tagging,
        TAGGING_FIELDS,
        (
            (work_id, tag, position)
            for item, work_id in zip(items, ids, strict=True)
            if work_id is not None
            for position, tag in enumerate(item.tag_ids)
        ),
    )
    rows["filtertagging"] += bulk_insert(
        FilterTagging,
        FILTER_FIELDS,
        (
            (work_id, filter_id, inherited)
            for flags, work_id in zip(filters, ids, strict=True)
            if work_id is not None
            for filter_id, inherited in flags.filters.items()
        ),
    )
    rows["serialwork"] += bulk_insert(
        SerialWork,
        SERIAL_FIELDS,
        (
            (series, work_id, position)
            for item, work_id in zip(items, ids, strict=True)
            if work_id is not None
            for series, position in item.series
        ),
    )
    rows["collectionitem"] += bulk_insert(
        CollectionItem,
        COLLECTION_ITEM_FIELDS,
        (
            (collection, work_id)
            for item, work_id in zip(items, ids, strict=True)
            if work_id is not None
            for collection in item.collections
        ),
    )


def _existing(work_ids: list[int]) -> set[int]:
    found: set[int] = set()
    for start in range(0, len(work_ids), 1000):
        chunk = work_ids[start : start + 1000]
        found.update(Work.objects.filter(pk__in=chunk).values_list("pk", flat=True))
    return found


def _chapter_ids(work_ids: set[int]) -> dict[tuple[int, int], int]:
    """The chapter ids of works about to be rewritten, by work and position."""
    found: dict[tuple[int, int], int] = {}
    ids = sorted(work_ids)
    for start in range(0, len(ids), 1000):
        rows = Chapter.objects.filter(work_id__in=ids[start : start + 1000])
        for pk, work_id, position in rows.values_list("pk", "work_id", "position"):
            found[(work_id, position)] = pk
    return found


def _chapters_insert(
    items: list[_Resolved], works: list[Work | None], kept: dict[tuple[int, int], int]
) -> int:
    """Insert the chapters; a rewritten work's chapter keeps the id of the chapter it had at
    its position, so that links to its chapters, bookmarks and reading places stay good."""
    rows = _chapter_rows(items, works)
    if not kept:
        return bulk_insert(Chapter, CHAPTER_FIELDS, rows)
    again: list[tuple[Any, ...]] = []
    new: list[tuple[Any, ...]] = []
    for row in rows:
        pk = kept.get((row[0], row[1]))
        if pk is None:
            new.append(row)
        else:
            again.append((pk, *row))
    return bulk_insert(Chapter, ("id", *CHAPTER_FIELDS), again) + bulk_insert(
        Chapter, CHAPTER_FIELDS, new
    )


def _work(item: _Resolved, flags: WorkFilters, now: datetime) -> Work:
    """The work row of a resolved draft, its counts worked out from the chapters."""
    draft = item.draft
    counts = draft.counts
    work = Work(
        id=draft.work_id,
        title=draft.title,
        summary=draft.summary,
        notes=draft.notes,
        endnotes=draft.endnotes,
        language_id=item.language_id,
        expected_chapters=draft.expected_chapters,
        posted=draft.posted,
        publish_at=draft.publish_at,
        restricted=draft.restricted,
        anonymous=draft.anonymous,
        comment_permission=draft.comment_permission,
        comments_moderated=draft.comments_moderated,
        published_on=draft.published_on or timezone.localdate(now),
        backdated=draft.backdated,
        revised_at=draft.revised_at or now,
        dates_known=draft.dates_known,
        created_at=draft.created_at or now,
        crossover=flags.crossover,
        otp=flags.otp,
    )
    if counts is not None:
        work.hits, work.kudos_count = counts.hits, counts.kudos
        work.comments_count, work.bookmarks_count = counts.comments, counts.bookmarks
    item.chapters = [(chapter, *chapter_rendering(chapter)) for chapter in draft.chapters]
    posted = [words for chapter, _html, words in item.chapters if chapter.posted]
    work.chapter_count = len(posted)
    work.word_count = sum(posted)
    if draft.complete is None:
        counts_from_chapters(work)
    else:
        work.complete = draft.complete
    return work


def counts_from_chapters(work: Work) -> None:
    """Completion follows from the posted chapters: an expected total below them becomes
    unknown, as in the largest archive."""
    if work.expected_chapters is not None and work.expected_chapters < work.chapter_count:
        work.expected_chapters = None
    work.complete = work.expected_chapters == work.chapter_count


def _chapter_rows(items: list[_Resolved], works: list[Work | None]) -> Iterator[tuple[Any, ...]]:
    for item, work in zip(items, works, strict=True):
        if work is None:
            continue
        for position, (chapter, html, words) in enumerate(item.chapters, 1):
            published = chapter.published_on or work.chapter_default_date(position)
            yield (
                work.pk,
                position,
                chapter.title,
                chapter.summary,
                chapter.notes,
                chapter.endnotes,
                chapter.text,
                html,
                words,
                chapter.posted,
                published,
            )
