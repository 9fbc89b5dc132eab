"""Filtering a list of bookmarks: a typed `BookmarkQuery` read from a page's parameters, and the
database's answer to it over the bookmarks a viewer may see (bookmarks_visible_to), with exact
counts. Bad parameters are messages, never errors.

The item's tags are filter ids, as for works: a canonical tag finds works through their filter
tags (its synonyms and sub tags), a series through any of its works, an external work through
its own tags or their synonyms.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.db.models import Q, QuerySet
from django.http import QueryDict
from django.utils import timezone

from ficarchive.social.models import Bookmark, BookmarkTagging, ExternalWorkTagging
from ficarchive.tags.models import FilterTagging, Tag
from ficarchive.works.models import SerialWork

SORTS = {
    "created": ("-created_at", "-id"),
    "updated": ("-updated_at", "-id"),
}
# At most this many tags to include or leave out, as the works' filters allow.
FILTER_TAGS_MAX = 100


@dataclass(frozen=True)
class BookmarkQuery:
    include_tag_ids: tuple[int, ...] = ()  # the item's tags (filter ids); all must match
    exclude_tag_ids: tuple[int, ...] = ()  # the item's tags; none may match
    bookmarker_tag_ids: tuple[int, ...] = ()  # the bookmarker's own tags; all must match
    rec: bool = False
    with_notes: bool = False
    complete: bool | None = None  # works and series only
    words_from: int | None = None
    words_to: int | None = None
    bookmarked_from: date | None = None
    bookmarked_to: date | None = None
    text: str = ""  # words in the notes
    sort: str = "created"

    def __bool__(self) -> bool:
        return self != BookmarkQuery(sort=self.sort)


@dataclass
class ParsedBookmarkQuery:
    query: BookmarkQuery
    errors: list[str] = field(default_factory=list)


def _ids(values: list[str], label: str, errors: list[str]) -> tuple[int, ...]:
    ids = []
    for value in values[:FILTER_TAGS_MAX]:
        text = value.strip()
        if not text:
            continue
        if text.isascii() and text.isdigit() and len(text) < 19:
            ids.append(int(text))
        else:
            errors.append(f"{label}: {text[:20]!r} is not a tag id")
    return tuple(dict.fromkeys(ids))


def _number(params: QueryDict, name: str, errors: list[str]) -> int | None:
    text = params.get(name, "").strip().replace(",", "")
    if not text:
        return None
    if text.isascii() and text.isdigit() and len(text) < 10:
        return int(text)
    errors.append(f"{name}: {text[:20]!r} is not a whole number")
    return None


def _date(params: QueryDict, name: str, errors: list[str]) -> date | None:
    text = params.get(name, "").strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        errors.append(f"{name}: {text[:20]!r} is not a date such as 2024-01-31")
        return None


def _flag(params: QueryDict, name: str, errors: list[str]) -> bool | None:
    value = params.get(name, "").strip().lower()
    if value in ("", "any", "all"):
        return None
    if value in ("true", "1", "on", "yes"):
        return True
    if value in ("false", "0", "off", "no"):
        return False
    errors.append(f"{name}: {value[:20]!r} is not one of true, false or empty")
    return None


def parse_bookmark_query(params: QueryDict) -> ParsedBookmarkQuery:
    errors: list[str] = []
    names = [n for n in params.get("bookmarker_tags", "").split(",") if n.strip()]
    bookmarker_ids = [
        tag.filter_tag_id or tag.pk
        for tag in (Tag.objects.named(name).first() for name in names[:FILTER_TAGS_MAX])
        if tag is not None
    ]
    if len(bookmarker_ids) < len(names[:FILTER_TAGS_MAX]):
        # A name that is no tag finds nothing, as on a tag page.
        bookmarker_ids.append(0)
    sort = params.get("sort", "created")
    if sort not in SORTS:
        errors.append(f"sort: {sort[:20]!r} is not one of {', '.join(SORTS)}")
        sort = "created"
    query = BookmarkQuery(
        include_tag_ids=_ids(params.getlist("include"), "include", errors),
        exclude_tag_ids=_ids(params.getlist("exclude"), "exclude", errors),
        bookmarker_tag_ids=tuple(bookmarker_ids),
        rec=_flag(params, "rec", errors) is True,
        with_notes=_flag(params, "with_notes", errors) is True,
        complete=_flag(params, "complete", errors),
        words_from=_number(params, "words_from", errors),
        words_to=_number(params, "words_to", errors),
        bookmarked_from=_date(params, "bookmarked_from", errors),
        bookmarked_to=_date(params, "bookmarked_to", errors),
        text=" ".join(params.get("q", "").split())[:200],
        sort=sort,
    )
    return ParsedBookmarkQuery(query, errors)


def _found_by_tag(tag_id: int) -> Q:
    """Bookmarks whose item carries this tag as a filter id."""
    work_ids = FilterTagging.objects.filter(filter_id=tag_id).values("work_id")
    series_ids = SerialWork.objects.filter(work_id__in=work_ids).values("series_id")
    tag_ids = Tag.objects.filter(Q(pk=tag_id) | Q(merger_id=tag_id)).values("pk")
    external_ids = ExternalWorkTagging.objects.filter(tag_id__in=tag_ids).values("external_work_id")
    return (
        Q(work_id__in=work_ids) | Q(series_id__in=series_ids) | Q(external_work_id__in=external_ids)
    )


def day_moment(day: date, end: bool) -> datetime:
    """The first or last moment of a day, in the archive's time zone."""
    return timezone.make_aware(datetime.combine(day, time.max if end else time.min))


def bookmarks_filtered(bookmarks: QuerySet[Bookmark], query: BookmarkQuery) -> QuerySet[Bookmark]:
    """These bookmarks, less those the query leaves out, in its order."""
    for tag_id in query.include_tag_ids:
        bookmarks = bookmarks.filter(_found_by_tag(tag_id))
    for tag_id in query.exclude_tag_ids:
        bookmarks = bookmarks.exclude(_found_by_tag(tag_id))
    for tag_id in query.bookmarker_tag_ids:
        given = Tag.objects.filter(Q(pk=tag_id) | Q(merger_id=tag_id)).values("pk")
        bookmarks = bookmarks.filter(
            pk__in=BookmarkTagging.objects.filter(tag_id__in=given).values("bookmark_id")
        )
    if query.rec:
        bookmarks = bookmarks.filter(rec=True)
    if query.with_notes:
        bookmarks = bookmarks.exclude(notes_html="")
    if query.complete is not None:
        bookmarks = bookmarks.filter(
            Q(work__complete=query.complete) | Q(series__complete=query.complete)
        )
    if query.words_from is not None:
        bookmarks = bookmarks.filter(work__word_count__gte=query.words_from)
    if query.words_to is not None:
        bookmarks = bookmarks.filter(work__word_count__lte=query.words_to)
    if query.bookmarked_from is not None:
        bookmarks = bookmarks.filter(created_at__gte=day_moment(query.bookmarked_from, False))
    if query.bookmarked_to is not None:
        bookmarks = bookmarks.filter(created_at__lte=day_moment(query.bookmarked_to, True))
    for word in query.text.split()[:10]:
        bookmarks = bookmarks.filter(notes__icontains=word)
    return bookmarks.order_by(*SORTS[query.sort])
