"""Paging by cursor: a list is ordered by fields that end in the primary key, and a cursor is
the signed position of the last item shown, so that rows inserted meanwhile never shift a
later page (they sort before the cursor or after it, never across it). Search pages by the
search page's own page numbers, carried in a cursor of the same kind with the moment of the
first page, as of which the later pages are answered (`as_of`)."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any, TypeVar

from django.core import signing
from django.db.models import Model, Q, QuerySet
from django.http import HttpRequest
from ninja import Schema

from ficarchive.api.problems import ApiError
from ficarchive.search.query import DateRange, WorkQuery

MAX_LIMIT = 100
DEFAULT_LIMIT = 20
_SALT = "ficarchive.api.cursor"
M = TypeVar("M", bound=Model)


class Page(Schema):
    """One page of a list: `next` is the address of the following page, null on the last."""

    next: str | None
    count: int | None = None


def cursor_dump(kind: str, values: Sequence[Any]) -> str:
    plain = [value.isoformat() if isinstance(value, datetime) else value for value in values]
    return signing.dumps([kind, plain], salt=_SALT, compress=True)


def cursor_load(kind: str, cursor: str) -> list[Any]:
    """The position a cursor of this kind holds; 400 for one that is not ours."""
    try:
        found, values = signing.loads(cursor[:2000], salt=_SALT)
    except (signing.BadSignature, ValueError, TypeError):
        raise ApiError(400, "That cursor is not valid: use the `next` link as it came.") from None
    if found != kind or not isinstance(values, list):
        raise ApiError(400, "That cursor belongs to another list.")
    return values


def next_link(request: HttpRequest, cursor: str | None) -> str | None:
    if cursor is None:
        return None
    params = request.GET.copy()
    params["cursor"] = cursor
    return request.build_absolute_uri(f"{request.path}?{params.urlencode()}")


def keyset_page(
    request: HttpRequest,
    rows: QuerySet[M],
    kind: str,
    order: Sequence[str],
    cursor: str | None,
    limit: int,
    *,
    value: Callable[[M, str], Any] | None = None,
) -> tuple[list[M], str | None]:
    """A page of `rows` in `order` (field names, each descending, the last the primary key)
    after the cursor, and the next page's link."""
    rows = rows.order_by(*(f"-{name}" for name in order))
    if cursor:
        values = cursor_load(kind, cursor)
        if len(values) != len(order):
            raise ApiError(400, "That cursor belongs to another list.")
        after = Q()
        for index, name in enumerate(order):
            step = Q(**{f"{name}__lt": _revive(values[index])})
            for previous in range(index):
                step &= Q(**{order[previous]: _revive(values[previous])})
            after |= step
        rows = rows.filter(after)
    found = list(rows[: limit + 1])
    more = len(found) > limit
    found = found[:limit]
    if not more or not found:
        return found, None
    last = found[-1]
    read = value or (lambda obj, name: getattr(obj, name))
    return found, next_link(request, cursor_dump(kind, [read(last, name) for name in order]))


def _revive(value: Any) -> Any:
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            return value
    return value


_BAD_CURSOR = "That cursor is not valid: use the `next` link as it came."


def page_cursor_load(kind: str, cursor: str | None) -> tuple[int, int]:
    """The page number and first page's moment (whole seconds) a page cursor holds; page 1
    and now without one."""
    if not cursor:
        return 1, int(time.time())
    values = cursor_load(kind, cursor)
    if len(values) != 2 or not all(isinstance(value, int) for value in values):
        raise ApiError(400, _BAD_CURSOR)
    page, stamp = values
    if page < 1 or not 0 < stamp < 2**40:
        raise ApiError(400, _BAD_CURSOR)
    return page, stamp


def as_of(query: WorkQuery, stamp: int) -> WorkQuery:
    """The query as it stood when its first page was answered (to the second, as the index
    keeps time): works posted or updated since are left out of the later pages, so that they
    never shift them, and the total stays the first page's."""
    moment = datetime.fromtimestamp(stamp, UTC)
    bounds = query.dates.get("updated", DateRange())
    high = moment if bounds.high is None else min(bounds.high, moment)
    return replace(query, dates={**query.dates, "updated": DateRange(bounds.low, high)})
