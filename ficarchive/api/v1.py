"""Version 1 of the JSON API: stable once released, changed only by additions (docs/api.md)."""

from __future__ import annotations

from typing import Any

from ninja import NinjaAPI

from ficarchive.api.problems import PROBLEM_TYPE, install_handlers
from ficarchive.api.views import comments, me, people, posting, search, tags, works


class ArchiveApi(NinjaAPI):
    """Documents what the operations answer beyond ninja's own: problem documents as
    application/problem+json, and 304 for a read whose ETag matches If-None-Match."""

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
    tags.router,
    people.router,
    people.series_router,
    me.router,
):
    api.add_router("", router)
