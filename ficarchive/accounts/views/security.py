"""The page for a failed CSRF check: 403, and no form filled from the request (a cross-site
page could have written it). A logged-in writer's text from their own session is kept for
them (core.recovery) and comes back when they open the form again."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ficarchive.core.recovery import keep_after_csrf_failure


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    kept_at = keep_after_csrf_failure(request)
    context = {"reason": reason, "kept_at": kept_at}
    return render(request, "core/csrf_failure.html", context, status=403)
