"""The one way to find works: a WorkQuery and a viewer in, a page of works, the exact total
and the facet counts out. The search page, tag pages, the home listing and creator pages all
come through here.

The index only holds listable works (posted, not hidden), and guests' queries leave out
restricted works, so totals and facets never count what the viewer may not see; the works of a
page are then read from the database through the visibility rule once more, so that a work
hidden a moment ago is not shown while the indexer catches up.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import math
import os
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import tantivy
from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.utils.functional import cached_property

from ficarchive.search.documents import FACET_TYPES
from ficarchive.search.index import (
    facet_field,
    live_searcher,
    live_version,
    sort_field,
)
from ficarchive.search.query import ReaderFilter, Sort, WorkQuery
from ficarchive.search.tantivy_query import TantivyQuery, term
from ficarchive.tags.models import Tag, TagType

logger = logging.getLogger(__name__)

FACET_SIZE = 10
# Threads for one search's parts (page and total, two facet groups, the hidden count).
SEARCH_THREADS = 4
FACET_CACHE_SECONDS = 300
# Pages up to this offset are fetched while counting; deeper ones after, from the nearer end.
FIRST_PASS_OFFSET_MAX = 2000
# How many values of each facet an index segment reports. A segment counts every value it
# holds before keeping its top ones, so an index of one segment (a fresh build) gets its top
# ten exactly from the top thousand. Over several segments a value cut from one segment's
# list would be counted short, so there each segment reports all of its values: at a million
# works that costs a broad listing 5 to 15 ms more, where counting the shown values again
# took 30 to 37 ms (docs/search.md).
FACET_SEGMENT_SIZE = 1000
_ALL_VALUES = 2**32 - 1
_SORT_FIELDS = {
    Sort.CREATOR: sort_field("creator"),
    Sort.TITLE: sort_field("title"),
    Sort.POSTED: sort_field("posted"),
    Sort.UPDATED: sort_field("revised"),
    Sort.WORDS: sort_field("words"),
    Sort.HITS: sort_field("hits"),
    Sort.KUDOS: sort_field("kudos"),
    Sort.COMMENTS: sort_field("comments"),
    Sort.BOOKMARKS: sort_field("bookmarks"),
}


class SearchUnavailable(Exception):
    """There is no index to search yet (it is being built)."""


@dataclass(frozen=True)
class FacetValue:
    tag_id: int
    name: str
    count: int
    included: bool = False
    excluded: bool = False
    # What a form sends to choose it, when that is not the tag id (a language's code).
    param: str = ""


@dataclass(frozen=True)
class Facet:
    """The top values of one tag type (or the languages) among the results."""

    key: str
    label: str
    values: list[FacetValue]


@dataclass
class SearchResult:
    query: WorkQuery
    works: list[Any]
    total: int
    page: int
    facets: list[Facet] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    # How many more works the query finds without the reader's muted tags, muted users and
    # default filters (query.reader): what the listing's "hid N works" line says.
    hidden_by_reader: int = 0

    @cached_property
    def page_obj(self) -> Page:
        """The page as Django's paginator has it, for the listing templates."""
        paginator = _CountedPaginator(self.total, self.query.per_page)
        return Page(self.works, self.page, paginator)


class _CountedPaginator(Paginator):
    def __init__(self, total: int, per_page: int) -> None:
        super().__init__([], per_page, allow_empty_first_page=True)
        self.total = total

    @cached_property
    def count(self) -> int:
        return self.total


def search_works(query: WorkQuery, viewer: Any, *, facets: bool = True) -> SearchResult:
    """Run a query for a viewer. Raises SearchUnavailable while there is no index."""
    if getattr(settings, "SEARCH_INLINE", False):
        from ficarchive.search.indexer import inline

        inline.catch_up()
    searcher = live_searcher()
    if searcher is None:
        raise SearchUnavailable("The search index is being built.")
    built = TantivyQuery(query, viewer)
    tantivy_query = built.query
    # The index's parts of a search run side by side: Tantivy lets go of the GIL while it
    # searches, so the page with its total, the facets and the reader's hidden count take
    # the time of the slowest, not of all three (bench/search.py). Only Tantivy runs in the
    # threads; the database is read here, on the request's own connection.
    pool = _pool()
    first = pool.submit(_first_pass, searcher, tantivy_query, query)
    hidden = None
    if built.reader is not None:
        hidden = pool.submit(_count, searcher, built.base)
    facet_key = _facet_key(built) if facets else ""
    cached: list[Facet] | None = cache.get(facet_key) if facets else None
    counting = []
    if facets and cached is None:
        segment_size = FACET_SEGMENT_SIZE if searcher.num_segments == 1 else _ALL_VALUES
        counting = [
            pool.submit(searcher.aggregate, tantivy_query, group)
            for group in _facet_groups(_counts_many(query), segment_size)
        ]
    total, ids = first.result()
    pages = max(1, math.ceil(total / query.per_page))
    page = min(max(query.page, 1), pages)
    if ids is None or page != query.page:
        ids = _page_ids(searcher, tantivy_query, query, total, page) if total else []
    works = _load_works(ids, viewer)
    result = SearchResult(query, works, total, page, errors=list(built.errors))
    if hidden is not None:
        result.hidden_by_reader = hidden.result() - total
    if counting:
        counted = {key: value for part in counting for key, value in part.result().items()}
        cached = _facet_values(_facet_buckets(counted), query)
        cache.set(facet_key, cached, FACET_CACHE_SECONDS)
    if cached is not None:
        result.facets = cached
    return result


