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
import re
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import tantivy
from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.utils.functional import cached_property

from ficarchive.search.documents import FACET_TYPES, IDEOGRAPHS, spaced_ideographs
from ficarchive.search.index import (
    SCHEMA,
    TEXT_FIELDS,
    facet_field,
    live_searcher,
    live_version,
    sort_field,
)
from ficarchive.search.query import DateRange, NumberRange, ReaderFilter, Sort, WorkQuery
from ficarchive.tags.models import Tag, TagType

logger = logging.getLogger(__name__)

FACET_SIZE = 10
# Threads for one search's parts (page and total, two facet groups, the hidden count).
SEARCH_THREADS = 4
FACET_CACHE_SECONDS = 300
# Pages up to this offset are fetched while counting; deeper ones after, from the nearer end.
FIRST_PASS_OFFSET_MAX = 2000
# Each segment reports this many candidates per facet; with few segments that makes the top
# ten exact, and the counts are made exact below whenever Tantivy says they might not be.
FACET_SEGMENT_SIZE = 1000
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
_DATE_FIELDS = {"posted": "posted", "updated": "revised"}


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
    built = _TantivyQuery(query, viewer)
    tantivy_query = built.query()
    # The index's parts of a search run side by side: Tantivy lets go of the GIL while it
    # searches, so the page with its total, the facets and the reader's hidden count take
    # the time of the slowest, not of all three (bench/search.py). Only Tantivy runs in the
    # threads; the database is read here, on the request's own connection.
    pool = _pool()
    first = pool.submit(_first_pass, searcher, tantivy_query, query)
    hidden = None
    if query.effective_reader():
        hidden = pool.submit(_count, searcher, built.query(with_reader=False))
    facet_key = _facet_key(tantivy_query, query) if facets else ""
    cached: list[Facet] | None = cache.get(facet_key) if facets else None
    counting = []
    if facets and cached is None:
        counting = [
            pool.submit(searcher.aggregate, tantivy_query, group)
            for group in _facet_groups(split=_counts_many(query))
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
        buckets = _facet_buckets(searcher, tantivy_query, counted) if total else _no_buckets()
        cached = _facet_values(buckets, query)
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
                    (tantivy.Occur.MustNot, _term("restricted", True)),
                ]
            )
        )
        counted = searcher.aggregate(
            query, {"language": {"terms": {"field": "language_id", "size": 100_000}}}
        )
        found = sorted(int(b["key"]) for b in counted.get("language", {}).get("buckets", []))
        cache.set(key, found, FACET_CACHE_SECONDS)
    return found


def _facet_key(tantivy_query: Any, query: WorkQuery) -> str:
    """Facets are cached per query and committed index state: a listing without filters
    counts every work, and many readers load it between two of the indexer's commits."""
    parts = (live_version(), repr(tantivy_query), query.include_tag_ids, query.exclude_tag_ids)
    return "facets:" + hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest()


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


