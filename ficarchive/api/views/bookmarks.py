"""Bookmarks: a user's, a work's, a series' and one bookmark, as their pages list them to this
viewer (social.bookmarks.bookmarks_visible_to, filtered by the pages' own parameters through
social.bookmark_filters), and bookmarking through the bookmark form's services."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import Prefetch, QuerySet, prefetch_related_objects
from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema, Status

from ficarchive.accounts.access import user_for
from ficarchive.accounts.models import PSEUD_MAX
from ficarchive.accounts.muting import reader_filter_for
from ficarchive.api.auth import read_viewer, write_viewer
from ficarchive.api.paging import DEFAULT_LIMIT, MAX_LIMIT, keyset_page
from ficarchive.api.problems import PROBLEMS_READ, PROBLEMS_WRITE, ApiError, Problem
from ficarchive.api.schemas import WorkSummary, work_summary
from ficarchive.core.site import absolute_url
from ficarchive.social.bookmark_filters import FILTER_TAGS_MAX, bookmarks_filtered
from ficarchive.social.bookmark_filters import parse_bookmark_query as parse_filters
from ficarchive.social.bookmarks import (
    AlreadyBookmarked,
    BookmarkError,
    BookmarkFields,
    bookmark_create,
    bookmark_delete,
    bookmark_update,
    bookmarks_visible_to,
)
from ficarchive.social.models import (
    BOOKMARK_NOTES_MAX,
    BOOKMARK_TAGS_MAX,
    Bookmark,
    BookmarkTagging,
)
from ficarchive.works.access import work_for
from ficarchive.works.models import Series, Work
from ficarchive.works.querysets import reading_prefetches
from ficarchive.works.series import series_for

router = Router(tags=["bookmarks"])


class BookmarkListParams(Schema):
    """The bookmark pages' own filters (docs/library.md)."""

    include: list[str] | None = Field(
        None, max_length=FILTER_TAGS_MAX, description="Tag ids the item must carry (all)."
    )
    exclude: list[str] | None = Field(
        None, max_length=FILTER_TAGS_MAX, description="Tag ids the item must not carry."
    )
    bookmarker_tags: str | None = Field(
        None, max_length=5000, description="The bookmarker's own tags, by name, comma-separated."
    )
    rec: bool | None = Field(None, description="Only recommendations.")
    with_notes: bool | None = Field(None, description="Only bookmarks with notes.")
    complete: bool | None = None
    words_from: int | None = Field(None, ge=0, lt=2**31)
    words_to: int | None = Field(None, ge=0, lt=2**31)
    bookmarked_from: str | None = Field(None, max_length=10, description="YYYY-MM-DD")
    bookmarked_to: str | None = Field(None, max_length=10, description="YYYY-MM-DD")
    q: str | None = Field(None, max_length=200, description="Words in the notes.")
    sort: str | None = Field(None, max_length=20, description="created (default) or updated.")
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)
    cursor: str | None = Field(None, max_length=2000)


class SeriesRef(Schema):
    id: int
    title: str
    url: str


class ExternalRef(Schema):
    id: int
    url: str
    title: str
    creator: str


class BookmarkOut(Schema):
    id: int
    url: str
    byline: str = Field(description="The bookmarker's pseud, as the page shows it.")
    login: str
    kind: str = Field(description="work, series or external.")
    work: WorkSummary | None
    series: SeriesRef | None
    external: ExternalRef | None
    notes_html: str
    tags: list[str] = Field(description="The bookmarker's own tags.")
    private: bool
    rec: bool
    created_at: datetime
    updated_at: datetime


class BookmarkPage(Schema):
    next: str | None
    messages: list[str] = Field(description="Filters that were not understood, and why.")
    bookmarks: list[BookmarkOut]


class BookmarkIn(Schema):
    notes: str = Field("", max_length=BOOKMARK_NOTES_MAX)
    tags: list[str] = Field(
        default_factory=list, max_length=BOOKMARK_TAGS_MAX, description="Your own tags."
    )
    private: bool = False
    rec: bool = False
    pseud: str | None = Field(None, max_length=PSEUD_MAX, description="Default: the default pseud.")


class BookmarkMade(Schema):
    id: int
    url: str


