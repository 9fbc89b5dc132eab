"""When what the archive stands on fails (the database is down or its disk is full, Redis does
not answer, a file cannot be written for want of space), the reader gets a clear 503 page with
Retry-After instead of a 500, and a writer whose form could not be saved gets their text back
on it, ready to send again. Nothing needs restarting: the next request connects again
(CONN_HEALTH_CHECKS for PostgreSQL's kept connections; redis-py reconnects by itself).

The page is drawn without the site's context processors or the session, which would need the
very database that failed."""

from __future__ import annotations

import errno
import logging

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.urls import Resolver404, resolve
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30
# Posted fields that are not the writer's text: the token (a fresh one goes on the page) and
# the button pressed (sent again as it was).
_NOT_SHOWN = {"csrfmiddlewaretoken", "action"}
_DISK_FULL = {errno.ENOSPC, errno.EDQUOT}


def _service_errors() -> tuple[type[BaseException], ...]:
    return (OperationalError, InterfaceError, RedisConnectionError, RedisTimeoutError)


def is_unavailable(error: BaseException | None) -> bool:
    """Whether this error means a service or the disk failed, not a bug: the database or Redis
    not answering, a disk (the database's included) full."""
    while error is not None:
        if isinstance(error, _service_errors()):
            return True
        if isinstance(error, OSError) and error.errno in _DISK_FULL:
            return True
        error = error.__cause__ or error.__context__
    return False


def _kept_fields(request: HttpRequest) -> list[tuple[str, str]]:
    """What the writer sent to a form that keeps text (core.recovery.csrf_recoverable): it
    passed its CSRF check, so it is theirs, and it goes back on the page."""
    if request.method != "POST":
        return []
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return []
    if not getattr(match.func, "recover_form_page", False):
        return []
    try:
        posted = request.POST
    except Exception:  # the body could not be read: there is nothing to give back
        return []
    return [
        (name, value)
        for name, values in posted.lists()
        if name not in _NOT_SHOWN
        for value in values
    ]


def unavailable(request: HttpRequest, error: BaseException | None) -> HttpResponse:
    """The 503 page: what failed, in words, and for a writer's form, their text."""
    disk = isinstance(error, OSError) or "full" in str(error).lower()
    logger.error("Service unavailable for %s %s: %r", request.method, request.path, error)
    fields = _kept_fields(request)
    context = {
        "cause": "disk" if disk else "service",
        "fields": fields,
        "long_fields": {name for name, value in fields if len(value) > 80 or "\n" in value},
        "action_url": request.path,
        "button": request.POST.get("action", "") if fields else "",
        "csrf_token": get_token(request) if fields else "",
        "retry_after": RETRY_AFTER_SECONDS,
    }
    response = HttpResponse(render_to_string("core/unavailable.html", context), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
