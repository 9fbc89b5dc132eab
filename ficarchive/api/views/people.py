"""Creators and their pseuds, their works (through the one search entry point, as their pages
list them) and their series."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Sum, prefetch_related_objects
from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema

from ficarchive.accounts.access import user_for
from ficarchive.accounts.models import PSEUD_MAX, Pseud
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
from ficarchive.api.problems import PROBLEMS_READ, Problem
from ficarchive.api.schemas import SeriesOut, WorkSummary, series_out, work_summary
from ficarchive.core.html import render_userstuff
from ficarchive.core.site import absolute_url
from ficarchive.search.engine import SearchUnavailable, search_works
from ficarchive.search.query import WorkQuery
from ficarchive.works.models import Creatorship, Work
from ficarchive.works.querysets import reading_prefetches
from ficarchive.works.series import series_byline, series_for, series_works, user_series

router = Router(tags=["creators"])
LOGIN = r"^[^/]{1,150}$"


class PseudOut(Schema):
    name: str
    is_default: bool
    description_html: str
    created_at: Any


class UserOut(Schema):
    login: str
    url: str
    joined: Any
    pseuds: list[PseudOut]
    works: int = Field(description="The works of theirs the viewer may list.")


class UserWorks(Schema):
    total: int
    next: str | None
    works: list[WorkSummary]


class SeriesRef(Schema):
    id: int
    title: str
    url: str
    complete: bool
    updated_at: Any


class UserSeries(Schema):
    series: list[SeriesRef]


class WorksParams(Schema):
    pseud: str | None = Field(None, max_length=PSEUD_MAX, description="Only this pseud's works.")
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)
    cursor: str | None = Field(None, max_length=2000)


def _user(login: str) -> Any:
    if len(login) > 150:
        raise Http404("No such user.")
    return user_for(login)


@router.get(
    "/users/{login}",
    response={200: UserOut, PROBLEMS_READ: Problem},
    auth=read_viewer,
    operation_id="user_get",
    summary="A creator's profile: their pseuds and how many works they list",
)
def user_get(request: HttpRequest, login: str) -> Any:
    viewer = request.auth  # type: ignore[attr-defined]
    user = _user(login)
    pseuds = user.pseuds.order_by("-is_default", "name")
    return {
        "login": user.username,
        "url": absolute_url(f"/users/{user.username}"),
        "joined": user.date_joined,
        "pseuds": [
            {
                "name": pseud.name,
                "is_default": pseud.is_default,
                "description_html": render_userstuff(pseud.description)
                if pseud.description
                else "",
                "created_at": pseud.created_at,
            }
            for pseud in pseuds
        ],
        "works": _works_of(user, None, viewer, 1, 1)[0],
    }


def _works_of(
    user: Any, pseud: Pseud | None, viewer: Any, page: int, per_page: int, stamp: int = 0
) -> tuple[int, list[Work]]:
    """A page of the creator's works; after the first, as of `stamp` (paging.as_of)."""
    query = WorkQuery(
        creator_user_id=user.pk,
        creator_pseud_id=pseud.pk if pseud else None,
        reader=reader_filter_for(viewer),
        page=page,
        per_page=per_page,
    )
    if page > 1:
        query = as_of(query, stamp)
    try:
        result = search_works(query, viewer, facets=False)
    except SearchUnavailable:
        rows = Work.objects.by_creator(user, viewer, pseud).listed_for(viewer)
        if page > 1:
            before = datetime.fromtimestamp(stamp + 1, UTC)
            rows = rows.filter(revised_at__lt=before)
        paginator = Paginator(rows.newest_first().for_listing(), per_page)
        if page > paginator.num_pages:
            return paginator.count, []
        return paginator.count, list(paginator.page(page).object_list)
    if result.page != page:
        return result.total, []
    return result.total, result.works


@router.get(
    "/users/{login}/works",
    response={200: UserWorks, PROBLEMS_READ: Problem},
    auth=read_viewer,
    operation_id="user_works",
    summary="A creator's works (or one pseud's), newest first, as their works page lists them",
)
def user_works(request: HttpRequest, login: str, params: Query[WorksParams]) -> Any:
    viewer = request.auth  # type: ignore[attr-defined]
    user = _user(login)
    pseud = None
    if params.pseud is not None:
        pseud = Pseud.objects.filter(user=user, name__iexact=params.pseud).first()
        if pseud is None:
            raise Http404("No such pseud.")
    page, stamp = page_cursor_load("user-works", params.cursor)
    total, works = _works_of(user, pseud, viewer, page, params.limit, stamp)
    prefetch_related_objects(works, *reading_prefetches())
    more = bool(works) and page * params.limit < total
    return {
        "total": total,
        "next": next_link(request, cursor_dump("user-works", [page + 1, stamp])) if more else None,
        "works": [work_summary(work) for work in works],
    }


@router.get(
    "/users/{login}/series",
    response={200: UserSeries, PROBLEMS_READ: Problem},
    auth=read_viewer,
    operation_id="user_series",
    summary="A creator's series that the viewer may see",
)
def user_series_list(request: HttpRequest, login: str) -> Any:
    viewer = request.auth  # type: ignore[attr-defined]
    found = user_series(_user(login), viewer)
    return {
        "series": [
            {
                "id": series.pk,
                "title": series.title,
                "url": absolute_url(f"/series/{series.pk}"),
                "complete": series.complete,
                "updated_at": series.updated_at,
            }
            for series in found
        ]
    }


series_router = Router(tags=["series"])


class SeriesDetail(SeriesOut):
    words: int
    work_count: int


@series_router.get(
    "/series/{series_id}",
    response={200: SeriesDetail, PROBLEMS_READ: Problem},
    auth=read_viewer,
    operation_id="series_get",
    summary="A series with the works of it the viewer may list, in order",
)
def series_get(request: HttpRequest, series_id: int) -> Any:
    viewer = request.auth  # type: ignore[attr-defined]
    if not 0 < series_id < 2**63:
        raise Http404("No such series.")
    series = series_for(viewer, series_id)
    works = series_works(series, viewer)
    bylines = works.only("pk", "anonymous", "in_anonymous_collection").prefetch_related(
        Prefetch(
            "creatorships",
            queryset=Creatorship.objects.filter(approved=True).select_related("pseud__user"),
        )
    )
    rows = list(works.for_listing().prefetch_related(*reading_prefetches())[:500])
    stats = works.aggregate(words=Sum("word_count"), count=Count("pk"))
    out = series_out(series, rows, series_byline(series, list(bylines)))
    out.update(words=stats["words"] or 0, work_count=stats["count"])
    return out