def _out(bookmark: Bookmark) -> dict[str, Any]:
    pseud = bookmark.pseud
    series, external = bookmark.series, bookmark.external_work
    kind = "work" if bookmark.work_id else "series" if series else "external"
    return {
        "id": bookmark.pk,
        "url": absolute_url(f"/bookmarks/{bookmark.pk}"),
        "byline": pseud.byline if pseud is not None else bookmark.user.username,
        "login": bookmark.user.username,
        "kind": kind,
        "work": work_summary(bookmark.work) if bookmark.work is not None else None,
        "series": (
            {"id": series.pk, "title": series.title, "url": absolute_url(f"/series/{series.pk}")}
            if series is not None
            else None
        ),
        "external": (
            {
                "id": external.pk,
                "url": external.url,
                "title": external.title,
                "creator": external.creator,
            }
            if external is not None
            else None
        ),
        "notes_html": bookmark.notes_html,
        "tags": [tagging.tag.name for tagging in bookmark.taggings.all()],
        "private": bookmark.private,
        "rec": bookmark.rec,
        "created_at": bookmark.created_at,
        "updated_at": bookmark.updated_at,
    }


def _visible(viewer: Any) -> QuerySet[Bookmark]:
    return bookmarks_visible_to(viewer, reader_filter_for(viewer))


def _shown(bookmarks: QuerySet[Bookmark]) -> QuerySet[Bookmark]:
    """With what `_out` reads of each bookmark, in a fixed number of queries."""
    return bookmarks.select_related(
        "user", "pseud__user", "work__language", "series", "external_work"
    ).prefetch_related(Prefetch("taggings", queryset=BookmarkTagging.objects.select_related("tag")))


def _page(request: HttpRequest, bookmarks: QuerySet[Bookmark], params: BookmarkListParams) -> Any:
    parsed = parse_filters(request.GET)
    order = ["updated_at", "id"] if parsed.query.sort == "updated" else ["created_at", "id"]
    rows = _shown(bookmarks_filtered(bookmarks, parsed.query))
    found, following = keyset_page(
        request, rows, f"bookmarks-{parsed.query.sort}", order, params.cursor, params.limit
    )
    works = [bookmark.work for bookmark in found if bookmark.work is not None]
    prefetch_related_objects(works, *reading_prefetches())
    return {
        "next": following,
        "messages": parsed.errors,
        "bookmarks": [_out(bookmark) for bookmark in found],
    }


@router.get(
    "/users/{login}/bookmarks",
    response={200: BookmarkPage, PROBLEMS_READ: Problem},
    auth=read_viewer,
    operation_id="user_bookmarks",
    summary="A user's bookmarks that the viewer may see, newest first",
)
def user_bookmarks(request: HttpRequest, login: str, params: Query[BookmarkListParams]) -> Any:
    owner = user_for(login[:150])
    return _page(request, _visible(request.auth).filter(user=owner), params)  # type: ignore[attr-defined]


@router.get(
    "/works/{work_id}/bookmarks",
    response={200: BookmarkPage, PROBLEMS_READ: Problem},
    auth=read_viewer,
    operation_id="work_bookmarks",
    summary="A work's bookmarks, where the work is listed for the viewer",
)
def work_bookmarks(request: HttpRequest, work_id: int, params: Query[BookmarkListParams]) -> Any:
    viewer = request.auth  # type: ignore[attr-defined]
    work = _work(viewer, work_id)
    if not work.is_listed_for(viewer):
        # As the page: a draft or hidden work has no bookmarks to show, even to its creators.
        raise Http404("No such work.")
    return _page(request, _visible(viewer).filter(work=work), params)


@router.get(
    "/series/{series_id}/bookmarks",
    response={200: BookmarkPage, PROBLEMS_READ: Problem},
    auth=read_viewer,
    operation_id="series_bookmarks",
    summary="A series' bookmarks",
)
def series_bookmarks(
    request: HttpRequest, series_id: int, params: Query[BookmarkListParams]
) -> Any:
    viewer = request.auth  # type: ignore[attr-defined]
    series = _series(viewer, series_id)
    return _page(request, _visible(viewer).filter(series=series), params)


def _one(viewer: Any, bookmark_id: int) -> Bookmark:
    if not 0 < bookmark_id < 2**63:
        raise Http404("No such bookmark.")
    bookmark = _shown(_visible(viewer).filter(pk=bookmark_id)).first()
    if bookmark is None:
        raise Http404("No such bookmark.")
    return bookmark


