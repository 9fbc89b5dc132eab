"""The Content-Security-Policy of every page: scripts and styles only from the archive (or
with the request's nonce), no plugins, no framing, forms only to the archive, and images only
from the archive unless the reader chose to load the remote images works show.

Issue 17, finding 8: every remote <img> in a work told its creator's server who read it and
when. The policy blocks them (their alt text shows instead); a logged-in reader may turn them
on in their preferences (`load_remote_images`). Guests' pages, which come from the shared page
cache, never carry a nonce of their own, since the archive's pages have no inline script.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

HEADER = "Content-Security-Policy"


def policy(nonce: str, remote_images: bool) -> str:
    images = "'self' data: https:" if remote_images else "'self' data:"
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src 'self' 'nonce-{nonce}'",
            f"style-src 'self' 'nonce-{nonce}'",
            f"img-src {images}",
            "font-src 'self'",
            "connect-src 'self'",
            "media-src 'none'",
            "object-src 'none'",
            "frame-src 'none'",
            "worker-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


def loads_remote_images(request: HttpRequest) -> bool:
    """The reader's choice, for a logged-in reader (whose pages are never shared)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    preferences = getattr(user, "preferences", None)
    return bool(callable(preferences) and getattr(preferences(), "load_remote_images", False))


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        nonce = secrets.token_urlsafe(16)
        request.csp_nonce = nonce  # type: ignore[attr-defined]
        response = self.get_response(request)
        if HEADER not in response:
            response[HEADER] = policy(nonce, loads_remote_images(request))
        return response
