"""Search: the search page's own query language, filters, sorts and facets, through its one
entry point (search.parse.parse_search and search.engine.search_works), as the page answers."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from django.db.models import prefetch_related_objects
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from ficarchive.accounts.muting import reader_filter_for
from ficarchive.api.auth import read_viewer
from ficarchive.api.paging import (
    DEFAULT_LIMIT,
    MAX_LIMIT,
    as_of,
    cursor_dump,
    next_link,
    page_cursor_load,
)
from ficarchive.api.problems import PROBLEMS_READ, ApiError, Problem
from ficarchive.api.schemas import WorkSummary, work_summary
from ficarchive.search.engine import SearchUnavailable, search_works
from ficarchive.search.parse import parse_search
from ficarchive.search.query import MAX_TEXT, WorkQuery
from ficarchive.works.querysets import reading_prefetches

router = Router(tags=["search"])
_TEXT = Field(None, max_length=MAX_TEXT)
_TAGS = Field(None, max_length=20_000)


class SearchParams(Schema):
    """The search page's fields (docs/search.md); `q` takes its shortcuts (`words>1000`,
    `sort:kudos`, `complete:true`, ...)."""

    q: str | None = Field(None, max_length=MAX_TEXT, description="Free text and shortcuts.")
    title: str | None = _TEXT
    creators: str | None = _TEXT
    tags: str | None = Field(None, max_length=20_000, description="Tags to include, by name.")
    fandoms: str | None = _TAGS
    characters: str | None = _TAGS
    relationships: str | None = _TAGS
    freeforms: str | None = _TAGS
    exclude_tags: str | None = _TAGS
    include: list[str] | None = Field(None, description="Tag ids to include.")
    exclude: list[str] | None = Field(None, description="Tag ids to leave out.")
    rating: list[str] | None = Field(None, description="Ratings, by name or id (any one).")
    language: list[str] | None = Field(None, description="Language codes (any one).")
    complete: str | None = Field(None, max_length=20)
    crossover: str | None = Field(None, max_length=20)
    single_chapter: str | None = Field(None, max_length=20)
    otp: str | None = Field(None, max_length=20)
    words: str | None = _TEXT
    words_from: str | None = _TEXT
    words_to: str | None = _TEXT
    hits: str | None = _TEXT
    hits_from: str | None = _TEXT
    hits_to: str | None = _TEXT
    kudos: str | None = _TEXT
    kudos_from: str | None = _TEXT
    kudos_to: str | None = _TEXT
    comments: str | None = _TEXT
    comments_from: str | None = _TEXT
    comments_to: str | None = _TEXT
    bookmarks: str | None = _TEXT
    bookmarks_from: str | None = _TEXT
    bookmarks_to: str | None = _TEXT
    posted: str | None = _TEXT
    posted_from: str | None = _TEXT
    posted_to: str | None = _TEXT
    updated: str | None = _TEXT
    updated_from: str | None = _TEXT
    updated_to: str | None = _TEXT
    sort: str | None = Field(None, max_length=40)
    order: str | None = Field(None, max_length=10, description="asc or desc.")
    show_hidden: str | None = Field(
        None, max_length=5, description="1: this once, without the reader's own filters."
    )
    facets: bool = Field(True, description="false leaves the facet counts out.")
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)
    cursor: str | None = Field(None, max_length=2000)


SEARCH_FIELDS = frozenset(SearchParams.model_fields)


class FacetValueOut(Schema):
    id: int
    name: str
    count: int
    included: bool
    excluded: bool
    param: str


class FacetOut(Schema):
    key: str
    label: str
    values: list[FacetValueOut]


class SearchOut(Schema):
    total: int
    next: str | None
    sort: str
    ascending: bool
    hidden_by_reader: int
    messages: list[str]
    works: list[WorkSummary]
    facets: list[FacetOut]


@router.get(
    "/search",
    response={200: SearchOut, PROBLEMS_READ | {503}: Problem},
    auth=read_viewer,
    operation_id="works_search",
    summary="Search works, exactly as the search page does",
)
def works_search(request: HttpRequest, params: Query[SearchParams]) -> Any:
    viewer = request.auth  # type: ignore[attr-defined]
    unknown = sorted(set(request.GET) - SEARCH_FIELDS)
    if unknown:
        raise ApiError(400, f"Unknown parameters: {', '.join(name[:40] for name in unknown[:5])}.")
    page, stamp = page_cursor_load("search", params.cursor)
    showing_hidden = params.show_hidden == "1"
    reader = None if showing_hidden else reader_filter_for(viewer)
    parsed = parse_search(request.GET, WorkQuery(reader=reader, per_page=params.limit))
    query = replace(parsed.query, page=page)
    if page > 1:
        query = as_of(query, stamp)
    try:
        result = search_works(query, viewer, facets=params.facets)
    except SearchUnavailable:
        raise ApiError(
            503,
            "The search index is being built: try again in a minute.",
            headers={"Retry-After": "60"},
        ) from None
    if page > 1 and result.page != page:
        # Past the last page: nothing more, rather than the last page again.
        result.works = []
    works = result.works
    if works:
        prefetch_related_objects(works, *reading_prefetches())
    more = result.page == page and page * query.per_page < result.total
    return {
        "total": result.total,
        "next": next_link(request, cursor_dump("search", [page + 1, stamp])) if more else None,
        "sort": query.effective_sort().value,
        "ascending": query.effective_ascending(),
        "hidden_by_reader": result.hidden_by_reader,
        "messages": [*parsed.errors, *result.errors],
        "works": [work_summary(work) for work in works],
        "facets": [
            {
                "key": facet.key,
                "label": facet.label,
                "values": [
                    {
                        "id": value.tag_id,
                        "name": value.name,
                        "count": value.count,
                        "included": value.included,
                        "excluded": value.excluded,
                        "param": value.param,
                    }
                    for value in facet.values
                ],
            }
            for facet in result.facets
        ],
    }