_POOL: tuple[int, ThreadPoolExecutor] | None = None


def _pool() -> ThreadPoolExecutor:
    """This process's threads for Tantivy (made again after a fork: threads do not survive
    one, and gunicorn and the index build fork)."""
    global _POOL
    if _POOL is None or _POOL[0] != os.getpid():
        _POOL = (os.getpid(), ThreadPoolExecutor(SEARCH_THREADS, thread_name_prefix="search"))
    return _POOL[1]


def listed_language_ids(viewer: Any) -> list[int] | None:
    """The languages of the works this viewer can find (what a search form offers), from the
    index and cached per committed index state; None while there is no index."""
    searcher = live_searcher()
    if searcher is None:
        return None
    authenticated = bool(viewer.is_authenticated)
    key = f"languages:{live_version()}:{authenticated}"
    found: list[int] | None = cache.get(key)
    if found is None:
        query = (
            tantivy.Query.all_query()
            if authenticated
            else tantivy.Query.boolean_query(
                [
                    (tantivy.Occur.Must, tantivy.Query.all_query()),
                    (tantivy.Occur.MustNot, term("restricted", True)),
                ]
            )
        )
        counted = searcher.aggregate(
            query, {"language": {"terms": {"field": "language_id", "size": 100_000}}}
        )
        found = sorted(int(b["key"]) for b in counted.get("language", {}).get("buckets", []))
        cache.set(key, found, FACET_CACHE_SECONDS)
    return found


def _facet_key(built: TantivyQuery) -> str:
    """Facets are cached per query and committed index state: a listing without filters
    counts every work, and many readers load it between two of the indexer's commits. The
    query as Tantivy has it says what is counted (a guest's leaves out restricted works); the
    reader's filters, thousands of ids, go in as their digest."""
    query = built.work_query
    parts = (
        live_version(),
        repr(built.base),
        _reader_digest(built.reader) if built.reader is not None else "",
        query.include_tag_ids,
        query.exclude_tag_ids,
    )
    return "facets:" + hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest()


@functools.lru_cache(maxsize=512)
def _reader_digest(reader: ReaderFilter) -> str:
    return hashlib.blake2b(repr(reader).encode(), digest_size=16).hexdigest()


def _first_pass(
    searcher: tantivy.Searcher, tantivy_query: Any, query: WorkQuery
) -> tuple[int, list[int] | None]:
    """The exact total, and the page's works in the same pass when the page is one of the
    first ones (nearly every request); deep pages are found after counting (_page_ids)."""
    offset = (max(query.page, 1) - 1) * query.per_page
    if offset > FIRST_PASS_OFFSET_MAX:
        return _count(searcher, tantivy_query), None
    sort = query.effective_sort()
    if sort == Sort.BEST:
        result: Any = searcher.search(tantivy_query, query.per_page, count=True, offset=offset)
    else:
        order = tantivy.Order.Asc if query.effective_ascending() else tantivy.Order.Desc
        result = searcher.search(
            tantivy_query,
            query.per_page,
            count=True,
            order_by_field=_SORT_FIELDS[sort],
            offset=offset,
            order=order,
        )
    return int(result.count), _ids(searcher, [address for _key, address in result.hits])


def _page_ids(
    searcher: tantivy.Searcher, tantivy_query: Any, query: WorkQuery, total: int, page: int
) -> list[int]:
    sort = query.effective_sort()
    per_page = query.per_page
    offset = (page - 1) * per_page
    limit = min(per_page, total - offset)
    if limit <= 0:
        return []
    if sort == Sort.BEST:
        hits = searcher.search(tantivy_query, limit, count=False, offset=offset).hits
        return _ids(searcher, [address for _score, address in hits])
    ascending = query.effective_ascending()
    reverse = offset > total // 2
    if reverse:
        # A deep page is found from the other end: the keys are unique (the work id is part
        # of each), so both ends agree on the order, and no page collects more than half.
        offset = total - offset - limit
        ascending = not ascending
    order = tantivy.Order.Asc if ascending else tantivy.Order.Desc
    hits = searcher.search(
        tantivy_query,
        limit,
        count=False,
        order_by_field=_SORT_FIELDS[sort],
        offset=offset,
        order=order,
    ).hits
    ids = _ids(searcher, [address for _key, address in hits])
    return ids[::-1] if reverse else ids


