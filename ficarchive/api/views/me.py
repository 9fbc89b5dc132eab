"""The signed-in reader's own lists: subscriptions, reading history and Marked for Later, as
their pages list them (works only while they may still list them), and changing them."""

from __future__ import annotations

from typing import Any, Literal

from django.db.models import Q, prefetch_related_objects
from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema, Status

from ficarchive.accounts.access import user_for
from ficarchive.api.auth import read_viewer, signed_in, write_viewer
from ficarchive.api.paging import DEFAULT_LIMIT, MAX_LIMIT, keyset_page
from ficarchive.api.problems import PROBLEMS_READ, PROBLEMS_WRITE, ApiError, Problem
from ficarchive.api.schemas import WorkSummary, work_summary
from ficarchive.social.models import Subscription
from ficarchive.social.subscriptions import SubscriptionError, subscribe, unsubscribe
from ficarchive.works.access import work_for
from ficarchive.works.history import history, later_toggle, marked_for_later
from ficarchive.works.models import Reading, Work
from ficarchive.works.querysets import reading_prefetches
from ficarchive.works.series import series_for

router = Router(tags=["me"])
ME_PROBLEMS = PROBLEMS_READ


class ListParams(Schema):
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)
    cursor: str | None = Field(None, max_length=2000)


class PseudRef(Schema):
    id: int
    name: str
    is_default: bool


class MeOut(Schema):
    login: str
    pseuds: list[PseudRef]


@router.get(
    "/me",
    response={200: MeOut, ME_PROBLEMS: Problem},
    auth=read_viewer,
    operation_id="me_get",
    summary="Who the token belongs to",
)
def me_get(request: HttpRequest) -> Any:
    user = signed_in(request.auth)  # type: ignore[attr-defined]
    return {
        "login": user.username,
        "pseuds": [
            {"id": pseud.pk, "name": pseud.name, "is_default": pseud.is_default}
            for pseud in user.pseuds.order_by("-is_default", "name")
        ],
    }


class ReadingOut(Schema):
    work: WorkSummary
    last_visited: Any
    visits: int
    last_chapter_id: int | None
    later: bool


class ReadingPage(Schema):
    next: str | None
    readings: list[ReadingOut]


def _readings(request: HttpRequest, rows: Any, kind: str, params: ListParams) -> dict[str, Any]:
    found, following = keyset_page(
        request, rows, kind, ["last_visited", "id"], params.cursor, params.limit
    )
    works = [reading.work for reading in found]
    prefetch_related_objects(works, "language", *reading_prefetches())
    return {
        "next": following,
        "readings": [
            {
                "work": work_summary(reading.work),
                "last_visited": reading.last_visited,
                "visits": reading.visits,
                "last_chapter_id": reading.last_chapter_id,
                "later": reading.later,
            }
            for reading in found
        ],
    }


@router.get(
    "/me/history",
    response={200: ReadingPage, ME_PROBLEMS: Problem},
    auth=read_viewer,
    operation_id="me_history",
    summary="The works you visited, last visited first",
)
def me_history(request: HttpRequest, params: Query[ListParams]) -> Any:
    user = signed_in(request.auth)  # type: ignore[attr-defined]
    return _readings(request, history(user), "history", params)


@router.get(
    "/me/later",
    response={200: ReadingPage, ME_PROBLEMS: Problem},
    auth=read_viewer,
    operation_id="me_later",
    summary="Your works Marked for Later",
)
def me_later(request: HttpRequest, params: Query[ListParams]) -> Any:
    user = signed_in(request.auth)  # type: ignore[attr-defined]
    return _readings(request, marked_for_later(user), "later", params)


class LaterOut(Schema):
    work_id: int
    later: bool


def _work(user: Any, work_id: int) -> Work:
    if not 0 < work_id < 2**63:
        raise Http404("No such work.")
    return work_for(user, work_id)


@router.put(
    "/me/later/{work_id}",
    response={200: LaterOut, PROBLEMS_WRITE: Problem},
    auth=write_viewer,
    operation_id="later_mark",
    summary="Mark a work for later",
)
def later_mark(request: HttpRequest, work_id: int) -> Any:
    user = request.auth  # type: ignore[attr-defined]
    work = _work(user, work_id)
    if not Reading.objects.filter(user=user, work=work, later=True).exists():
        later_toggle(user, work)
    return {"work_id": work.pk, "later": True}


