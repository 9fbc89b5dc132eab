"""Whole pages kept in the cache for guests, who all see the same page: listings' first pages,
and the reading pages of works. Logged-in readers always get a fresh page.

A cached page may be up to GUEST_CACHE_SECONDS old; hits still count on every visit. A cached
work page is served only while the visibility rule still lets guests open the work. Pages are
kept gzipped (zlib's fastest level): a shared cache (the database's, or Redis) moves a fifth of
the bytes, the database's decodes a fifth as much base64, and a reader whose browser accepts
gzip (every browser does) gets the stored bytes as they are, never decompressed on the server.
A cached page is the same for every guest, so it holds no secret that compression could leak
(BREACH).
"""

from __future__ import annotations

import gzip
import hashlib
import re
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
# As Django's GZipMiddleware reads Accept-Encoding.
ACCEPTS_GZIP = re.compile(r"\bgzip\b")


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
    # "g": gzipped pages, so that pages an older version cached are never read as such.
    return f"{kind}g:{hashlib.blake2b(path.encode(), digest_size=16).hexdigest()}"


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
            key = _guest_key(request, "guestpage")
        if key is None:
            return view(request, *args, **kwargs)
        # The listings' generation and the page in one read: a page made before the
        # generation last rose (forget_work) is not served.
        entries = cache.get_many([LISTINGS_GENERATION_KEY, key])
        generation = entries.get(LISTINGS_GENERATION_KEY, 0)
        entry: tuple[int, bytes] | None = entries.get(key)
        if entry is not None and entry[0] == generation:
            return cached_response(request, entry[1])
        response = view(request, *args, **kwargs)
        if response.status_code == 200:
            cache.set(key, (generation, _compress(response.content)), GUEST_CACHE_SECONDS)
        return response

    return wrapped


def reading_cache_key(request: HttpRequest) -> str | None:
    """The key of a guest's reading page. It includes whether the guest has passed the adult
    gate this session, since that changes what an adult work's page shows."""
    if request.user.is_authenticated:
        return None
    passed = bool(request.session.get(VIEW_ADULT_SESSION_KEY, False))
    return _guest_key(request, "guestwork", passed)


def _compress(content: bytes) -> bytes:
    # mtime=0: the same page gives the same bytes.
    return gzip.compress(content, compresslevel=1, mtime=0)


def cached_response(request: HttpRequest, compressed: bytes) -> HttpResponse:
    """A cached page as the response: gzipped as stored when the reader accepts it."""
    if ACCEPTS_GZIP.search(request.headers.get("accept-encoding", "")):
        response = HttpResponse(compressed, headers={"Content-Encoding": "gzip"})
    else:
        response = HttpResponse(gzip.decompress(compressed))
    # The same URL answers either way, so shared caches on the way must keep both.
    response["Vary"] = "Accept-Encoding"
    return response


def cached_reading(key: str | None) -> tuple[bytes, bool] | None:
    """The cached page for this key, gzipped, and whether it showed the work's text, if
    cached (`cached_response` makes it the response)."""
    if key is None:
        return None
    entry: tuple[bytes, bool] | None = cache.get(key)
    return entry


def forget_reading(key: str | None) -> None:
    if key is not None:
        cache.delete(key)


def cache_reading(key: str | None, response: HttpResponse, text_shown: bool) -> None:
    if key is not None and response.status_code == 200:
        cache.set(key, (_compress(response.content), text_shown), GUEST_CACHE_SECONDS)


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