@router.get(
    "/bookmarks/{bookmark_id}",
    response={200: BookmarkOut, PROBLEMS_READ: Problem},
    auth=read_viewer,
    operation_id="bookmark_get",
    summary="One bookmark, where the viewer may see it",
)
def bookmark_get(request: HttpRequest, bookmark_id: int) -> Any:
    bookmark = _one(request.auth, bookmark_id)  # type: ignore[attr-defined]
    if bookmark.work is not None:
        prefetch_related_objects([bookmark.work], *reading_prefetches())
    return _out(bookmark)


# Writes.


def _work(viewer: Any, work_id: int) -> Work:
    if not 0 < work_id < 2**63:
        raise Http404("No such work.")
    return work_for(viewer, work_id)


def _series(viewer: Any, series_id: int) -> Series:
    if not 0 < series_id < 2**63:
        raise Http404("No such series.")
    return series_for(viewer, series_id)


def _fields(user: Any, body: BookmarkIn) -> BookmarkFields:
    pseud = user.default_pseud()
    if body.pseud is not None:
        pseud = user.pseuds.filter(name__iexact=body.pseud).first()
        if pseud is None:
            raise ApiError(422, "You have no pseud of that name.")
    return BookmarkFields(
        pseud=pseud, notes=body.notes, tags=body.tags, private=body.private, rec=body.rec
    )


def _create(user: Any, item: Work | Series, body: BookmarkIn) -> Any:
    try:
        bookmark = bookmark_create(user, item, _fields(user, body))
    except AlreadyBookmarked as error:
        raise ApiError(
            409,
            f"You have bookmarked this already: change bookmark {error.bookmark.pk} instead.",
            headers={"Location": absolute_url(f"/api/v1/bookmarks/{error.bookmark.pk}")},
        ) from None
    except BookmarkError as error:
        raise ApiError(422, str(error)) from None
    url = absolute_url(f"/api/v1/bookmarks/{bookmark.pk}")
    return Status(201, {"id": bookmark.pk, "url": url})


@router.post(
    "/works/{work_id}/bookmarks",
    response={201: BookmarkMade, PROBLEMS_WRITE: Problem},
    auth=write_viewer,
    operation_id="work_bookmark_create",
    summary="Bookmark a work",
)
def work_bookmark_create(request: HttpRequest, work_id: int, body: BookmarkIn) -> Any:
    user = request.auth  # type: ignore[attr-defined]
    return _create(user, _work(user, work_id), body)


@router.post(
    "/series/{series_id}/bookmarks",
    response={201: BookmarkMade, PROBLEMS_WRITE: Problem},
    auth=write_viewer,
    operation_id="series_bookmark_create",
    summary="Bookmark a series",
)
def series_bookmark_create(request: HttpRequest, series_id: int, body: BookmarkIn) -> Any:
    user = request.auth  # type: ignore[attr-defined]
    return _create(user, _series(user, series_id), body)


def _own(user: Any, bookmark_id: int) -> Bookmark:
    """The user's own bookmark (404 for anyone else's, as the edit page)."""
    if not 0 < bookmark_id < 2**63:
        raise Http404("No such bookmark.")
    bookmark = Bookmark.objects.filter(pk=bookmark_id, user_id=user.pk).first()
    if bookmark is None:
        raise Http404("No such bookmark.")
    return bookmark


@router.put(
    "/bookmarks/{bookmark_id}",
    response={200: BookmarkMade, PROBLEMS_WRITE: Problem},
    auth=write_viewer,
    operation_id="bookmark_update",
    summary="Change your bookmark (notes, tags, private, rec, pseud)",
)
def bookmark_put(request: HttpRequest, bookmark_id: int, body: BookmarkIn) -> Any:
    user = request.auth  # type: ignore[attr-defined]
    bookmark = _own(user, bookmark_id)
    try:
        bookmark_update(bookmark, _fields(user, body))
    except BookmarkError as error:
        raise ApiError(422, str(error)) from None
    return {"id": bookmark.pk, "url": absolute_url(f"/api/v1/bookmarks/{bookmark.pk}")}


@router.delete(
    "/bookmarks/{bookmark_id}",
    response={204: None, PROBLEMS_WRITE: Problem},
    auth=write_viewer,
    operation_id="bookmark_delete",
    summary="Delete your bookmark",
)
def bookmark_remove(request: HttpRequest, bookmark_id: int) -> Any:
    bookmark_delete(_own(request.auth, bookmark_id))  # type: ignore[attr-defined]
    return Status(204, None)
