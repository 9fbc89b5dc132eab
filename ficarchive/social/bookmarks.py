"""Bookmarks: a reader keeps a work, a series or a work elsewhere on the web, with notes, their
own tags and two flags (private, recommendation), under one of their pseuds.

Who sees which bookmark is one read, `bookmarks_visible_to`, built on the works' visibility
rule (Work.objects.listed_for, and for a series works.series' rule): a private bookmark only
to its owner, and a bookmark of a work or series the viewer may not list to nobody, its owner
included (as listings do). A work's public bookmarks are counted in
Work.bookmarks_count, as comments are in comments_count, and search is told through the
change log.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from dataclasses import replace as dataclass_replace
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Max, Q, QuerySet
from django.utils import timezone

from ficarchive.accounts.models import Mute, Pseud, User
from ficarchive.accounts.muting import ReaderFilter
from ficarchive.core.changes import bookmarks_changed, works_changed
from ficarchive.core.html import render_userstuff
from ficarchive.social.models import (
    BOOKMARK_NOTES_MAX,
    BOOKMARK_TAGS_MAX,
    EXTERNAL_CREATOR_MAX,
    EXTERNAL_SUMMARY_MAX,
    EXTERNAL_TITLE_MAX,
    EXTERNAL_URL_MAX,
    Bookmark,
    BookmarkTagging,
    ExternalWork,
    ExternalWorkTagging,
)
from ficarchive.tags.models import FilterTagging, Tag, Tagging, TagType
from ficarchive.tags.names import clean_tag_name, tag_name_error
from ficarchive.tags.services import TagNameError, tags_find_or_create
from ficarchive.works.models import SerialWork, Series, Work
from ficarchive.works.pagecache import forget_work_pages
from ficarchive.works.querysets import WorkQuerySet

NOTES_TOO_LONG = f"Bookmark notes can have at most {BOOKMARK_NOTES_MAX:,} characters."
TOO_MANY_TAGS = f"A bookmark can have at most {BOOKMARK_TAGS_MAX} of your tags."
NOT_AVAILABLE = "You can only bookmark posted works and series that you can read."
NOT_YOUR_PSEUD = "Choose one of your own pseuds."
URL_INVALID = "Give the work's address as a full web address starting with http:// or https://."
ALREADY = (
    "You have already bookmarked this. Here is your bookmark, with what you just typed: "
    "save it to change your bookmark."
)

Item = Work | Series | ExternalWork


class BookmarkError(ValueError):
    """A bookmark the archive refuses; the message says why, for the reader."""


class AlreadyBookmarked(BookmarkError):
    """The reader has a bookmark of this item already: edit that one instead."""

    def __init__(self, bookmark: Bookmark) -> None:
        super().__init__(ALREADY)
        self.bookmark = bookmark


@dataclass
class BookmarkFields:
    """What the bookmark form gives: the pseud, notes as typed, tag names, the two flags."""

    pseud: Pseud
    notes: str = ""
    tags: Sequence[str] = ()
    private: bool = False
    rec: bool = False


@dataclass
class ExternalFields:
    """A work elsewhere on the web, as the first reader to bookmark it describes it."""

    url: str
    title: str
    creator: str
    summary: str = ""
    rating: str = ""
    fandoms: Sequence[str] = ()
    relationships: Sequence[str] = ()
    characters: Sequence[str] = ()
    freeforms: Sequence[str] = field(default_factory=tuple)


def split_tags(text: str) -> list[str]:
    """Comma-separated tag names, cleaned and each once (whatever their case)."""
    names: dict[str, str] = {}
    for part in text.split(","):
        name = clean_tag_name(part)
        if name:
            names.setdefault(name.casefold(), name)
    return list(names.values())


# Reads.


def muting_only(reader: ReaderFilter | None) -> ReaderFilter | None:
    """The muting part of a reader's filters: their default filters (complete, language) are
    for works listings, not for the bookmarks of others."""
    if reader is None:
        return None
    muting = dataclass_replace(reader, complete=None, language_ids=())
    return muting or None


def listed_works(viewer: Any, reader: ReaderFilter | None = None) -> WorkQuerySet:
    """The works whose bookmarks this viewer sees: those listed for them, less what they mute."""
    works = Work.objects.listed_for(viewer)
    muting = muting_only(reader)
    if muting is not None:
        works = works.without_muted(muting)
    return works


def bookmarks_visible_to(
    viewer: Any, reader: ReaderFilter | None = None, among: Sequence[int] | None = None
) -> QuerySet[Bookmark]:
    """The bookmarks this viewer may see: public ones and their own, of a work listed for
    them, of a series with such a work, or of an external work; less those by users they mute
    and of works, series and external works found by tags they mute.

    `among`: only these bookmarks (a page of ids the bookmark index found): the same rule,
    asked of their works only, which is milliseconds where asking it of every work is tens."""
    works = listed_works(viewer, reader)
    candidates = Bookmark.objects.all()
    if among is not None:
        candidates = Bookmark.objects.filter(pk__in=list(among))
        rows = list(candidates.values_list("work_id", "series_id"))
        series_ids = {series_id for _work_id, series_id in rows if series_id is not None}
        work_ids = {work_id for work_id, _series_id in rows if work_id is not None}
        work_ids.update(
            SerialWork.objects.filter(series_id__in=series_ids).values_list("work_id", flat=True)
        )
        # The rule asked of these works at once, its answer passed on as plain ids.
        shown = list(works.filter(pk__in=sorted(work_ids)).values_list("pk", flat=True))
        items = (
            Q(work_id__in=shown)
            | Q(
                series_id__in=list(
                    SerialWork.objects.filter(
                        work_id__in=shown, series_id__in=series_ids
                    ).values_list("series_id", flat=True)
                )
            )
            | Q(external_work__isnull=False)
        )
    else:
        shown_series = SerialWork.objects.filter(work__in=works.values("pk")).values("series_id")
        items = (
            Q(work_id__in=works.values("pk"))
            | Q(series_id__in=shown_series)
            | Q(external_work__isnull=False)
        )
    bookmarks = candidates.filter(items)
    if viewer.is_authenticated:
        bookmarks = bookmarks.filter(Q(private=False) | Q(user_id=viewer.pk))
    else:
        bookmarks = bookmarks.filter(private=False)
    muting = muting_only(reader)
    if muting is not None:
        if muting.muted_user_ids:
            bookmarks = bookmarks.exclude(user_id__in=list(muting.muted_user_ids))
        if muting.muted_tag_ids:
            muted = list(muting.muted_tag_ids)
            bookmarks = bookmarks.exclude(
                external_work__taggings__tag_id__in=Tag.objects.filter(
                    Q(pk__in=muted) | Q(merger_id__in=muted)
                ).values("pk")
            )
    return bookmarks


def bookmarks_by_tag(bookmarks: QuerySet[Bookmark], tag: Tag) -> QuerySet[Bookmark]:
    """Bookmarks found by a tag: their item carries it (a canonical tag through filter tags,
    as works listings do; a series through any of its works) or the bookmarker gave it."""
    work_ids: QuerySet[Any, Any]
    if tag.canonical:
        work_ids = FilterTagging.objects.filter(filter=tag).values("work_id")
        tag_ids = Tag.objects.filter(Q(pk=tag.pk) | Q(merger=tag)).values("pk")
    else:
        work_ids = Tagging.objects.filter(tag=tag).values("work_id")
        tag_ids = Tag.objects.filter(pk=tag.pk).values("pk")
    series_ids = SerialWork.objects.filter(work_id__in=work_ids).values("series_id")
    external_ids = ExternalWorkTagging.objects.filter(tag_id__in=tag_ids).values("external_work_id")
    given = BookmarkTagging.objects.filter(tag_id__in=tag_ids).values("bookmark_id")
    return bookmarks.filter(
        Q(work_id__in=work_ids)
        | Q(series_id__in=series_ids)
        | Q(external_work_id__in=external_ids)
        | Q(pk__in=given)
    )


def bookmark_of(user: Any, item: Item) -> Bookmark | None:
    """This user's bookmark of the item, if any."""
    if not user.is_authenticated:
        return None
    return Bookmark.objects.filter(_item_q(item), user_id=user.pk).first()


