"""Errors as RFC 9457 problem documents (`application/problem+json`): every 4xx the API
answers, its own, ninja's validation errors, 404s, sign-in failures and throttles."""

from __future__ import annotations

import json
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError

PROBLEM_TYPE = "application/problem+json"
_TITLES = {
    400: "Bad request",
    401: "Sign-in needed",
    403: "Not allowed",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    413: "Too large",
    415: "Unsupported media type",
    422: "Invalid parameters",
    429: "Too many requests",
    503: "Unavailable",
}


class Problem(Schema):
    """An error: `title` names the kind, `detail` says what to do; `errors` lists each invalid
    field of a 422."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str
    errors: list[dict[str, Any]] | None = None


class ApiError(Exception):
    """An answer other than success, with the message the problem document carries."""

    def __init__(self, status: int, detail: str, *, headers: dict[str, str] | None = None):
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.headers = headers or {}
        self.errors: list[dict[str, Any]] | None = None


def problem(
    status: int,
    detail: str,
    *,
    errors: list[dict[str, Any]] | None = None,
    headers: dict[str, str] | None = None,
) -> HttpResponse:
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": _TITLES.get(status, "Error"),
        "status": status,
        "detail": detail,
    }
    if errors is not None:
        body["errors"] = errors
    response = HttpResponse(json.dumps(body), status=status, content_type=PROBLEM_TYPE)
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def _plain(value: Any) -> Any:
    """A validation error's parts, as JSON can carry them (ninja puts exceptions in `ctx`)."""
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def install_handlers(api: NinjaAPI) -> None:
    """Answer every error the API raises as a problem document."""

    @api.exception_handler(ApiError)
    def api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
        return problem(exc.status, exc.detail, errors=exc.errors, headers=exc.headers)

    @api.exception_handler(ValidationError)
    def invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        errors = [
            {key: _plain(error.get(key)) for key in ("loc", "msg", "type") if key in error}
            for error in exc.errors
        ]
        names = ", ".join(
            ".".join(str(part) for part in error.get("loc", ())[1:]) or "body" for error in errors
        )
        return problem(422, f"These parameters are not valid: {names}.", errors=errors)

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return problem(404, str(exc) or "There is nothing here.")

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return problem(401, "Sign in with a personal access token: Authorization: Bearer ...")

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        return problem(exc.status_code, str(exc.message))


PROBLEMS_READ = frozenset({400, 401, 404, 422, 429})
PROBLEMS_WRITE = frozenset({400, 401, 403, 404, 409, 413, 422, 429})
