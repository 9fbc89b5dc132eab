"""Importing a work record into the archive: creators, tags, language, series and collections
looked up or created, then the work and its chapters written."""

from __future__ import annotations

import collections
from datetime import UTC, datetime, time
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import connection
from django.utils import timezone
from django.utils.text import slugify

from ficarchive.accounts.models import Pseud, User
from ficarchive.core.bulk import bulk_insert, insert_instances
from ficarchive.core.changes import works_changed
from ficarchive.core.html import render_userstuff
from ficarchive.core.wordcount import count_html_words
from ficarchive.formats.workrecord.record import CreatorName, WorkRecord
from ficarchive.tags.filters import work_filters_for_tags, work_filters_write
from ficarchive.tags.models import FilterTagging, Tagging, TagType
from ficarchive.tags.services import TagNameError, tags_find_or_create
from ficarchive.works.languages import language_code_and_name, private_use_code
from ficarchive.works.models import (
    Chapter,
    Collection,
    CollectionItem,
    Creatorship,
    Language,
    SerialWork,
    Series,
    Work,
)

_TAG_FIELDS = (
    ("fandoms", TagType.FANDOM),
    ("relationships", TagType.RELATIONSHIP),
    ("characters", TagType.CHARACTER),
    ("freeforms", TagType.FREEFORM),
)


class ImportCache:
    """What an import run has already looked up, so that 10,000 records do not each query for
    the same tags, users and languages.

    Entries found or created while a record is being imported stay pending until that record's
    transaction commits; a record that fails takes its pending entries with it.
    """

    def __init__(self) -> None:
        self._committed: list[dict[Any, Any]] = []
        self._pending: list[dict[Any, Any]] = []
        self.tags = self._memo()
        self.users = self._memo()
        self.pseuds = self._memo()
        self.languages = self._memo()
        self.series = self._memo()
        self.collections = self._memo()

    def _memo(self) -> collections.ChainMap[Any, Any]:
        committed: dict[Any, Any] = {}
        pending: dict[Any, Any] = {}
        self._committed.append(committed)
        self._pending.append(pending)
        return collections.ChainMap(pending, committed)

    def commit(self) -> None:
        for committed, pending in zip(self._committed, self._pending, strict=True):
            committed.update(pending)
            pending.clear()

    def rollback(self) -> None:
        for pending in self._pending:
            pending.clear()


class RecordImportError(Exception):
    """A well-formed record that the archive cannot take (a tag clash, say)."""


def record_import(
    record: WorkRecord,
    cache: ImportCache | None = None,
    rendered: list[tuple[str, int]] | None = None,
) -> tuple[Work, bool]:
    """Create or update the work a record describes; returns the work and whether it is new.

    A record with a Work ID that exists replaces that work's text, tags and creators, and keeps
    its counters. `rendered` may carry each chapter's HTML and word count, worked out ahead
    (see render_chapters). Must run inside a transaction (the caller's, so that a batch can
    commit together).
    """
    cache = cache or ImportCache()
    language = _language(record.language or "English", cache)
    pseud_ids = [_pseud_id(creator, cache) for creator in record.creators]
    try:
        tag_ids = [tag.pk for tag in tags_find_or_create(_tag_names(record), known=cache.tags)]
    except TagNameError as error:
        raise RecordImportError(str(error)) from None
    filters = work_filters_for_tags(tag_ids)

    now = timezone.now()
    dates_known = record.published is not None
    published_on = record.published or timezone.localdate(now)
    if dates_known:
        revised_date = record.updated or published_on
        revised_at = datetime.combine(revised_date, time.min, tzinfo=UTC)
    else:
        revised_at = now

    fields: dict[str, Any] = dict(
        title=record.title,
        summary=record.summary,
        notes=record.notes,
        endnotes=record.endnotes,
        language_id=language,
        expected_chapters=record.expected_chapters,
        chapter_count=len(record.chapters),
        complete=record.complete,
        posted=not record.draft,
        restricted=record.restricted,
        anonymous=record.anonymous,
        published_on=published_on,
        revised_at=revised_at,
        dates_known=dates_known,
        crossover=filters.crossover,
        otp=filters.otp,
    )
    dated = Work(published_on=published_on, revised_at=revised_at)
    chapters = []
    rendered = rendered or render_chapters(record)
    for position, (chapter, (html, words)) in enumerate(
        zip(record.chapters, rendered, strict=True), 1
    ):
        published = chapter.published or dated.chapter_default_date(position)
        chapters.append((position, chapter, html, words, published))
    fields["word_count"] = sum(words for _position, _chapter, _html, words, _date in chapters)
    work, created = _work_upsert(record.work_id, fields, now)

    # Plain row inserts: the ORM's per-object overhead would be most of the import's time.
    bulk_insert(
        Chapter,
        (
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
        ),
        [
            (
                work.pk,
                position,
                chapter.title,
                chapter.summary,
                chapter.notes,
                chapter.endnotes,
                chapter.text,
                html,
                words,
                True,
                published,
            )
            for position, chapter, html, words, published in chapters
        ],
    )
    bulk_insert(
        Creatorship,
        ("work", "pseud", "position", "approved"),
        [
            (work.pk, pseud, position, True)
            for position, pseud in enumerate(dict.fromkeys(pseud_ids))
        ],
    )
    bulk_insert(
        Tagging,
        ("work", "tag", "position"),
        [(work.pk, tag, position) for position, tag in enumerate(dict.fromkeys(tag_ids))],
    )
    work_filters_write(work.pk, filters)
    if record.series:
        first_user = _user_id(record.creators[0], cache)
        bulk_insert(
            SerialWork,
            ("series", "work", "position"),
            [
                (_series_id(part.title, first_user, cache), work.pk, part.position)
                for part in record.series
            ],
        )
    if record.collections:
        bulk_insert(
            CollectionItem,
            ("collection", "work"),
            [(_collection_id(title, cache), work.pk) for title in record.collections],
        )
    works_changed([work.pk], "imported" if created else "imported again")
    return work, created


