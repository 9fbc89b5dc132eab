"""The page for a failed CSRF check: posting forms come back filled (nothing typed is lost);
other forms get a page that says what happened and what to do."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ficarchive.core.recovery import recover_after_csrf_failure


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    recovered = recover_after_csrf_failure(request)
    if recovered is not None:
        return recovered
    return render(request, "accounts/csrf_failure.html", {"reason": reason}, status=403)
