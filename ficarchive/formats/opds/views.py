"""The OPDS catalogue's pages, in both versions (`version` is 1 or 2 in the URL patterns): the
viewer from the request's sign-in, the page from ficarchive.formats.opds.catalogue, written by
v1 or v2. Wrong parameters and missing pages are clear 400 and 404 answers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_safe

from ficarchive.formats.feeds.answers import error
from ficarchive.formats.feeds.selection import PastTheEnd
from ficarchive.formats.opds import catalogue, v1, v2
from ficarchive.formats.opds.auth import SignInFailed, catalogue_viewer
from ficarchive.formats.opds.catalogue import BadRequest, NotFound, Page

_RENDERERS: dict[int, Callable[[Page], HttpResponse]] = {1: v1.render, 2: v2.render}


def _answer(request: HttpRequest, version: int, build: Callable[[Any], Page]) -> HttpResponse:
    try:
        viewer = catalogue_viewer(request)
        page = build(viewer)
    except SignInFailed as failed:
        return failed.response
    except BadRequest as bad:
        return error(request, 400, str(bad))
    except (NotFound, PastTheEnd) as missing:
        return error(request, 404, str(missing))
    response = _RENDERERS[version](page)
    # The page depends on who signed in: caches must keep readers' pages apart.
    response["Vary"] = "Authorization"
    return response


@require_safe
def start(request: HttpRequest, version: int) -> HttpResponse:
    return _answer(request, version, lambda viewer: catalogue.start())


@require_safe
def fandoms(request: HttpRequest, version: int) -> HttpResponse:
    return _answer(request, version, catalogue.fandoms)


@require_safe
def ratings(request: HttpRequest, version: int) -> HttpResponse:
    return _answer(request, version, lambda viewer: catalogue.ratings())


@require_safe
def section(request: HttpRequest, version: int, slug: str) -> HttpResponse:
    return _answer(request, version, lambda viewer: catalogue.section(slug, viewer, request.GET))


@require_safe
def tag_works(request: HttpRequest, version: int, tag_id: int) -> HttpResponse:
    return _answer(
        request, version, lambda viewer: catalogue.tag_works(tag_id, viewer, request.GET)
    )


@require_safe
def search(request: HttpRequest, version: int) -> HttpResponse:
    return _answer(request, version, lambda viewer: catalogue.search(viewer, request.GET))


@require_safe
def opensearch(request: HttpRequest) -> HttpResponse:
    return v1.opensearch_description()
