"""Throttling the forms that guess passwords or send mail: a fixed number of tries per window,
counted per IP address and per name tried, in Django's cache (django-ratelimit's counters).

django-ratelimit counts; this module only combines several keys for one form and answers the
429 page with a Retry-After header. Like the largest archive's rack-attack rules, windows are
fixed (aligned per key), so a burst across a window's end can get up to twice the rate.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django_ratelimit.core import get_usage  # type: ignore[import-untyped]


def client_ip(request: HttpRequest) -> str:
    """The address a request came from: REMOTE_ADDR, or behind a reverse proxy the header the
    proxy sets (CLIENT_IP_HEADER, e.g. HTTP_X_FORWARDED_FOR: its last address, which the
    proxy itself added)."""
    header = getattr(settings, "CLIENT_IP_HEADER", "")
    value = request.META.get(header, "") if header else ""
    if value:
        return value.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR") or "unknown"


def throttle(
    request: HttpRequest,
    group: str,
    rate: str,
    names: Iterable[str] = (),
    *,
    increment: bool = True,
) -> int | None:
    """Count one try of this form by this request's address and by each name (a login, an
    email address); the seconds to wait if any of them is over the rate, else None. With
    `increment=False` it only looks (HTTP Basic counts failed sign-ins only)."""
    keys = [f"ip:{client_ip(request)}"]
    keys += [f"name:{name.strip().casefold()}" for name in names if name and name.strip()]
    waits = []
    for key in keys:
        usage = get_usage(
            request,
            group=group,
            key=lambda _group, _request, key=key: key,
            rate=rate,
            increment=increment,
        )
        if usage is not None and usage["should_limit"]:
            waits.append(max(int(usage["time_left"]), 1))
    return max(waits) if waits else None


def too_many_requests(request: HttpRequest, retry_after: int) -> HttpResponse:
    """The 429 page: what happened and how long to wait, with a Retry-After header."""
    content = render_to_string(
        "core/too_many_requests.html", {"retry_after": retry_after}, request=request
    )
    response = HttpResponse(content, status=429)
    response["Retry-After"] = str(retry_after)
    return response
