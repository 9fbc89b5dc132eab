"""The catalogue as OPDS 1.2: Atom feeds, navigation and acquisition, written by the feeds'
generator (Django's feedgenerator), with paging links, OpenSearch counts and the OpenSearch
description that lets e-reader apps search the archive."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse
from django.urls import reverse
from django.utils.html import escape
from django.utils.http import urlencode

from ficarchive.core.site import absolute_url
from ficarchive.formats.feeds.entries import Entry
from ficarchive.formats.feeds.generator import ArchiveFeed
from ficarchive.formats.opds.catalogue import NavItem, Page

PROFILE = "application/atom+xml;profile=opds-catalog"
NAVIGATION = f"{PROFILE};kind=navigation"
ACQUISITION = f"{PROFILE};kind=acquisition"
OPEN_ACCESS = "http://opds-spec.org/acquisition/open-access"
OPENSEARCH = "application/opensearchdescription+xml"


class OPDSFeed(ArchiveFeed):
    content_type = f"{ACQUISITION}; charset=utf-8"


def url(path: str, params: dict[str, str] | None = None) -> str:
    """A catalogue page's full address."""
    base = absolute_url(reverse("formats:opds_root")) + path
    return f"{base}?{urlencode(params)}" if params else base


def render(page: Page) -> HttpResponse:
    kind = NAVIGATION if page.kind == "navigation" else ACQUISITION
    self_params = dict(page.params)
    works = page.works
    if works is not None and works.page > 1:
        self_params["page"] = str(works.page)
    if works is not None and works.per_page != 25:
        self_params["per_page"] = str(works.per_page)
    links = [
        {"rel": "start", "href": url(""), "type": NAVIGATION},
        {"rel": "search", "href": url("opensearch.xml"), "type": OPENSEARCH},
    ]
    if page.path:
        links.append({"rel": "up", "href": url(""), "type": NAVIGATION})
    extensions: list[tuple[str, str]] = []
    if works is not None:
        for rel, number, shown in (
            ("first", 1, works.page > 1),
            ("previous", works.page - 1, works.has_previous),
            ("next", works.page + 1, works.has_next),
            ("last", works.pages, works.page < works.pages),
        ):
            if shown:
                params = {**self_params, "page": str(number)}
                links.append({"rel": rel, "href": url(page.path, params), "type": kind})
        extensions = [
            ("opensearch:totalResults", str(works.total)),
            ("opensearch:itemsPerPage", str(works.per_page)),
            ("opensearch:startIndex", str((works.page - 1) * works.per_page + 1)),
        ]
    feed_url = url(page.path, self_params)
    feed = OPDSFeed(
        title=f"{settings.SITE_NAME}: {page.title}",
        link=absolute_url("/"),
        description=page.title,
        feed_url=feed_url,
        feed_guid=feed_url,
        author_name=settings.SITE_NAME,
        author_link=absolute_url("/"),
        language=None,
        links=links,
        extensions=extensions,
        namespaces=True,
    )
    feed.content_type = f"{kind}; charset=utf-8"
    for item in page.navigation:
        _add_navigation(feed, item)
    for entry in works.works if works is not None else []:
        _add_work(feed, entry)
    response = HttpResponse(content_type=feed.content_type)
    feed.write(response, "utf-8")
    return response


def _add_navigation(feed: ArchiveFeed, item: NavItem) -> None:
    target = url(item.path)
    kind = NAVIGATION if item.kind == "navigation" else ACQUISITION
    feed.add_item(
        title=item.title,
        link="",
        description="",
        unique_id=target,
        updateddate=feed.latest_post_date(),
        links=[{"rel": item.rel, "href": target, "type": kind}],
        content=("text", item.description),
    )


def _add_work(feed: ArchiveFeed, entry: Entry) -> None:
    links = [{"rel": "alternate", "href": entry.url, "type": "text/html"}]
    links += [
        {"rel": OPEN_ACCESS, "href": a.url, "type": a.content_type, "title": a.label}
        for a in entry.acquisitions
    ]
    extensions = [("dc:issued", entry.published.date().isoformat())]
    if entry.language_code:
        extensions.append(("dc:language", entry.language_code))
    feed.add_item(
        title=entry.title,
        link="",
        description=entry.summary_text,
        summary_type="text",
        content=("html", entry.description),
        unique_id=entry.url,
        pubdate=entry.published,
        updateddate=entry.updated,
        authors=[(person.name, person.url) for person in entry.authors],
        links=links,
        category_items=[
            {"term": tag.name, "label": f"{tag.type_label}: {tag.name}"} for tag in entry.tags
        ],
        extensions=extensions,
    )


def opensearch_description() -> HttpResponse:
    """The OpenSearch description that the catalogue's `search` link names."""
    template = escape(url("search") + "?q={searchTerms}")
    name = escape(settings.SITE_NAME[:16])
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<OpenSearchDescription xmlns="http://a9.com/-/spec/opensearch/1.1/">'
        f"<ShortName>{name}</ShortName>"
        f"<Description>Search the works of {escape(settings.SITE_NAME)}</Description>"
        "<InputEncoding>UTF-8</InputEncoding><OutputEncoding>UTF-8</OutputEncoding>"
        f'<Url type="{ACQUISITION}" template="{template}"/>'
        "</OpenSearchDescription>"
    )
    return HttpResponse(body, content_type=f"{OPENSEARCH}; charset=utf-8")
