"""The catalogue as OPDS 2.0: the same pages as JSON feeds (navigation, publications, paging
links and a templated search link)."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.http import HttpResponse
from django.urls import reverse
from django.utils.http import urlencode

from ficarchive.core.site import absolute_url
from ficarchive.formats.feeds.entries import Entry
from ficarchive.formats.opds.catalogue import NavItem, Page

OPDS_JSON = "application/opds+json"
OPEN_ACCESS = "http://opds-spec.org/acquisition/open-access"


def url(path: str, params: dict[str, str] | None = None) -> str:
    base = absolute_url(reverse("formats:opds2_root")) + path
    return f"{base}?{urlencode(params)}" if params else base


def render(page: Page) -> HttpResponse:
    document = feed(page)
    body = json.dumps(document, ensure_ascii=False, separators=(",", ":"))
    return HttpResponse(body, content_type=f"{OPDS_JSON}; charset=utf-8")


def feed(page: Page) -> dict[str, Any]:
    works = page.works
    self_params = dict(page.params)
    if works is not None and works.page > 1:
        self_params["page"] = str(works.page)
    if works is not None and works.per_page != 25:
        self_params["per_page"] = str(works.per_page)
    metadata: dict[str, Any] = {"title": f"{settings.SITE_NAME}: {page.title}"}
    links: list[dict[str, Any]] = [
        {"rel": "self", "href": url(page.path, self_params), "type": OPDS_JSON},
        {"rel": "start", "href": url(""), "type": OPDS_JSON},
        {
            "rel": "search",
            "href": url("search") + "{?query}",
            "type": OPDS_JSON,
            "templated": True,
        },
    ]
    document: dict[str, Any] = {"metadata": metadata, "links": links}
    if page.navigation:
        document["navigation"] = [_navigation(item) for item in page.navigation]
    if works is not None:
        metadata.update(
            numberOfItems=works.total, itemsPerPage=works.per_page, currentPage=works.page
        )
        for rel, number, shown in (
            ("first", 1, works.page > 1),
            ("previous", works.page - 1, works.has_previous),
            ("next", works.page + 1, works.has_next),
            ("last", works.pages, works.page < works.pages),
        ):
            if shown:
                params = {**self_params, "page": str(number)}
                links.append({"rel": rel, "href": url(page.path, params), "type": OPDS_JSON})
        if works.works:
            document["publications"] = [publication(entry) for entry in works.works]
    if "navigation" not in document and "publications" not in document:
        # An empty page: a feed needs publications or navigation, so it leads back.
        document["navigation"] = [
            {"href": url(""), "title": "Back to the catalogue", "type": OPDS_JSON, "rel": "start"}
        ]
    return document


def _navigation(item: NavItem) -> dict[str, Any]:
    return {"href": url(item.path), "title": item.title, "type": OPDS_JSON, "rel": item.rel}


def publication(entry: Entry) -> dict[str, Any]:
    metadata: dict[str, Any] = {
        "@type": "http://schema.org/Book",
        "identifier": entry.url,
        "title": entry.title,
        "author": [
            {"name": person.name, "links": [{"href": person.url, "type": "text/html"}]}
            if person.url
            else {"name": person.name}
            for person in entry.authors
        ],
        "published": entry.published.date().isoformat(),
        "modified": entry.updated.isoformat(),
        "subject": [{"name": tag.name, "code": tag.type} for tag in entry.tags],
    }
    if entry.language_code:
        metadata["language"] = entry.language_code
    if entry.summary_text:
        metadata["description"] = entry.summary_text
    links: list[dict[str, Any]] = [
        {"rel": OPEN_ACCESS, "href": a.url, "type": a.content_type, "title": a.label}
        for a in entry.acquisitions
    ]
    links.append({"rel": "alternate", "href": entry.url, "type": "text/html"})
    return {"metadata": metadata, "links": links}
