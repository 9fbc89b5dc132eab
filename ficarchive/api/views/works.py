"""Works: the list of works the viewer may list, one work with its chapters, one chapter,
and kudos. Every work is fetched through works.access.work_for, lists through listed_for."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema, Status

from ficarchive.api.auth import read_viewer, write_viewer
from ficarchive.api.paging import DEFAULT_LIMIT, MAX_LIMIT, Page, keyset_page
from ficarchive.api.problems import PROBLEMS_READ, PROBLEMS_WRITE, ApiError, Problem
from ficarchive.api.schemas import (
    ChapterOut,
    WorkDetail,
    WorkSummary,
    chapter_out,
    work_detail,
    work_summary,
)
from ficarchive.social.services import KudosError, kudos_give, kudos_refusal
from ficarchive.works.access import Need, chapter_for, work_allows, work_for
from ficarchive.works.models import Work
from ficarchive.works.querysets import reading_prefetches

router = Router(tags=["works"])


class ListParams(Schema):
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="Items on a page.")
    cursor: str | None = Field(None, max_length=2000, description="From a `next` link.")


class WorkPage(Page):
    works: list[WorkSummary]


@router.get(
    "/works",
    response={200: WorkPage, PROBLEMS_READ: Problem},
    auth=read_viewer,
    operation_id="works_list",
    summary="The works the viewer may list, newest first",
)
def works_list(request: HttpRequest, params: Query[ListParams]) -> Any:
    viewer = request.auth  # type: ignore[attr-defined]
    rows = Work.objects.listed_for(viewer).for_listing().prefetch_related(*reading_prefetches())
    works, following = keyset_page(request, rows, "works", ["pk"], params.cursor, params.limit)
    return {"next": following, "works": [work_summary(work) for work in works]}


@router.get(
    "/works/{work_id}",
    response={200: WorkDetail, PROBLEMS_READ: Problem},
    auth=read_viewer,
    operation_id="work_get",
    summary="A work, with every chapter the viewer may read (its sanitised HTML)",
)
def work_get(request: HttpRequest, work_id: int) -> Any:
    viewer = request.auth  # type: ignore[attr-defined]
    work = work_for(viewer, _id(work_id))
    # The chapters' HTML, not the text it was made from: a long work's text is megabytes.
    chapters = [
        chapter
        for chapter in work.chapters.defer("text").order_by("position")
        if _readable(chapter, work, viewer)
    ]
    return work_detail(work, chapters, viewer)


@router.get(
    "/works/{work_id}/chapters/{chapter_id}",
    response={200: ChapterOut, PROBLEMS_READ: Problem},
    auth=read_viewer,
    operation_id="chapter_get",
    summary="One chapter of a work",
)
def chapter_get(request: HttpRequest, work_id: int, chapter_id: int) -> Any:
    viewer = request.auth  # type: ignore[attr-defined]
    return chapter_out(chapter_for(viewer, _id(work_id), _id(chapter_id)))


class KudosOut(Schema):
    kudos: int


@router.post(
    "/works/{work_id}/kudos",
    response={201: KudosOut, PROBLEMS_WRITE: Problem},
    auth=write_viewer,
    operation_id="kudos_give",
    summary="Leave kudos on a work",
)
def kudos_post(request: HttpRequest, work_id: int) -> Any:
    viewer = request.auth  # type: ignore[attr-defined]
    work = work_for(viewer, _id(work_id))
    refusal = kudos_refusal(work, viewer)
    if refusal:
        raise ApiError(409, refusal)
    try:
        kudos_give(work, viewer)
    except KudosError as error:
        raise ApiError(409, str(error)) from None
    work.refresh_from_db(fields=["kudos_count"])
    return Status(201, {"kudos": work.kudos_count})


def _readable(chapter: Any, work: Work, viewer: Any) -> bool:
    chapter.work = work
    return bool(chapter.is_visible_to(viewer) or work_allows(work, viewer, Need.EDIT))


def _id(value: int) -> int:
    """Ids past what the database holds are no work, not an overflow."""
    if not 0 < value < 2**63:
        raise Http404("No such work.")
    return value
