"""Importing work records into the archive: files to records to works, each file atomically."""

from __future__ import annotations

import collections
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import DatabaseError, transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.text import slugify

from ficarchive.accounts.models import Pseud, User
from ficarchive.core.bulk import reset_sequence
from ficarchive.core.html import render_userstuff
from ficarchive.core.wordcount import count_html_words
from ficarchive.formats.workrecord.parse import (
    Problem,
    RecordError,
    decode_record,
    parse_record,
)
from ficarchive.formats.workrecord.record import CreatorName, WorkRecord
from ficarchive.tags.models import Tag, TagType, tag_key
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
    Tagging,
    Work,
)

RECORD_SUFFIXES = {".txt"}
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


def record_import(record: WorkRecord, cache: ImportCache | None = None) -> tuple[Work, bool]:
    """Create or update the work a record describes; returns the work and whether it is new.

    A record with a Work ID that exists replaces that work's text, tags and creators, and keeps
    its counters. Must run inside a transaction (the caller's, so that a batch can commit
    together).
    """
    cache = cache or ImportCache()
    language = _language(record.language or "English", cache)
    pseud_ids = [_pseud_id(creator, cache) for creator in record.creators]
    try:
        tag_ids = _tag_ids(record, cache)
    except TagNameError as error:
        raise RecordImportError(str(error)) from None

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
    )
    work, created = _work_upsert(record.work_id, fields, now)

    chapters = []
    for position, chapter in enumerate(record.chapters, start=1):
        html = render_userstuff(chapter.text)
        chapters.append(
            Chapter(
                work=work,
                position=position,
                title=chapter.title,
                summary=chapter.summary,
                notes=chapter.notes,
                endnotes=chapter.endnotes,
                text=chapter.text,
                html=html,
                word_count=count_html_words(html),
                published_on=chapter.published or work.chapter_default_date(position),
            )
        )
    Chapter.objects.bulk_create(chapters)
    work.word_count = sum(chapter.word_count for chapter in chapters)
    Work.objects.filter(pk=work.pk).update(word_count=work.word_count)

    Creatorship.objects.bulk_create(
        Creatorship(work=work, pseud_id=pseud_id, position=position)
        for position, pseud_id in enumerate(dict.fromkeys(pseud_ids))
    )
    Tagging.objects.bulk_create(
        Tagging(work=work, tag_id=tag_id, position=position)
        for position, tag_id in enumerate(dict.fromkeys(tag_ids))
    )
    first_user = _user_id(record.creators[0], cache) if record.creators else None
    SerialWork.objects.bulk_create(
        SerialWork(
            series_id=_series_id(part.title, first_user, cache), work=work, position=part.position
        )
        for part in record.series
    )
    CollectionItem.objects.bulk_create(
        CollectionItem(collection_id=_collection_id(title, cache), work=work)
        for title in record.collections
    )
    return work, created


