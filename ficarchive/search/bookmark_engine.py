"""The one way to list bookmarks: a BookmarkQuery, a viewer and a scope (a user's, a work's, a
series', a tag's bookmarks, or one) in, the exact total and a page of bookmarks out.

The bookmark index answers (search.bookmark_index); the page's bookmarks are then read
through bookmarks_visible_to again, so that a bookmark made private or of a work hidden a
moment ago is not shown while the indexer catches up. Where there is no bookmark index yet
(it is being built), the database answers the same query (bookmark_filters).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import tantivy
from django.conf import settings
from django.db.models import QuerySet

from ficarchive.accounts.muting import ReaderFilter
from ficarchive.search.bookmark_index import (
    BOOKMARK_SCHEMA,
    BOOKMARK_SCHEMA_VERSION,
    bookmark_search_dir,
    micros,
)
from ficarchive.search.index import reader_for, register_tokenizers
from ficarchive.search.indexer import inline
from ficarchive.social.bookmark_filters import (
    BookmarkQuery,
    bookmarks_filtered,
    day_moment,
)
from ficarchive.social.bookmarks import bookmarks_by_tag, bookmarks_visible_to, muting_only
from ficarchive.social.models import Bookmark
from ficarchive.tags.models import Tag

PER_PAGE = 20
TEXT_WORDS_MAX = 10
_WORD = re.compile(r"[^\W_]+")
_SORT_FIELDS = {"created": "sort_created", "updated": "sort_updated"}

_reader = reader_for(bookmark_search_dir, BOOKMARK_SCHEMA_VERSION, BOOKMARK_SCHEMA)


@dataclass(frozen=True)
class BookmarkScope:
    """Whose or what's bookmarks a page lists; nothing set: all a viewer may see."""

    owner_id: int | None = None
    work_id: int | None = None
    series_id: int | None = None
    tag: Tag | None = None
    bookmark_id: int | None = None


@dataclass
class BookmarkResult:
    total: int
    page: int
    per_page: int
    ids: list[int] = field(default_factory=list)
    bookmarks: list[Bookmark] = field(default_factory=list)
    # Which path answered: "index", or "database" while there is no bookmark index.
    source: str = "index"


def live_bookmark_searcher() -> tantivy.Searcher | None:
    return _reader.searcher()


