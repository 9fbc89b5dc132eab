"""The works a feed or a catalogue page lists: asked of the one search entry point
(search_works with a WorkQuery, so tag feeds find sub tags and synonyms through filter ids and
the viewer's restricted access and filters apply), then made into entries (cached: see
ficarchive.formats.feeds.entries). While the index is being built, the database answers by
the same visibility rule."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ficarchive.formats.feeds.entries import Entry, entries_of
from ficarchive.search.engine import SearchUnavailable, search_works
from ficarchive.search.query import WorkQuery
from ficarchive.works.models import Work
from ficarchive.works.querysets import WorkQuerySet


class PastTheEnd(Exception):
    """A page after the last one; the message says how many there are."""


@dataclass(frozen=True)
class FeedPage:
    works: list[Entry]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def has_previous(self) -> bool:
        return self.page > 1


def feed_works(query: WorkQuery, viewer: Any, fallback: Callable[[], WorkQuerySet]) -> FeedPage:
    """One page of the query's works for this viewer. `fallback` gives the same works from the
    database (listed_for the viewer), ordered, for while there is no index. Raises PastTheEnd
    for a page after the last."""
    try:
        result = search_works(query, viewer, facets=False)
    except SearchUnavailable:
        return _from_database(query, fallback())
    if result.page != query.page:
        raise _past_the_end(query, result.total)
    return FeedPage(entries_of(result.works), result.total, result.page, query.per_page)


def _from_database(query: WorkQuery, works: WorkQuerySet) -> FeedPage:
    reader = query.effective_reader()
    if reader is not None:
        works = works.without_muted(reader)
    total = works.count()
    page = FeedPage([], total, query.page, query.per_page)
    if query.page > page.pages:
        raise _past_the_end(query, total)
    offset = (query.page - 1) * query.per_page
    ids = list(works.values_list("pk", flat=True)[offset : offset + query.per_page])
    return FeedPage(_entries(ids), total, query.page, query.per_page)


def _past_the_end(query: WorkQuery, total: int) -> PastTheEnd:
    pages = max(1, math.ceil(total / query.per_page))
    return PastTheEnd(
        f"There is no page {query.page}: this feed has {pages} page{'s' if pages > 1 else ''}."
    )


def _entries(ids: list[int]) -> list[Entry]:
    """The entries of these works, in this order."""
    found = Work.objects.filter(pk__in=ids).for_listing().in_bulk()
    return entries_of([found[pk] for pk in ids if pk in found])