def _work_upsert(work_id: int | None, fields: dict[str, Any], now: datetime) -> tuple[Work, bool]:
    if work_id is not None:
        existing = Work.objects.filter(pk=work_id).first()
        if existing is not None:
            for model in (Chapter, Creatorship, Tagging, SerialWork, CollectionItem):
                model.objects.filter(work_id=work_id).delete()
            for name, value in fields.items():
                setattr(existing, name, value)
            existing.save(update_fields=list(fields))
            return existing, False
    work = Work(id=work_id, created_at=now, **fields)
    work.save(force_insert=True)
    return work, True


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
        user_id = (
            User.objects.alias(login_lower=Lower("username"))
            .filter(login_lower=creator.login.lower())
            .values_list("pk", flat=True)
            .first()
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
        found = (
            Pseud.objects.alias(lower_name=Lower("name"))
            .filter(user_id=user_id, lower_name=creator.pseud.lower())
            .values_list("pk", flat=True)
            .first()
        )
        if found is None:
            found = Pseud.objects.create(user_id=user_id, name=creator.pseud).pk
        cache.pseuds[key] = found
    return cache.pseuds[key]


def _fixed_tag_ids(names: list[str], type: str, cache: ImportCache) -> list[int]:
    ids = []
    for name in names:
        key = tag_key(name)
        if key not in cache.tags:
            cache.tags[key] = Tag.objects.get(key=key, type=type)
        ids.append(cache.tags[key].pk)
    return ids


def _tag_ids(record: WorkRecord, cache: ImportCache) -> list[int]:
    """Tag ids in header order: rating, warnings, categories, then the user-defined types."""
    ids = _fixed_tag_ids([record.rating or "Not Rated"], TagType.RATING, cache)
    ids += _fixed_tag_ids(record.warnings, TagType.WARNING, cache)
    ids += _fixed_tag_ids(record.categories, TagType.CATEGORY, cache)
    for name, type in _TAG_FIELDS:
        names = getattr(record, name)
        if names:
            ids += [tag.pk for tag in tags_find_or_create(names, type, known=cache.tags)]
    return ids


def _series_id(title: str, user_id: int | None, cache: ImportCache) -> int:
    """A series of this title that the first creator already has works in, or a new one."""
    key = (title.casefold(), user_id)
    if key not in cache.series:
        series = (
            Series.objects.filter(title=title, works__creators__user_id=user_id or 0)
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


# Files -------------------------------------------------------------------------------------


@dataclass
class ImportReport:
    files: int = 0
    created: int = 0
    updated: int = 0
    failed: int = 0
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def record_files(paths: Iterable[Path]) -> Iterator[Path]:
    """The files named, and the record files (*.txt) inside the folders named, recursively."""
    for path in paths:
        if path.is_dir():
            yield from sorted(
                child
                for child in path.rglob("*")
                if child.suffix.lower() in RECORD_SUFFIXES
                and child.is_file()
                and not any(part.startswith(".") for part in child.relative_to(path).parts)
            )
        else:
            yield path


def records_import(
    paths: list[Path],
    *,
    skip_unknown_labels: bool = False,
    batch_size: int = 200,
    today: date | None = None,
    on_file: Callable[[Path], None] | None = None,
) -> ImportReport:
    """Import every record file; each file goes in whole or not at all.

    Files are committed in batches for speed; each file has a savepoint of its own inside the
    batch, so that a bad file leaves nothing behind and does not stop the others.
    """
    report = ImportReport()
    cache = ImportCache()
    batch: list[Path] = []

    def run(batch: list[Path]) -> None:
        with transaction.atomic():
            for path in batch:
                _import_file(path, cache, report, skip_unknown_labels, today)
                if on_file:
                    on_file(path)
            reset_sequence(Work)

    for path in record_files(paths):
        report.files += 1
        batch.append(path)
        if len(batch) >= batch_size:
            run(batch)
            batch = []
    if batch:
        run(batch)
    return report


def _import_file(
    path: Path,
    cache: ImportCache,
    report: ImportReport,
    skip_unknown_labels: bool,
    today: date | None,
) -> None:
    source = str(path)
    try:
        text = decode_record(path.read_bytes())
        result = parse_record(text, skip_unknown_labels=skip_unknown_labels, today=today)
    except OSError as error:
        report.failed += 1
        report.problems.append(f"{source}:1: cannot read the file: {error.strerror}")
        return
    except RecordError as error:
        report.failed += 1
        report.problems.extend(problem.format(source) for problem in error.problems)
        return
    try:
        with transaction.atomic():
            _work, created = record_import(result.record, cache)
    except (RecordImportError, DatabaseError) as error:
        cache.rollback()
        report.failed += 1
        report.problems.append(Problem(1, f"not imported: {error}").format(source))
        return
    cache.commit()
    report.warnings.extend(problem.format(source) for problem in result.warnings)
    if created:
        report.created += 1
    else:
        report.updated += 1