def _ids(searcher: tantivy.Searcher, addresses: Sequence[Any]) -> list[int]:
    if not addresses:
        return []
    values = searcher.fast_field_values("id", list(addresses))
    return [int(value) for value in values if value is not None]


def _count(searcher: tantivy.Searcher, query: Any) -> int:
    """The exact number of documents a query matches (the stubs do not know `count`)."""
    result: Any = searcher.search(query, 1, count=True)
    return int(result.count)


def _load_works(ids: list[int], viewer: Any) -> list[Any]:
    from ficarchive.works.models import Work

    if not ids:
        return []
    found = Work.objects.listed_for(viewer).filter(pk__in=ids).for_listing().in_bulk()
    return [found[pk] for pk in ids if pk in found]


# The facets and the index fields they count.
_FACET_FIELDS = {
    **{tag_type: facet_field(tag_type) for tag_type in FACET_TYPES},
    "language": "language_id",
}


def _facet_aggregations(segment_size: int) -> dict[str, Any]:
    return {
        key: {"terms": {"field": name, "size": FACET_SIZE, "segment_size": segment_size}}
        for key, name in _FACET_FIELDS.items()
    }


# Facets counted in two groups of about equal cost, side by side (the tag types with the most
# values per work cost the most).
_FACET_GROUPS = (
    ("character", "fandom", "rating", "warning"),
    ("freeform", "relationship", "category", "language"),
)


def _facet_groups(split: bool, segment_size: int) -> list[dict[str, Any]]:
    """The facet aggregations in one group, or in two of about equal cost to count side by
    side. Splitting pays when counting dominates (many matching works); when finding the works
    dominates (a narrow query, a reader's exclusions), two groups would find them twice."""
    aggregations = _facet_aggregations(segment_size)
    if not split:
        return [aggregations]
    groups = [{key: aggregations[key] for key in group} for group in _FACET_GROUPS]
    for key, aggregation in aggregations.items():
        if not any(key in group for group in groups):
            groups[-1][key] = aggregation
    return groups


def _counts_many(query: WorkQuery) -> bool:
    """Whether a query is likely to match many works: a listing, or one tag with at most
    exclusions, and no text (bench/search.py: selective and full-text queries are faster in
    one group, broad listings and their deep pages in two)."""
    narrowing = (
        query.has_text
        or len(query.include_tag_ids) + len(query.include_tag_names) > 1
        or query.rating_ids
        or query.language_ids
        or query.ranges
        or query.dates
    )
    return not narrowing


def _facet_buckets(counted: dict[str, Any]) -> dict[str, list[tuple[int, int]]]:
    """The top values of each facet, with their counts, from the aggregations' results."""
    return {
        key: [(int(b["key"]), int(b["doc_count"])) for b in counted.get(key, {}).get("buckets", [])]
        for key in _FACET_FIELDS
    }


def _facet_values(buckets: dict[str, list[tuple[int, int]]], query: WorkQuery) -> list[Facet]:
    """The facets as the sidebar shows them: names from the database, and the query's own
    excluded tags kept (with no works left) so that they can be let in again."""
    from ficarchive.works.models import Language

    tag_ids = {tag_id for key in FACET_TYPES for tag_id, _ in buckets[key]}
    tag_ids |= set(query.exclude_tag_ids) | set(query.include_tag_ids)
    tags = Tag.objects.only("name", "type").in_bulk(tag_ids)
    facets: list[Facet] = []
    included, excluded = set(query.include_tag_ids), set(query.exclude_tag_ids)
    for tag_type in FACET_TYPES:
        values = [
            FacetValue(tag_id, tags[tag_id].name, count, tag_id in included, tag_id in excluded)
            for tag_id, count in buckets[tag_type]
            if tag_id in tags
        ]
        shown = {value.tag_id for value in values}
        # Excluded tags stay in the sidebar (with no works left), so they can be let in again.
        for tag_id in query.exclude_tag_ids:
            tag = tags.get(tag_id)
            if tag is not None and tag.type == tag_type and tag_id not in shown:
                values.append(FacetValue(tag_id, tag.name, 0, excluded=True))
        facets.append(Facet(tag_type, TagType(tag_type).label, values))
    languages = Language.objects.in_bulk([pk for pk, _ in buckets["language"]])
    facets.append(
        Facet(
            "language",
            "Language",
            [
                FacetValue(
                    pk,
                    languages[pk].name,
                    count,
                    pk in query.language_ids,
                    param=languages[pk].code,
                )
                for pk, count in buckets["language"]
                if pk in languages
            ],
        )
    )
    return facets
