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

from ficarchive.accounts.muting import ReaderFilter
from ficarchive.search.facets import Facet, FacetCounting, counts_many, facet_values
from ficarchive.search.index import facet_field, live_searcher, live_version, sort_field
from ficarchive.search.indexer import inline
from ficarchive.search.query import Sort, WorkQuery
from ficarchive.search.tantivy_query import TantivyQuery, term
from ficarchive.works.models import Work

logger = logging.getLogger(__name__)

# Threads for one search's parts (page and total, two facet groups, the hidden count).
SEARCH_THREADS = 4
FACET_CACHE_SECONDS = 300
# Pages up to this offset are fetched while counting; deeper ones after, from the nearer end.
FIRST_PASS_OFFSET_MAX = 2000
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
    counting = None
    if facets and cached is None:
        counting = FacetCounting(pool, searcher, tantivy_query, split=counts_many(query))
    total, ids = first.result()
    pages = max(1, math.ceil(total / query.per_page))
    page = min(max(query.page, 1), pages)
    if ids is None or page != query.page:
        ids = _page_ids(searcher, tantivy_query, query, total, page) if total else []
    works = _load_works(ids, viewer)
    result = SearchResult(query, works, total, page, errors=list(built.errors))
    if hidden is not None:
        result.hidden_by_reader = hidden.result() - total
    if counting is not None:
        cached = facet_values(counting.buckets(), query)
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


def fandom_work_counts(query: WorkQuery, viewer: Any) -> dict[int, int]:
    """How many works this viewer may list under each fandom (its synonyms and sub tags
    counted, as filtering by it finds them), exact: every segment counts every value. Cached
    per committed index state, like the facets. Raises SearchUnavailable while there is no
    index."""
    if getattr(settings, "SEARCH_INLINE", False):
        inline.catch_up()
    searcher = live_searcher()
    if searcher is None:
        raise SearchUnavailable("The search index is being built.")
    built = TantivyQuery(query, viewer)
    key = "fandom-counts:" + _facet_key(built)
    found: dict[int, int] | None = cache.get(key)
    if found is None:
        every = {"terms": {"field": facet_field("fandom"), "size": _ALL, "segment_size": _ALL}}
        counted = searcher.aggregate(built.query, {"fandom": every})
        buckets = counted.get("fandom", {}).get("buckets", [])
        found = {int(bucket["key"]): int(bucket["doc_count"]) for bucket in buckets}
        cache.set(key, found, FACET_CACHE_SECONDS)
    return found


_ALL = 2**32 - 1


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

    if not ids:
        return []
    found = Work.objects.listed_for(viewer).filter(pk__in=ids).for_listing().in_bulk()
    return [found[pk] for pk in ids if pk in found]
