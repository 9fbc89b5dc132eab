"""Version 1 of the JSON API: stable once released, changed only by additions (docs/api.md)."""

from __future__ import annotations

from typing import Any

from ninja import NinjaAPI

from ficarchive.api.problems import PROBLEM_TYPE, install_handlers
from ficarchive.api.views import bookmarks, comments, me, people, posting, search, tags, works

_WORK = {"work_id": "$response.body#/id"}
_BOOKMARK = {"bookmark_id": "$response.body#/id"}
_CHAPTER = {"work_id": "$request.path.work_id", "chapter_id": "$response.body#/id"}
# OpenAPI links: what a client (and schemathesis' stateful tests) may do next with what an
# operation made, by operation id, with where each parameter comes from.
LINKS: dict[str, tuple[int, dict[str, dict[str, str]]]] = {
    "work_create": (
        201,
        {
            "work_get": _WORK,
            "work_edit": _WORK,
            "chapter_create": _WORK,
            "comments_list": _WORK,
            "comment_post": _WORK,
            "kudos_give": _WORK,
            "work_bookmark_create": _WORK,
            "work_bookmarks": _WORK,
        },
    ),
    "chapter_create": (201, {"chapter_get": _CHAPTER, "chapter_edit": _CHAPTER}),
    "comment_post": (201, {"comments_list": {"work_id": "$request.path.work_id"}}),
    "work_bookmark_create": (
        201,
        {"bookmark_get": _BOOKMARK, "bookmark_update": _BOOKMARK, "bookmark_delete": _BOOKMARK},
    ),
    "series_bookmark_create": (
        201,
        {"bookmark_get": _BOOKMARK, "bookmark_update": _BOOKMARK, "bookmark_delete": _BOOKMARK},
    ),
}


class ArchiveApi(NinjaAPI):
    """Documents what the operations answer beyond ninja's own: problem documents as
    application/problem+json, 304 for a read whose ETag matches If-None-Match, and the links
    from what an operation made to what can be done with it."""

    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        schema = super().get_openapi_schema(*args, **kwargs)
        for item in schema["paths"].values():
            for method, operation in item.items():
                responses = operation.get("responses", {})
                for response in responses.values():
                    content = response.get("content", {})
                    body = content.get("application/json")
                    if body and body.get("schema", {}).get("$ref", "").endswith("/Problem"):
                        response["content"] = {PROBLEM_TYPE: body}
                if method == "get":
                    responses["304"] = {"description": "Not modified: the ETag matched."}
                status, links = LINKS.get(operation.get("operationId", ""), (0, {}))
                if links:
                    # ninja keys the responses by number until the document is written out.
                    responses[status]["links"] = {
                        target: {"operationId": target, "parameters": parameters}
                        for target, parameters in links.items()
                    }
        return schema


api = ArchiveApi(
    title="ficarchive API",
    version="1",
    description=(
        "Everything a reader can do on the archive. Reads take guests; a personal access token "
        "(`Authorization: Bearer fa_...`, made in account settings) reads as its user, and one "
        "of scope write also changes things. Errors are RFC 9457 problem documents."
    ),
    urls_namespace="api-v1",
    openapi_url="/openapi.json",
    docs_url="/docs",
)
install_handlers(api)
# Posting adds its operations to the works router.
assert posting.router is works.router
for router in (
    works.router,
    search.router,
    comments.router,
    bookmarks.router,
    tags.router,
    people.router,
    people.series_router,
    me.router,
):
    api.add_router("", router)