def search_bookmarks(
    query: BookmarkQuery,
    viewer: Any,
    scope: BookmarkScope,
    *,
    page: int = 1,
    per_page: int = PER_PAGE,
    reader: ReaderFilter | None = None,
    for_listing: Any = None,
) -> BookmarkResult:
    """A page of the bookmarks the query finds among those the viewer may see in the scope,
    with their exact number. `for_listing` (QuerySet -> QuerySet) adds what the page's rows
    need (select_related and the like)."""
    if getattr(settings, "SEARCH_INLINE", False):
        inline.catch_up()
    searcher = _reader.searcher()
    if searcher is None or scope.bookmark_id is not None:
        # No index yet; or one bookmark, which the database reads at once and exactly, fresh
        # the moment after it is saved (the page a new bookmark redirects to).
        return _database(query, viewer, scope, page, per_page, reader, for_listing)
    tantivy_query = bookmark_tantivy_query(query, viewer, scope, reader)
    total = _count(searcher, tantivy_query)
    pages = max(1, -(-total // per_page))
    page = min(max(page, 1), pages)
    ids: list[int] = []
    if total:
        hits = searcher.search(
            tantivy_query,
            per_page,
            count=False,
            order_by_field=_SORT_FIELDS.get(query.sort, "sort_created"),
            offset=(page - 1) * per_page,
            order=tantivy.Order.Desc,
        ).hits
        values = searcher.fast_field_values("id", [address for _key, address in hits])
        ids = [int(value) for value in values if value is not None]
    rows = bookmarks_visible_to(viewer, reader, among=ids)
    if for_listing is not None:
        rows = for_listing(rows)
    found = {bookmark.pk: bookmark for bookmark in rows}
    shown = [found[pk] for pk in ids if pk in found]
    return BookmarkResult(total, page, per_page, ids, shown)


def scoped_bookmarks(
    viewer: Any, scope: BookmarkScope, reader: ReaderFilter | None = None
) -> QuerySet[Bookmark]:
    """The database's version of a scope: the bookmarks the viewer may see in it."""
    bookmarks = bookmarks_visible_to(viewer, reader)
    if scope.owner_id is not None:
        bookmarks = bookmarks.filter(user_id=scope.owner_id)
    if scope.work_id is not None:
        bookmarks = bookmarks.filter(work_id=scope.work_id)
    if scope.series_id is not None:
        bookmarks = bookmarks.filter(series_id=scope.series_id)
    if scope.bookmark_id is not None:
        bookmarks = bookmarks.filter(pk=scope.bookmark_id)
    if scope.tag is not None:
        bookmarks = bookmarks_by_tag(bookmarks, scope.tag)
    return bookmarks


def _database(
    query: BookmarkQuery,
    viewer: Any,
    scope: BookmarkScope,
    page: int,
    per_page: int,
    reader: ReaderFilter | None,
    for_listing: Any,
) -> BookmarkResult:
    ordered = bookmarks_filtered(scoped_bookmarks(viewer, scope, reader), query)
    total = ordered.count()
    pages = max(1, -(-total // per_page))
    page = min(max(page, 1), pages)
    start = (page - 1) * per_page
    rows = for_listing(ordered) if for_listing is not None else ordered
    shown = list(rows[start : start + per_page])
    return BookmarkResult(total, page, per_page, [b.pk for b in shown], shown, source="database")


def _term(name: str, value: Any) -> Any:
    return tantivy.Query.term_query(BOOKMARK_SCHEMA, name, value)


def _any(name: str, values: Any) -> Any:
    return tantivy.Query.term_set_query(BOOKMARK_SCHEMA, name, sorted(values))


def _range(name: str, low: int | None, high: int | None) -> Any:
    return tantivy.Query.range_query(BOOKMARK_SCHEMA, name, tantivy.FieldType.Unsigned, low, high)


def _either(*clauses: Any) -> Any:
    return tantivy.Query.boolean_query([(tantivy.Occur.Should, clause) for clause in clauses])


def bookmark_tantivy_query(
    query: BookmarkQuery, viewer: Any, scope: BookmarkScope, reader: ReaderFilter | None = None
) -> Any:
    """The query as the bookmark index has it, with the viewer's half of the visibility rule
    (the index holds the other): guests never find restricted items nor private bookmarks;
    a logged-in viewer finds private bookmarks only of their own."""
    must: list[Any] = [tantivy.Query.all_query()]
    must_not: list[Any] = []
    if viewer.is_authenticated:
        must.append(_either(_term("private", False), _term("user_id", viewer.pk)))
    else:
        must_not.extend([_term("restricted", True), _term("private", True)])
    muting = muting_only(reader)
    if muting is not None:
        if muting.muted_user_ids:
            must_not.append(_any("user_id", muting.muted_user_ids))
            must_not.append(_any("creator_ids", muting.muted_user_ids))
        if muting.muted_tag_ids:
            must_not.append(_any("muted_tag_ids", muting.muted_tag_ids))
    for name, value in (
        ("user_id", scope.owner_id),
        ("work_id", scope.work_id),
        ("series_id", scope.series_id),
        ("id", scope.bookmark_id),
    ):
        if value is not None:
            must.append(_term(name, value))
    if scope.tag is not None:
        # A tag's page: the item carries it (a canonical tag as a filter id, another tag as
        # itself) or the bookmarker gave it (or a synonym of it).
        item_field = "filter_ids" if scope.tag.canonical else "item_tag_ids"
        must.append(
            _either(_term(item_field, scope.tag.pk), _term("bookmarker_tag_ids", scope.tag.pk))
        )
    for tag_id in query.include_tag_ids:
        must.append(_term("filter_ids", tag_id))
    for tag_id in query.exclude_tag_ids:
        must_not.append(_term("filter_ids", tag_id))
    for tag_id in query.bookmarker_tag_ids:
        must.append(_term("bookmarker_tag_ids", tag_id))
    if query.rec:
        must.append(_term("rec", True))
    if query.with_notes:
        must.append(_term("with_notes", True))
    if query.complete is not None:
        must.append(_term("complete", query.complete))
    if query.words_from is not None or query.words_to is not None:
        if (
            query.words_to is not None
            and query.words_from is not None
            and (query.words_to < query.words_from)
        ):
            return tantivy.Query.empty_query()
        must.append(_range("words", query.words_from, query.words_to))
    if query.bookmarked_from is not None or query.bookmarked_to is not None:
        low = micros(day_moment(query.bookmarked_from, False)) if query.bookmarked_from else None
        high = micros(day_moment(query.bookmarked_to, True)) if query.bookmarked_to else None
        if low is not None and high is not None and high < low:
            return tantivy.Query.empty_query()
        must.append(_range("created", low, high))
    for word in query.text.split()[:TEXT_WORDS_MAX]:
        must.append(_notes_word(word))
    return tantivy.Query.boolean_query(
        [(tantivy.Occur.Must, clause) for clause in must]
        + [(tantivy.Occur.MustNot, clause) for clause in must_not]
    )


def _notes_word(word: str) -> Any:
    """A word of the notes query: its letters and digits as a phrase in the notes (the
    database path looks for the word inside others too; the index finds whole words)."""
    parts = _WORD.findall(word)
    if not parts:
        return tantivy.Query.all_query()
    return _parser().parse_query('"' + " ".join(parts) + '"', ["notes"])


def _parser() -> tantivy.Index:
    global _PARSER
    if _PARSER is None:
        index = tantivy.Index(BOOKMARK_SCHEMA)
        register_tokenizers(index)
        _PARSER = index
    return _PARSER


_PARSER: tantivy.Index | None = None


def _count(searcher: tantivy.Searcher, query: Any) -> int:
    result: Any = searcher.search(query, 1, count=True)
    return int(result.count)
