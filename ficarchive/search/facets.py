"""The filter sidebar's facet counts: the ten commonest values of each tag type and of the
languages among a search's results, with exact counts, counted in the index while the search
finds its page (search.engine).

Tantivy's terms aggregation counts the values of each index segment and keeps the top ones of
each before merging them, so a value cut from one segment's list could be counted short.
Three cases keep the values and their counts exact (docs/search.md, "Facets"):

- One segment (what a full build writes): it counted every value before it cut, so its top
  ten come exactly from its top FACET_SEGMENT_SIZE.
- The build's one segment and the indexer's segments since: the build's documents are counted
  apart, as one segment, and the later ones apart with every value; where a value the build's
  list cut could still belong in the top ten, that facet is counted again with every value.
- Otherwise (a build that wrote several segments) every segment reports every value.
"""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import tantivy

from ficarchive.search.documents import FACET_TYPES
from ficarchive.search.index import BUILT, facet_field, live_build_segments
from ficarchive.search.query import WorkQuery
from ficarchive.search.tantivy_query import term
from ficarchive.tags.models import Tag, TagType
from ficarchive.works.models import Language

FACET_SIZE = 10
# How many values of each facet a segment reports where that is enough (see above).
FACET_SEGMENT_SIZE = 1000
_ALL_VALUES = 2**32 - 1
# The facets and the index fields they count.
FACET_FIELDS = {
    **{tag_type: facet_field(tag_type) for tag_type in FACET_TYPES},
    "language": "language_id",
}
# Facets counted in two groups of about equal cost, side by side (the tag types with the most
# values per work cost the most).
_GROUPS = (
    ("character", "fandom", "rating", "warning"),
    ("freeform", "relationship", "category", "language"),
)

Buckets = dict[str, list[tuple[int, int]]]


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


class FacetCounting:
    """One search's facet counts, counted in the search's thread pool: start it, find the
    page meanwhile, then ask for `buckets()`."""

    def __init__(
        self, pool: ThreadPoolExecutor, searcher: tantivy.Searcher, query: Any, split: bool
    ) -> None:
        self.searcher = searcher
        self.query = query
        self.since: Future[dict[str, Any]] | None = None
        if searcher.num_segments == 1:
            parts = groups(split, FACET_SEGMENT_SIZE, FACET_SIZE)
        elif live_build_segments() == 1:
            # The build's segment reports its top values and the cut below them; the documents
            # written since report every value, which they are few enough to do cheaply.
            parts = groups(split, FACET_SEGMENT_SIZE, FACET_SEGMENT_SIZE)
            since = tantivy.Query.boolean_query(
                [(tantivy.Occur.Must, query), (tantivy.Occur.MustNot, term(BUILT, True))]
            )
            self.since = pool.submit(searcher.aggregate, since, aggregations(_ALL_VALUES))
            query = tantivy.Query.boolean_query(
                [(tantivy.Occur.Must, query), (tantivy.Occur.Must, term(BUILT, True))]
            )
        else:
            parts = groups(split, _ALL_VALUES, FACET_SIZE)
        self.parts = [pool.submit(searcher.aggregate, query, part) for part in parts]

    def buckets(self) -> Buckets:
        """The top values of each facet with their exact counts, most works first."""
        counted = {key: value for part in self.parts for key, value in part.result().items()}
        if self.since is None:
            return {key: _pairs(counted.get(key, {}))[:FACET_SIZE] for key in FACET_FIELDS}
        since = self.since.result()
        buckets: Buckets = {}
        again = []
        for key in FACET_FIELDS:
            top = _combined(counted.get(key, {}), since.get(key, {}))
            if top is None:
                again.append(key)
            else:
                buckets[key] = top
        if again:
            buckets.update(self._recount(again))
        return buckets

    def _recount(self, keys: list[str]) -> Buckets:
        """These facets counted again over every segment, each reporting every value."""
        counted = self.searcher.aggregate(
            self.query, {key: _terms(key, _ALL_VALUES, FACET_SIZE) for key in keys}
        )
        return {key: _pairs(counted.get(key, {})) for key in keys}


def aggregations(segment_size: int, size: int = _ALL_VALUES) -> dict[str, Any]:
    return {key: _terms(key, segment_size, size) for key in FACET_FIELDS}


def groups(split: bool, segment_size: int, size: int) -> list[dict[str, Any]]:
    """The facet aggregations in one group, or in two of about equal cost to count side by
    side. Splitting pays when counting dominates (many matching works); when finding the works
    dominates (a narrow query, a reader's exclusions), two groups would find them twice."""
    every = aggregations(segment_size, size)
    if not split:
        return [every]
    parts = [{key: every[key] for key in group} for group in _GROUPS]
    for key, aggregation in every.items():
        if not any(key in part for part in parts):
            parts[-1][key] = aggregation
    return parts


def counts_many(query: WorkQuery) -> bool:
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


def _terms(key: str, segment_size: int, size: int) -> dict[str, Any]:
    field = FACET_FIELDS[key]
    return {"terms": {"field": field, "size": size, "segment_size": segment_size}}


def _pairs(result: dict[str, Any]) -> list[tuple[int, int]]:
    """A terms aggregation's (value, count) pairs, most works first, equal counts by value."""
    pairs = [(int(bucket["key"]), int(bucket["doc_count"])) for bucket in result.get("buckets", [])]
    return sorted(pairs, key=_most_first)


def _most_first(pair: tuple[int, int]) -> tuple[int, int]:
    return -pair[1], pair[0]


def _combined(built: dict[str, Any], since: dict[str, Any]) -> list[tuple[int, int]] | None:
    """The top values of one facet from the build's segment (its top values, exact, and the
    count of the first it cut, which no value it left out exceeds) and the documents written
    since (every value); None where a value the build's list left out could belong in the top
    ten."""
    listed = dict(_pairs(built))
    cut = (
        int(built.get("doc_count_error_upper_bound", 0)) if len(listed) >= FACET_SEGMENT_SIZE else 0
    )
    later = dict(_pairs(since))
    totals = {value: listed.get(value, 0) + later.get(value, 0) for value in listed | later}
    top = sorted(totals.items(), key=_most_first)[:FACET_SIZE]
    if not cut:
        return top
    # A value left out of the build's list has at most `cut` works there. With as many as the
    # tenth it could still come before it (equal counts are listed by tag id), hence `>`.
    left_out = max((count for value, count in later.items() if value not in listed), default=0)
    certain = (
        len(top) == FACET_SIZE
        and all(value in listed for value, _count in top)
        and top[-1][1] > cut + left_out
    )
    return top if certain else None


def facet_values(buckets: Buckets, query: WorkQuery) -> list[Facet]:
    """The facets as the sidebar shows them: names from the database, and the query's own
    excluded tags kept (with no works left) so that they can be let in again."""

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