class _TantivyQuery:
    """A WorkQuery for a viewer as a Tantivy query."""

    def __init__(self, query: WorkQuery, viewer: Any) -> None:
        self.work_query = query
        self.viewer = viewer
        self.errors: list[str] = []

    def query(self, *, with_reader: bool = True) -> Any:
        query = self.work_query
        must: list[Any] = []
        must_not: list[Any] = []
        if with_reader:
            self._reader_clauses(must, must_not)
        if not self.viewer.is_authenticated:
            if query.restricted:
                return tantivy.Query.empty_query()
            must_not.append(_term("restricted", True))
        elif query.restricted is not None:
            must.append(_term("restricted", query.restricted))
        for tag_id in query.include_tag_ids:
            must.append(_term("filter_ids", tag_id))
        for tag_id in query.exclude_tag_ids:
            must_not.append(_term("filter_ids", tag_id))
        if query.rating_ids:
            must.append(tantivy.Query.term_set_query(SCHEMA, "filter_ids", list(query.rating_ids)))
        if query.language_ids:
            must.append(
                tantivy.Query.term_set_query(SCHEMA, "language_id", list(query.language_ids))
            )
        for name in ("complete", "single_chapter", "crossover", "otp"):
            value = getattr(query, name)
            if value is not None:
                must.append(_term(name, value))
        for name, bounds in query.ranges.items():
            must.append(_number_range(name, bounds))
        for name, date_bounds in query.dates.items():
            range_query = _date_range(_DATE_FIELDS[name], date_bounds)
            if range_query is not None:
                must.append(range_query)
        must.extend(self._creator_clauses())
        for name in query.include_tag_names:
            must.append(self._text(_phrase(name), ["tags"]))
        for name in query.exclude_tag_names:
            must_not.append(self._text(_phrase(name), ["tags"]))

        text = [
            self._text(query.text, list(TEXT_FIELDS)) if query.text.strip() else None,
            self._text(query.title, ["title"]) if query.title.strip() else None,
            self._text(query.creators, ["creators"]) if query.creators.strip() else None,
        ]
        scored = [clause for clause in text if clause is not None]
        filters = [(tantivy.Occur.Must, clause) for clause in must] + [
            (tantivy.Occur.MustNot, clause) for clause in must_not
        ]
        if not filters and not scored:
            return tantivy.Query.all_query()
        if not must:
            # Only exclusions: they need something to exclude from.
            filters.append((tantivy.Occur.Must, tantivy.Query.all_query()))
        if not scored:
            return tantivy.Query.boolean_query(filters)
        # Filters must not change best-match scores: they count for nothing.
        filter_query = tantivy.Query.const_score_query(tantivy.Query.boolean_query(filters), 0.0)
        clauses = [(tantivy.Occur.Must, clause) for clause in scored]
        return tantivy.Query.boolean_query([*clauses, (tantivy.Occur.Must, filter_query)])

    def _reader_clauses(self, must: list[Any], must_not: list[Any]) -> None:
        """The reader's own filters (WorkQuery.effective_reader says which apply)."""
        reader = self.work_query.effective_reader()
        if reader is not None:
            reader_must, reader_must_not = _reader_queries(reader)
            must.extend(reader_must)
            must_not.extend(reader_must_not)

    def _creator_clauses(self) -> list[Any]:
        query = self.work_query
        own = (
            self.viewer.is_authenticated
            and query.creator_user_id is not None
            and self.viewer.pk == query.creator_user_id
        )
        clauses = []
        if query.creator_user_id is not None:
            name = "private_user_ids" if own else "user_ids"
            clauses.append(_term(name, query.creator_user_id))
        if query.creator_pseud_id is not None:
            name = "private_pseud_ids" if own else "pseud_ids"
            clauses.append(_term(name, query.creator_pseud_id))
        return clauses

    def _text(self, text: str, fields: list[str]) -> Any:
        index = _parser_index()
        boosts = {name: TEXT_FIELDS[name] for name in fields if TEXT_FIELDS[name] != 1.0}
        text = _prepared_text(_safe_fields(text))
        try:
            parsed, errors = index.parse_query_lenient(
                text, fields, field_boosts=boosts, conjunction_by_default=True
            )
            if errors and any("only excluding" in str(error).lower() for error in errors):
                # `-creators:someone` alone: everything but that.
                parsed, errors = index.parse_query_lenient(
                    "* " + text, fields, field_boosts=boosts, conjunction_by_default=True
                )
        except ValueError as error:
            self.errors.append(f"Your search could not be read: {error}")
            return tantivy.Query.empty_query()
        if errors:
            self.errors.append(
                "Part of your search could not be read and was left out; check quotes and brackets."
            )
        return parsed


@functools.lru_cache(maxsize=512)
def _reader_queries(reader: ReaderFilter) -> tuple[list[Any], list[Any]]:
    """A reader's clauses, kept built: with thousands of muted users, making the term sets
    anew cost a millisecond a search, and a reader's filters change rarely."""
    must: list[Any] = []
    must_not: list[Any] = []
    if reader.muted_tag_ids:
        must_not.append(
            tantivy.Query.term_set_query(SCHEMA, "filter_ids", list(reader.muted_tag_ids))
        )
    if reader.muted_user_ids:
        # Public creators only: hiding anonymous works too would tell who wrote them.
        must_not.append(
            tantivy.Query.term_set_query(SCHEMA, "user_ids", list(reader.muted_user_ids))
        )
    if reader.complete is not None:
        must.append(_term("complete", reader.complete))
    if reader.language_ids:
        must.append(tantivy.Query.term_set_query(SCHEMA, "language_id", list(reader.language_ids)))
    return must, must_not


_FIELD = re.compile(r"(?P<neg>[-+]?)(?P<name>\b[A-Za-z_]+):")
# Field names readers use for the text fields.
_FIELD_ALIASES = {
    "creator": "creators",
    "author": "creators",
    "authors": "creators",
    "tag": "tags",
    "endnotes": "notes",
    "body": "text",
    "chapters": "text",
}


def _safe_fields(text: str) -> str:
    """Only the text fields may be named in the free text (`title:`, `summary:`...): the
    index's other fields (creator ids of anonymous works, for one) are not for queries."""

    def field_name(found: re.Match[str]) -> str:
        name = found["name"].lower()
        name = _FIELD_ALIASES.get(name, name)
        if name in TEXT_FIELDS:
            return f"{found['neg']}{name}:"
        return f"{found['neg']}{found['name']} "

    return _FIELD.sub(field_name, text)


_IDEOGRAPH_RUN = re.compile(f"[{IDEOGRAPHS}]+")