def bookmark_refusal(item: Item, user: Any) -> str | None:
    """Why this user may not bookmark the item (None when they may)."""
    if isinstance(item, Work) and not item.is_listed_for(user):
        return NOT_AVAILABLE
    return None


def _item_q(item: Item) -> Q:
    if isinstance(item, Work):
        return Q(work_id=item.pk)
    if isinstance(item, Series):
        return Q(series_id=item.pk)
    return Q(external_work_id=item.pk)


def _item_fields(item: Item) -> dict[str, Any]:
    if isinstance(item, Work):
        return {"work": item}
    if isinstance(item, Series):
        return {"series": item}
    return {"external_work": item}


# Writes.


def _clean(user: User, fields: BookmarkFields) -> tuple[str, list[Tag]]:
    """The sanitised notes and the tags, or BookmarkError."""
    if fields.pseud.user_id != user.pk:
        raise BookmarkError(NOT_YOUR_PSEUD)
    if len(fields.notes) > BOOKMARK_NOTES_MAX:
        raise BookmarkError(NOTES_TOO_LONG)
    names = list(dict.fromkeys(clean_tag_name(name) for name in fields.tags if name.strip()))
    if len(names) > BOOKMARK_TAGS_MAX:
        raise BookmarkError(TOO_MANY_TAGS + f" You gave {len(names)}.")
    for name in names:
        problem = tag_name_error(name)
        if problem:
            raise BookmarkError(f"Your tags: {problem}.")
    try:
        tags = tags_find_or_create((name, TagType.FREEFORM) for name in names)
    except TagNameError as error:
        raise BookmarkError(f"Your tags: {error}.") from None
    html = render_userstuff(fields.notes, allow_class=False) if fields.notes.strip() else ""
    return html, tags