@router.delete(
    "/me/later/{work_id}",
    response={200: LaterOut, PROBLEMS_WRITE: Problem},
    auth=write_viewer,
    operation_id="later_unmark",
    summary="Take a work off Marked for Later",
)
def later_unmark(request: HttpRequest, work_id: int) -> Any:
    user = request.auth  # type: ignore[attr-defined]
    work = _work(user, work_id)
    if Reading.objects.filter(user=user, work=work, later=True).exists():
        later_toggle(user, work)
    return {"work_id": work.pk, "later": False}


class SubscriptionOut(Schema):
    id: int
    kind: Literal["work", "series", "creator"]
    target_id: int
    title: str
    created_at: Any


class SubscriptionPage(Schema):
    next: str | None
    subscriptions: list[SubscriptionOut]


class SubscriptionIn(Schema):
    kind: Literal["work", "series", "creator"]
    id: int | None = Field(None, ge=1, lt=2**63, description="The work's or series' id.")
    login: str | None = Field(None, max_length=150, description="The creator's login.")


@router.get(
    "/me/subscriptions",
    response={200: SubscriptionPage, ME_PROBLEMS: Problem},
    auth=read_viewer,
    operation_id="me_subscriptions",
    summary="Your subscriptions to works, series and creators, newest first",
)
def me_subscriptions(request: HttpRequest, params: Query[ListParams]) -> Any:
    user = signed_in(request.auth)  # type: ignore[attr-defined]
    listed = Work.objects.listed_for(user).values("pk")
    # As the subscriptions page: a work or series only while the reader may list it.
    rows = (
        Subscription.objects.filter(user=user)
        .filter(
            Q(work__isnull=True, series__isnull=True)
            | Q(work__in=listed)
            | Q(series__serial_works__work__in=listed)
        )
        .distinct()
        .select_related("work", "creator", "series")
    )
    found, following = keyset_page(
        request, rows, "subscriptions", ["created_at", "id"], params.cursor, params.limit
    )
    out = []
    for row in found:
        kind, target, title = _described(row)
        out.append(
            {
                "id": row.pk,
                "kind": kind,
                "target_id": target,
                "title": title,
                "created_at": row.created_at,
            }
        )
    return {"next": following, "subscriptions": out}


def _described(row: Subscription) -> tuple[str, int, str]:
    if row.work is not None:
        return "work", row.work.pk, row.work.title
    if row.series is not None:
        return "series", row.series.pk, row.series.title
    assert row.creator is not None
    return "creator", row.creator.pk, row.creator.username


class Subscribed(Schema):
    subscribed: bool


def _target(user: Any, body: SubscriptionIn) -> Any:
    if body.kind == "creator":
        if not body.login:
            raise ApiError(422, "Name the creator by `login`.")
        return user_for(body.login)
    if body.id is None:
        raise ApiError(422, "Name the work or series by `id`.")
    if body.kind == "work":
        return _work(user, body.id)
    return series_for(user, body.id)


@router.post(
    "/me/subscriptions",
    response={201: Subscribed, PROBLEMS_WRITE: Problem},
    auth=write_viewer,
    operation_id="subscribe",
    summary="Subscribe to a work, a series or a creator",
)
def subscription_create(request: HttpRequest, body: SubscriptionIn) -> Any:
    user = request.auth  # type: ignore[attr-defined]
    try:
        subscribe(user, _target(user, body))
    except SubscriptionError as error:
        raise ApiError(409, str(error)) from None
    return Status(201, {"subscribed": True})


@router.delete(
    "/me/subscriptions/{kind}/{target}",
    response={200: Subscribed, PROBLEMS_WRITE: Problem},
    auth=write_viewer,
    operation_id="unsubscribe",
    summary="End a subscription: /work/ID, /series/ID or /creator/LOGIN",
)
def subscription_delete(
    request: HttpRequest, kind: Literal["work", "series", "creator"], target: str
) -> Any:
    user = request.auth  # type: ignore[attr-defined]
    if kind == "creator":
        body = SubscriptionIn(kind=kind, id=None, login=target[:150])
    elif target.isascii() and target.isdigit() and 0 < int(target[:19]) < 2**63:
        body = SubscriptionIn(kind=kind, id=int(target), login=None)
    else:
        raise Http404("No such subscription.")
    unsubscribe(user, _target(user, body))
    return {"subscribed": False}
