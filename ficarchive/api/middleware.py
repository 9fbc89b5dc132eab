"""What every answer under /api/ shares: a body too large for the API is refused before it is
read (413), an error that did not come from an operation (an unknown address, a method the
address does not take) is a problem document too, reads carry an ETag and answer 304 to a
matching If-None-Match, and read-only GETs may be read from any origin (CORS, without cookies:
`*` never lets a browser send them)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_vary_headers

from ficarchive.api.problems import PROBLEM_TYPE, problem

API_PREFIX = "/api/"
# A chapter's most text (510,000 characters) as JSON escapes it, with room for the rest.
API_BODY_BYTES = 4 * 1024 * 1024
_READS = ("GET", "HEAD")
_EXPOSED = "ETag, Retry-After"


class ApiMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith(API_PREFIX):
            return self.get_response(request)
        if request.method == "OPTIONS" and "HTTP_ACCESS_CONTROL_REQUEST_METHOD" in request.META:
            return _preflight(request)
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return problem(400, "Content-Length is not a number.")
        if length > API_BODY_BYTES:
            return problem(
                413, f"The body is {length:,} bytes; the API takes at most {API_BODY_BYTES:,}."
            )
        response = self.get_response(request)
        if response.status_code >= 400 and response.get("Content-Type", "") != PROBLEM_TYPE:
            response = _as_problem(response)
        if request.method in _READS:
            response["Access-Control-Allow-Origin"] = "*"
            response["Access-Control-Expose-Headers"] = _EXPOSED
            patch_vary_headers(response, ("Authorization", "Cookie"))
            if response.status_code == 200 and not response.streaming:
                return _conditional(request, response)
        return response


def _preflight(request: HttpRequest) -> HttpResponse:
    """Only reads are open to other origins: a preflight for anything else gets no CORS."""
    response = HttpResponse(status=204)
    if request.META.get("HTTP_ACCESS_CONTROL_REQUEST_METHOD", "").upper() in _READS:
        response["Access-Control-Allow-Origin"] = "*"
        response["Access-Control-Allow-Methods"] = "GET, HEAD"
        response["Access-Control-Allow-Headers"] = "Authorization, If-None-Match"
        response["Access-Control-Max-Age"] = "86400"
    return response


def _conditional(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    etag = '"' + hashlib.blake2b(response.content, digest_size=16).hexdigest() + '"'
    response["ETag"] = etag
    response.setdefault("Cache-Control", "private, no-cache")
    wanted = request.META.get("HTTP_IF_NONE_MATCH", "")
    tags = {tag.strip().removeprefix("W/") for tag in wanted.split(",")}
    if etag in tags or "*" in tags:
        not_modified = HttpResponseNotModified()
        for header in ("ETag", "Cache-Control", "Vary", "Access-Control-Allow-Origin"):
            if header in response:
                not_modified[header] = response[header]
        not_modified["Access-Control-Expose-Headers"] = _EXPOSED
        return not_modified
    return response


def _as_problem(response: HttpResponse) -> HttpResponse:
    status = response.status_code
    details = {
        404: "There is nothing at this address: /api/v1/docs lists what there is.",
        405: "This address does not take that method.",
    }
    converted = problem(status, details.get(status, "The request could not be answered."))
    for header in ("Allow", "Retry-After", "WWW-Authenticate"):
        if header in response:
            converted[header] = response[header]
    return converted


def api_not_found(request: HttpRequest) -> HttpResponse:
    return problem(404, "There is nothing at this address: /api/v1/docs lists what there is.")
