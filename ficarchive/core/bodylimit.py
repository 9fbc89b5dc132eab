"""How large a request body each route takes, so that text within a form's limits is never
refused by the request size first, and a body that is too large answers 413 with the form
page and a message, never a bare error page.

Issue 17, finding 5: a chapter may have 510,000 characters, but Django's one limit of 2.5 MB
refused a 300,000-character Japanese chapter (each character is 3 bytes of UTF-8, and 9 once
percent-encoded in a form post). A posting view says which forms it takes
(`@body_limit(WorkForm)`); its limit is then the most those forms' fields can hold, in bytes
of UTF-8 as a browser encodes them. Every other route keeps DEFAULT_BODY_BYTES.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render

from ficarchive.core.forms import DEFAULT_MAX_LENGTH

# Django's own default, for every route that names no forms.
DEFAULT_BODY_BYTES = 2_621_440
# The most bytes one character can take in a form post: 4 bytes of UTF-8, each "%XX".
BYTES_PER_CHARACTER = 12
# A field that names no length (a choice, a number, a checkbox), and the names and separators.
FIELD_BYTES = 4096
OVERHEAD_BYTES = 64 * 1024
_ATTRIBUTE = "body_limit_bytes"

View = Callable[..., HttpResponse]


def form_body_bytes(*form_classes: type[forms.Form]) -> int:
    """The largest body a post of these forms' fields can take, each at its own limit."""
    total = OVERHEAD_BYTES
    for form_class in form_classes:
        for field in form_class.base_fields.values():
            if isinstance(field, forms.CharField):
                length = int(field.max_length or DEFAULT_MAX_LENGTH)
                total += length * BYTES_PER_CHARACTER + FIELD_BYTES
            else:
                total += FIELD_BYTES
    return total


def body_limit(*form_classes: type[forms.Form]) -> Callable[[View], View]:
    """Mark a view with the body its forms can take (an attribute, as csrf_exempt is)."""
    limit = form_body_bytes(*form_classes)

    def mark(view: View) -> View:
        setattr(view, _ATTRIBUTE, limit)
        return view

    return mark


def route_body_bytes(view: Any) -> int:
    return int(getattr(view, _ATTRIBUTE, DEFAULT_BODY_BYTES))


class BodyLimitMiddleware:
    """Before the CSRF check reads the body: a body larger than its route takes is not read;
    the route's page is drawn as for a GET, with a message, and answers 413.
    DATA_UPLOAD_MAX_MEMORY_SIZE stays as the ceiling above every route's limit."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: View, args: Any, kwargs: Any
    ) -> HttpResponse | None:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = min(route_body_bytes(view), settings.DATA_UPLOAD_MAX_MEMORY_SIZE or length)
        if length <= limit:
            return None
        return too_large(request, view, args, kwargs, length, limit)


def too_large(
    request: HttpRequest, view: View, args: Any, kwargs: Any, length: int, limit: int
) -> HttpResponse:
    messages.error(
        request,
        f"What you sent ({length / 1_000_000:.1f} MB) is more than this form takes "
        f"({limit / 1_000_000:.1f} MB), so nothing was saved. Your text is still in the form "
        "you came from: go back in your browser, shorten it (or split it into chapters), and "
        "send it again.",
    )
    # The page as a GET draws it, without reading the body.
    request.method = "GET"
    request.POST = QueryDict()
    request._dont_enforce_csrf_checks = True  # type: ignore[attr-defined]
    response = view(request, *args, **kwargs)
    if response.status_code != 200:
        # A page that is no form as a GET (a redirect, an action's button): the plain page,
        # with the message.
        context = {"status": 413, "title": "Too large"}
        return render(request, "core/error.html", context, status=413)
    response.status_code = 413
    return response
