"""Site-wide views: error pages that look like the rest of the site."""

import sys

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string

from ficarchive.core.unavailable import is_unavailable, unavailable


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(
        request, "core/error.html", {"status": 404, "title": "Page not found"}, status=404
    )


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    # The view's own reason ("Only tag wranglers can wrangle tags."), which our views write
    # for the reader; Django's bare PermissionDenied() has none.
    message = str(exception) if exception is not None else ""
    context = {"status": 403, "title": "Not allowed", "message": message}
    return render(request, "core/error.html", context, status=403)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "core/error.html", {"status": 400, "title": "Bad request"}, status=400)


def server_error(request: HttpRequest) -> HttpResponse:
    """Django calls this while handling the exception: one that says the database, Redis or
    the disk failed is a 503 that says so (core.unavailable), not a bug's 500."""
    error = sys.exc_info()[1]
    if is_unavailable(error):
        return unavailable(request, error)
    context = {"status": 500, "title": "Server error"}
    try:
        return render(request, "core/error.html", context, status=500)
    except Exception:
        # The site's page itself failed (its context reads the database): a plain one.
        page = render_to_string("core/error.html", context)
        return HttpResponse(page, status=500)