def render_chapters(record: WorkRecord) -> list[tuple[str, int]]:
    """Each chapter's sanitised HTML and word count: the costly part of an import, with no
    database involved."""
    rendered = []
    for chapter in record.chapters:
        html = render_userstuff(chapter.text)
        rendered.append((html, count_html_words(html)))
    return rendered


def _work_upsert(work_id: int | None, fields: dict[str, Any], now: datetime) -> tuple[Work, bool]:
    if work_id is None:
        work = Work(created_at=now, **fields)
        work.save(force_insert=True)
        return work, True
    if _scalar(f"SELECT id FROM {Work._meta.db_table} WHERE id = %s", [work_id]):
        for model in (Chapter, Creatorship, Tagging, FilterTagging, SerialWork, CollectionItem):
            model.objects.filter(work_id=work_id).delete()
        Work.objects.filter(pk=work_id).update(**fields)
        return Work(id=work_id, **fields), False
    # The common case of a large import: a plain insert, without the ORM's per-object cost.
    work = Work(id=work_id, created_at=now, **fields)
    insert_instances(Work, [work])
    return work, True


def _scalar(sql: str, params: list[Any]) -> Any:
    """The first column of the first row, or None. Raw SQL for lookups that run once per
    record, where building an ORM query costs more than running it; `lower()` matches the
    case-insensitive unique indexes on logins and pseud names."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return row[0] if row else None


def _language(value: str, cache: ImportCache) -> int:
    key = value.casefold()
    if key in cache.languages:
        return cache.languages[key]
    language = Language.objects.filter(name__iexact=value).first()
    if language is None:
        found = language_code_and_name(value)
        if found is not None:
            code, name = found
            language = Language.objects.filter(code__iexact=code).first()
            if language is None:
                language = Language.objects.create(code=code, name=name)
        else:
            taken = set(
                Language.objects.filter(code__startswith="x-").values_list("code", flat=True)
            )
            language = Language.objects.create(code=private_use_code(value, taken), name=value)
    cache.languages[key] = language.pk
    return language.pk


def _user_id(creator: CreatorName, cache: ImportCache) -> int:
    key = creator.login.casefold()
    if key not in cache.users:
        user_id = _scalar(
            f"SELECT id FROM {User._meta.db_table} WHERE lower(username) = %s",
            [creator.login.lower()],
        )
        if user_id is None:
            user = User.objects.create(username=creator.login, password=make_password(None))
            # The default pseud is the login, or the byline's spelling of it ("Nightjar").
            same = creator.pseud.casefold() == creator.login.casefold()
            default_name = creator.pseud if same else creator.login
            Pseud.objects.create(user=user, name=default_name, is_default=True)
            user_id = user.pk
        cache.users[key] = user_id
    return cache.users[key]


def _pseud_id(creator: CreatorName, cache: ImportCache) -> int:
    user_id = _user_id(creator, cache)
    key = (user_id, creator.pseud.casefold())
    if key not in cache.pseuds:
        found = _scalar(
            f"SELECT id FROM {Pseud._meta.db_table} WHERE user_id = %s AND lower(name) = %s",
            [user_id, creator.pseud.lower()],
        )
        if found is None:
            found = Pseud.objects.create(user_id=user_id, name=creator.pseud).pk
        cache.pseuds[key] = found
    return cache.pseuds[key]


def _tag_names(record: WorkRecord) -> list[tuple[str, str]]:
    """The record's tags as (name, type) in header order: rating, warnings, categories, then
    the types creators define."""
    wanted: list[tuple[str, str]] = [(record.rating or "Not Rated", TagType.RATING)]
    wanted += [(name, TagType.WARNING) for name in record.warnings]
    wanted += [(name, TagType.CATEGORY) for name in record.categories]
    for field, type in _TAG_FIELDS:
        wanted += [(name, type) for name in getattr(record, field)]
    return wanted


def _series_id(title: str, user_id: int, cache: ImportCache) -> int:
    """A series of this title that the first creator already has works in, or a new one."""
    key = (title.casefold(), user_id)
    if key not in cache.series:
        series = (
            Series.objects.filter(title=title, works__creators__user_id=user_id)
            .order_by("id")
            .first()
        )
        if series is None:
            series = Series.objects.create(title=title)
        cache.series[key] = series.pk
    return cache.series[key]


def _collection_id(title: str, cache: ImportCache) -> int:
    key = title.casefold()
    if key not in cache.collections:
        collection = Collection.objects.filter(title=title).order_by("id").first()
        if collection is None:
            base = slugify(title)[:200] or "collection"
            name, number = base, 1
            while Collection.objects.filter(name=name).exists():
                number += 1
                name = f"{base}-{number}"
            collection = Collection.objects.create(name=name, title=title)
        cache.collections[key] = collection.pk
    return cache.collections[key]
