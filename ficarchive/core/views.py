"""Site-wide views: error pages that look like the rest of the site."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


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
    return render(request, "core/error.html", {"status": 500, "title": "Server error"}, status=500)
