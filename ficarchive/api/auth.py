"""Who is asking the API: a guest, a reader with a personal access token (`Authorization:
Bearer`, accounts.apitokens; scope read or write), or the site's own pages with the session
cookie (writes then need the CSRF token). Every request is counted against API_RATE_LIMIT per
address and per user through the site's one throttle (core.throttle); failed token sign-ins
count as failed logins, as the OPDS catalogue's do."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from ninja.security import HttpBearer
from ninja.utils import check_csrf

from ficarchive.accounts.apitokens import user_for_token
from ficarchive.accounts.models import TokenScope
from ficarchive.api.problems import ApiError
from ficarchive.core.throttle import throttle

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def _realm() -> str:
    return f'Bearer realm="{settings.SITE_NAME}"'


def _limited(request: HttpRequest, group: str, rate: str, names: list[str]) -> None:
    wait = throttle(request, group, rate, names)
    if wait:
        raise ApiError(
            429,
            f"Too many requests: try again in {wait} seconds.",
            headers={"Retry-After": str(wait)},
        )


class Viewer(HttpBearer):
    """The viewer of a request. `write` operations need a signed-in user with a token of scope
    write (or the session and its CSRF token); reads take guests too."""

    def __init__(self, *, write: bool = False) -> None:
        super().__init__()
        self.write = write

    def __call__(self, request: HttpRequest) -> Any:
        header = request.headers.get("Authorization", "")
        if header:
            scheme, _, token = header.partition(" ")
            if scheme.lower() != "bearer" or not token.strip():
                raise ApiError(
                    401,
                    "Sign in with a personal access token: Authorization: Bearer <token>.",
                    headers={"WWW-Authenticate": _realm()},
                )
            return self.authenticate(request, token.strip())
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            if request.method not in SAFE_METHODS and check_csrf(request) is not None:
                raise ApiError(403, "A signed-in page must send its CSRF token (X-CSRFToken).")
            _limited(request, "api", settings.API_RATE_LIMIT, [f"user:{user.pk}"])
            return user
        if self.write:
            raise ApiError(
                401,
                "Writing needs a personal access token of scope write (account settings, Tokens).",
                headers={"WWW-Authenticate": _realm()},
            )
        _limited(request, "api", settings.API_RATE_LIMIT, [])
        return AnonymousUser()

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        rate = settings.ACCOUNT_RATE_LIMIT
        wait = throttle(request, "login", rate, increment=False)
        if wait:
            raise ApiError(
                429,
                f"Too many failed sign-ins: try again in {wait} seconds.",
                headers={"Retry-After": str(wait)},
            )
        user = user_for_token(token)
        if user is None:
            throttle(request, "login", rate)
            raise ApiError(
                401,
                "That token is not valid: it may have been revoked.",
                headers={"WWW-Authenticate": f'{_realm()}, error="invalid_token"'},
            )
        if self.write and user_for_token(token, TokenScope.WRITE) is None:
            raise ApiError(
                403, "This token may only read: make one of scope write to change things."
            )
        _limited(request, "api", settings.API_RATE_LIMIT, [f"user:{user.pk}"])
        return user


read_viewer = Viewer()
write_viewer = Viewer(write=True)


def signed_in(viewer: Any) -> Any:
    """The viewer, who must be signed in (a reader's own lists)."""
    if not viewer.is_authenticated:
        raise ApiError(
            401,
            "Sign in with a personal access token to see your own lists.",
            headers={"WWW-Authenticate": _realm()},
        )
    return viewer
