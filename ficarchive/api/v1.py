"""Version 1 of the JSON API: stable once released, changed only by additions (docs/api.md)."""

from __future__ import annotations

from ninja import NinjaAPI

from ficarchive.api.problems import install_handlers
from ficarchive.api.views import comments, me, people, posting, search, tags, works

api = NinjaAPI(
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