def _set_tags(bookmark: Bookmark, tags: list[Tag]) -> None:
    BookmarkTagging.objects.filter(bookmark=bookmark).delete()
    BookmarkTagging.objects.bulk_create(
        BookmarkTagging(bookmark=bookmark, tag=tag, position=position)
        for position, tag in enumerate(tags)
    )


def _count(work_id: int | None, delta: int) -> None:
    """Keep Work.bookmarks_count (public bookmarks) and tell search and the guests' pages."""
    if work_id is None or not delta:
        return
    works = Work.objects.filter(pk=work_id)
    if delta < 0:
        works = works.filter(bookmarks_count__gte=-delta)
    works.update(bookmarks_count=F("bookmarks_count") + delta)
    # One change-log row a bookmark (a reader's deliberate act, like a comment, not a hit):
    # the index has the new count with its next pass, not after a later counter flush.
    works_changed([work_id], "bookmarks")
    transaction.on_commit(lambda: forget_work_pages(work_id))


@transaction.atomic
def bookmark_create(user: User, item: Item, fields: BookmarkFields) -> Bookmark:
    """Bookmark a work, a series or an external work that the caller fetched through the
    visibility rule; AlreadyBookmarked when the user has one of it, BookmarkError otherwise."""
    refusal = bookmark_refusal(item, user)
    if refusal is not None:
        raise BookmarkError(refusal)
    existing = bookmark_of(user, item)
    if existing is not None:
        raise AlreadyBookmarked(existing)
    html, tags = _clean(user, fields)
    try:
        with transaction.atomic():
            bookmark = Bookmark.objects.create(
                user=user,
                pseud=fields.pseud,
                notes=fields.notes,
                notes_html=html,
                private=fields.private,
                rec=fields.rec,
                **_item_fields(item),
            )
    except IntegrityError:
        # The same form sent twice at once: the constraint kept one.
        existing = bookmark_of(user, item)
        if existing is None:
            raise
        raise AlreadyBookmarked(existing) from None
    _set_tags(bookmark, tags)
    if not bookmark.private:
        _count(bookmark.work_id, +1)
    bookmarks_changed([bookmark.pk], "bookmark created")
    return bookmark


@transaction.atomic
def bookmark_update(bookmark: Bookmark, fields: BookmarkFields) -> Bookmark:
    user = bookmark.user
    html, tags = _clean(user, fields)
    was_private = bookmark.private
    bookmark.pseud = fields.pseud
    bookmark.notes, bookmark.notes_html = fields.notes, html
    bookmark.private, bookmark.rec = fields.private, fields.rec
    bookmark.updated_at = timezone.now()
    bookmark.save()
    _set_tags(bookmark, tags)
    if was_private != bookmark.private:
        _count(bookmark.work_id, -1 if bookmark.private else +1)
    bookmarks_changed([bookmark.pk], "bookmark changed")
    return bookmark