def _prepared_text(text: str) -> str:
    """A query with its ideographs spaced as the index has them: a run of them outside quotes
    becomes a phrase, as a word would be."""
    parts = text.split('"')
    for position, part in enumerate(parts):
        if position % 2:
            parts[position] = spaced_ideographs(part)
        else:
            parts[position] = _IDEOGRAPH_RUN.sub(
                lambda found: '"' + " ".join(found.group()) + '"', part
            )
    return '"'.join(parts)


def _parser_index() -> tantivy.Index:
    """An empty in-memory index with the archive's schema and tokenizer: what parses text
    queries, whichever index folder is live."""
    global _PARSER
    if _PARSER is None:
        from ficarchive.search.index import TOKENIZER, _analyzer

        index = tantivy.Index(SCHEMA)
        index.register_tokenizer(TOKENIZER, _analyzer())
        _PARSER = index
    return _PARSER


_PARSER: tantivy.Index | None = None


def _term(name: str, value: Any) -> Any:
    return tantivy.Query.term_query(SCHEMA, name, value)


def _phrase(name: str) -> str:
    return '"' + name.replace("\\", " ").replace('"', " ") + '"'


def _number_range(name: str, bounds: NumberRange) -> Any:
    low = None if bounds.low is None else max(0, bounds.low)
    high = bounds.high
    if high is not None and high < 0:
        return tantivy.Query.empty_query()
    if low is None and high is None:
        return tantivy.Query.all_query()
    return tantivy.Query.range_query(SCHEMA, name, tantivy.FieldType.Unsigned, low, high)


def _date_range(name: str, bounds: DateRange) -> Any:
    if bounds.low is None and bounds.high is None:
        return None
    return tantivy.Query.range_query(
        SCHEMA, name, tantivy.FieldType.Date, _utc(bounds.low), _utc(bounds.high)
    )


def _utc(moment: datetime | None) -> datetime | None:
    return None if moment is None else moment.astimezone(UTC)


def _facet_aggregations() -> dict[str, Any]:
    aggregations: dict[str, Any] = {
        tag_type: {
            "terms": {
                "field": facet_field(tag_type),
                "size": FACET_SIZE,
                "segment_size": FACET_SEGMENT_SIZE,
            }
        }
        for tag_type in FACET_TYPES
    }
    aggregations["language"] = {
        "terms": {"field": "language_id", "size": FACET_SIZE, "segment_size": FACET_SEGMENT_SIZE}
    }
    return aggregations


# Facets counted in two groups of about equal cost, side by side (the tag types with the most
# values per work cost the most).
_FACET_GROUPS = (
    ("character", "fandom", "rating", "warning"),
    ("freeform", "relationship", "category", "language"),
)


def _no_buckets() -> dict[str, list[tuple[int, int]]]:
    return {key: [] for key in _facet_aggregations()}


def _facet_groups(split: bool) -> list[dict[str, Any]]:
    """The facet aggregations in one group, or in two of about equal cost to count side by
    side. Splitting pays when counting dominates (many matching works); when finding the works
    dominates (a narrow query, a reader's exclusions), two groups would find them twice."""
    aggregations = _facet_aggregations()
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


def _facet_buckets(
    searcher: tantivy.Searcher, tantivy_query: Any, counted: dict[str, Any]
) -> dict[str, list[tuple[int, int]]]:
    """The top values of each facet from the aggregations' results, with exact counts."""
    buckets: dict[str, list[tuple[int, int]]] = {}
    inexact = []
    for key in _facet_aggregations():
        result = counted.get(key, {})
        buckets[key] = [(int(b["key"]), int(b["doc_count"])) for b in result.get("buckets", [])]
        if result.get("doc_count_error_upper_bound", 0):
            inexact.append(key)
    if inexact:
        buckets.update(
            _exact_counts(searcher, tantivy_query, {key: buckets[key] for key in inexact})
        )
    return buckets


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


def _exact_counts(
    searcher: tantivy.Searcher, tantivy_query: Any, shown: dict[str, list[tuple[int, int]]]
) -> dict[str, list[tuple[int, int]]]:
    """Count the shown values of these facets exactly, when the terms aggregation says their
    counts may be low (it counts the top values of each segment): one range aggregation over
    all of them, a range of one value each. A work has each tag once, so values are works."""
    aggregations = {
        key: {
            "range": {
                "field": "language_id" if key == "language" else facet_field(key),
                "ranges": [{"from": value, "to": value + 1} for value in sorted(dict(pairs))],
            }
        }
        for key, pairs in shown.items()
        if pairs
    }
    counted = searcher.aggregate(tantivy_query, aggregations) if aggregations else {}
    exact = {}
    for key, pairs in shown.items():
        counts = {
            int(bucket["from"]): int(bucket["doc_count"])
            for bucket in counted.get(key, {}).get("buckets", [])
            if "from" in bucket and bucket.get("to") == bucket["from"] + 1
        }
        found = [(value, counts.get(value, 0)) for value, _estimate in pairs]
        exact[key] = sorted(found, key=lambda pair: (-pair[1], pair[0]))
    return exact
