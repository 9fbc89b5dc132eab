"""Whole pages kept in the cache for guests, who all see the same page: listings' first pages,
and the reading pages of works. Logged-in readers always get a fresh page.

A cached page may be up to GUEST_CACHE_SECONDS old; hits still count on every visit. A cached
work page is served only while the visibility rule still lets guests open the work. Pages are
kept compressed (zlib, its fastest level): a shared cache (the database's, or Redis) moves a
fifth of the bytes, and the database's decodes a fifth as much base64.
"""

from __future__ import annotations

import hashlib
import zlib
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from ficarchive.works.gate import VIEW_ADULT_SESSION_KEY
from ficarchive.works.listing import page_number
from ficarchive.works.models import Chapter
from ficarchive.works.templatetags.reading import blurb_key

GUEST_CACHE_SECONDS = 60
# As the largest archive does, only the first pages of a listing: they get nearly all visits.
GUEST_CACHED_PAGES = 5
# Part of every cached listing's key: raising it drops them all at once (forget_work).
LISTINGS_GENERATION_KEY = "guestpage:generation"


def _has_messages(request: HttpRequest) -> bool:
    """Whether a message waits for this reader (Django keeps them in a cookie, or in the
    session when they do not fit): such a page is theirs alone."""
    return "messages" in request.COOKIES or "_messages" in request.session


def _guest_key(request: HttpRequest, kind: str, *parts: object) -> str | None:
    """A cache key for this request's page, or None when the page must not come from the cache
    (not a guest, not a GET, a message to show)."""
    if request.method != "GET" or request.user.is_authenticated or _has_messages(request):
        return None
    return _page_key(kind, request.get_full_path(), *parts)


def _page_key(kind: str, full_path: str, *parts: object) -> str:
    path = "|".join([full_path, *map(str, parts)])
    # "z": compressed pages, so that pages an older version cached are never read as such.
    return f"{kind}z:{hashlib.blake2b(path.encode(), digest_size=16).hexdigest()}"


def forget_work_pages(work_id: int) -> None:
    """Drop the guests' cached reading pages of a work (whole, full view and each chapter), so
    that a change that must show at once (hidden, orphaned, kudos) does. Other query strings
    are left to expire after GUEST_CACHE_SECONDS."""

    paths = [reverse("works:work_detail", args=[work_id])]
    paths.append(paths[0] + "?view_full_work=true")
    for chapter_id in Chapter.objects.filter(work_id=work_id).values_list("pk", flat=True):
        paths.append(reverse("works:chapter_detail", args=[work_id, chapter_id]))
    cache.delete_many(
        [_page_key("guestwork", path, passed) for path in paths for passed in (False, True)]
    )


def guest_page_cache(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Serve a listing's first pages to guests from the cache."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        key = None
        if set(request.GET) <= {"page"} and page_number(request) <= GUEST_CACHED_PAGES:
            key = _guest_key(request, "guestpage", cache.get(LISTINGS_GENERATION_KEY, 0))
        if key is None:
            return view(request, *args, **kwargs)
        content = cache.get(key)
        if content is not None:
            return HttpResponse(zlib.decompress(content))
        response = view(request, *args, **kwargs)
        if response.status_code == 200:
            cache.set(key, zlib.compress(response.content, 1), GUEST_CACHE_SECONDS)
        return response

    return wrapped


def reading_cache_key(request: HttpRequest) -> str | None:
    """The key of a guest's reading page. It includes whether the guest has passed the adult
    gate this session, since that changes what an adult work's page shows."""
    if request.user.is_authenticated:
        return None
    passed = bool(request.session.get(VIEW_ADULT_SESSION_KEY, False))
    return _guest_key(request, "guestwork", passed)


def cached_reading(key: str | None) -> tuple[bytes, bool] | None:
    """The cached page for this key and whether it showed the work's text, if cached."""
    if key is None:
        return None
    entry: tuple[bytes, bool] | None = cache.get(key)
    if entry is None:
        return None
    content, text_shown = entry
    return zlib.decompress(content), text_shown


def forget_reading(key: str | None) -> None:
    if key is not None:
        cache.delete(key)


def cache_reading(key: str | None, response: HttpResponse, text_shown: bool) -> None:
    if key is not None and response.status_code == 200:
        cache.set(key, (zlib.compress(response.content, 1), text_shown), GUEST_CACHE_SECONDS)


def forget_work(work: Any) -> None:
    """Drop everything cached that shows this work as it was: its blurb, guests' pages of it,
    and guests' cached listings, for a change that must show at once (hidden, orphaned).

    With the local cache this reaches only the process that made the change; with Redis (as in
    production), every worker.
    """

    cache.delete(blurb_key(work))
    forget_work_pages(work.pk)
    try:
        cache.incr(LISTINGS_GENERATION_KEY)
    except ValueError:
        cache.set(LISTINGS_GENERATION_KEY, 1, None)