@transaction.atomic
def bookmark_delete(bookmark: Bookmark) -> None:
    if not bookmark.private:
        _count(bookmark.work_id, -1)
    bookmarks_changed([bookmark.pk], "bookmark deleted")
    bookmark.delete()


def _validate_external(fields: ExternalFields) -> ExternalFields:
    url = fields.url.strip()
    if len(url) > EXTERNAL_URL_MAX:
        raise BookmarkError(f"A web address can have at most {EXTERNAL_URL_MAX:,} characters.")
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        raise BookmarkError(URL_INVALID) from None
    title, creator = " ".join(fields.title.split()), " ".join(fields.creator.split())
    if not title:
        raise BookmarkError("Give the external work's title.")
    if len(title) > EXTERNAL_TITLE_MAX:
        raise BookmarkError(f"A title can have at most {EXTERNAL_TITLE_MAX} characters.")
    if not creator:
        raise BookmarkError("Give the external work's creator.")
    if len(creator) > EXTERNAL_CREATOR_MAX:
        raise BookmarkError(f"A creator can have at most {EXTERNAL_CREATOR_MAX} characters.")
    if len(fields.summary) > EXTERNAL_SUMMARY_MAX:
        raise BookmarkError(f"A summary can have at most {EXTERNAL_SUMMARY_MAX:,} characters.")
    if not [name for name in fields.fandoms if name.strip()]:
        raise BookmarkError("Give the external work at least one fandom.")
    return dataclass_replace(fields, url=url, title=title, creator=creator)


@transaction.atomic
def external_work_find_or_create(fields: ExternalFields) -> ExternalWork:
    """The external work at this address, described by `fields` if it is new: its rating,
    fandoms and other tags become tags (created where missing, for wranglers to wrangle)."""
    fields = _validate_external(fields)
    existing = ExternalWork.objects.filter(url=fields.url).first()
    if existing is not None:
        return existing
    wanted: list[tuple[str, str]] = []
    if fields.rating:
        wanted.append((fields.rating, TagType.RATING))
    for names, type in (
        (fields.fandoms, TagType.FANDOM),
        (fields.relationships, TagType.RELATIONSHIP),
        (fields.characters, TagType.CHARACTER),
        (fields.freeforms, TagType.FREEFORM),
    ):
        wanted.extend((name, type) for name in names if name.strip())
    if len(wanted) > BOOKMARK_TAGS_MAX:
        raise BookmarkError(f"An external work can have at most {BOOKMARK_TAGS_MAX} tags.")
    try:
        tags = tags_find_or_create(wanted)
    except TagNameError as error:
        raise BookmarkError(f"The external work's tags: {error}.") from None
    try:
        with transaction.atomic():
            external = ExternalWork.objects.create(
                url=fields.url, title=fields.title, creator=fields.creator, summary=fields.summary
            )
    except IntegrityError:
        return ExternalWork.objects.get(url=fields.url)
    ExternalWorkTagging.objects.bulk_create(
        ExternalWorkTagging(external_work=external, tag=tag, position=position)
        for position, tag in enumerate(tags)
    )
    return external


def bookmark_count(item: Item, viewer: Any, reader: ReaderFilter | None = None) -> int:
    """How many of the item's bookmarks this viewer may see (the "Bookmarks (N)" link)."""
    return bookmarks_visible_to(viewer, reader).filter(_item_q(item)).count()


def bookmark_summary(item: Work | Series, viewer: Any) -> tuple[int, int | None]:
    """For the page of a work or series the viewer is looking at (so listed for them): how
    many of its bookmarks they may see (public ones and their own, less those of users they
    mute) and the id of their own bookmark of it; one query."""
    own = Q(user_id=viewer.pk) if viewer.is_authenticated else Q(pk__in=[])
    shown = Q(private=False) | own
    bookmarks = Bookmark.objects.filter(_item_q(item))
    if viewer.is_authenticated:
        muted = Mute.objects.filter(user_id=viewer.pk).values("muted_id")
        shown &= ~Q(user_id__in=muted) | own
    values = bookmarks.aggregate(count=Count("pk", filter=shown), mine=Max("pk", filter=own))
    return values["count"], values["mine"]
