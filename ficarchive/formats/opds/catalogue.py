"""What the OPDS catalogue holds, whatever its version: navigation pages (the start, fandoms,
ratings) and acquisition pages (new works, most kudos, complete works, a tag's works, search
results), each as one value that ficarchive.formats.opds.v1 writes as Atom (OPDS 1.2) and v2
as JSON (OPDS 2.0). Works come through the one search entry point for the viewer, with the
reader's restricted access and filters (muted tags and users, default filters)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from django.http import QueryDict

from ficarchive.accounts.muting import reader_filter_for
from ficarchive.formats.feeds.selection import FeedPage, feed_works
from ficarchive.search.engine import SearchUnavailable, search_works
from ficarchive.search.parse import parse_search
from ficarchive.search.query import Sort, WorkQuery
from ficarchive.tags.models import Tag, TagType
from ficarchive.works.models import Work
from ficarchive.works.querysets import WorkQuerySet

PER_PAGE = 25
PER_PAGE_MAX = 100
# Deeper than any reader pages by hand; past it a number is a mistake or a crawler.
PAGE_MAX = 10_000


class BadRequest(ValueError):
    """A parameter the catalogue cannot take; the message says which and why."""


class NotFound(LookupError):
    """No such catalogue page; the message says why."""


@dataclass(frozen=True)
class NavItem:
    title: str
    path: str  # under the catalogue's root, as "new" or "tags/12"
    description: str
    kind: str = "acquisition"  # what the page it leads to is
    rel: str = "subsection"


@dataclass(frozen=True)
class Page:
    title: str
    path: str  # "" for the start
    kind: str  # "navigation" or "acquisition"
    navigation: list[NavItem] = field(default_factory=list)
    works: FeedPage | None = None
    params: dict[str, str] = field(default_factory=dict)  # kept on paging links (q)


@dataclass(frozen=True)
class _Section:
    title: str
    description: str
    rel: str
    query: WorkQuery
    order: Callable[[WorkQuerySet], WorkQuerySet]


SECTIONS: dict[str, _Section] = {
    "new": _Section(
        "New works",
        "The newest works, newest first.",
        "http://opds-spec.org/sort/new",
        WorkQuery(sort=Sort.POSTED, ascending=False),
        lambda works: works.order_by("-published_on", "-id"),
    ),
    "popular": _Section(
        "Most kudos",
        "The works with the most kudos.",
        "http://opds-spec.org/sort/popular",
        WorkQuery(sort=Sort.KUDOS, ascending=False),
        lambda works: works.order_by("-kudos_count", "-id"),
    ),
    "complete": _Section(
        "Complete works",
        "Complete works, the latest updated first.",
        "subsection",
        WorkQuery(complete=True, sort=Sort.UPDATED, ascending=False),
        lambda works: works.filter(complete=True).newest_first(),
    ),
}


def start() -> Page:
    items = [NavItem(s.title, slug, s.description, rel=s.rel) for slug, s in SECTIONS.items()]
    items += [
        NavItem("By fandom", "fandoms", "The fandoms with the most works.", kind="navigation"),
        NavItem("By rating", "ratings", "Works by their rating.", kind="navigation"),
    ]
    return Page("Catalogue", "", "navigation", navigation=items)


def fandoms(viewer: Any) -> Page:
    """The fandoms with the most works this viewer may list (the search sidebar's counts)."""
    try:
        result = search_works(WorkQuery(reader=reader_filter_for(viewer)), viewer)
        values = [
            (value.tag_id, value.name, value.count)
            for facet in result.facets
            if facet.key == TagType.FANDOM
            for value in facet.values
        ]
    except SearchUnavailable:
        tags = Tag.objects.filter(type=TagType.FANDOM, canonical=True).order_by("name")[:10]
        values = [(tag.pk, tag.name, 0) for tag in tags]
    items = [
        NavItem(name, f"tags/{pk}", f"{count:,} works" if count else f"Works in {name}")
        for pk, name, count in values
    ]
    return Page("By fandom", "fandoms", "navigation", navigation=items)


def ratings() -> Page:
    tags = Tag.objects.filter(type=TagType.RATING, canonical=True).order_by("pk")
    items = [NavItem(tag.name, f"tags/{tag.pk}", f"Works rated {tag.name}") for tag in tags]
    return Page("By rating", "ratings", "navigation", navigation=items)


def section(slug: str, viewer: Any, params: QueryDict) -> Page:
    found = SECTIONS.get(slug)
    if found is None:
        raise NotFound("No such catalogue page.")
    page = _works(found.query, viewer, params, lambda: found.order(_listed(viewer)))
    return Page(found.title, slug, "acquisition", works=page)


def tag_works(tag_id: int, viewer: Any, params: QueryDict) -> Page:
    """A canonical tag's works, its synonyms' and sub tags' included."""
    tag = Tag.objects.filter(pk=tag_id).first()
    if tag is None:
        raise NotFound("No such tag.")
    if not tag.canonical:
        raise NotFound("Only canonical tags are in the catalogue; this tag is not one (yet).")
    query = WorkQuery(include_tag_ids=(tag.pk,), sort=Sort.UPDATED, ascending=False)
    page = _works(query, viewer, params, lambda: _listed(viewer).with_tag(tag).newest_first())
    return Page(tag.name, f"tags/{tag.pk}", "acquisition", works=page)


def search(viewer: Any, params: QueryDict) -> Page:
    """The search box's query (`q`, or OPDS 2.0's `query`, with the search page's shortcuts such
    as `words>1000`)."""
    text = params.get("q") or params.get("query", "")
    asked = QueryDict(mutable=True)
    asked["q"] = text
    parsed = parse_search(asked, WorkQuery())
    if parsed.errors:
        raise BadRequest(" ".join(parsed.errors))
    page = _works(parsed.query, viewer, params, lambda: _listed(viewer).none())
    return Page(f"Search: {text}", "search", "acquisition", works=page, params={"q": text})


def _listed(viewer: Any) -> WorkQuerySet:
    return Work.objects.listed_for(viewer)


def _works(
    query: WorkQuery,
    viewer: Any,
    params: QueryDict,
    fallback: Callable[[], WorkQuerySet],
) -> FeedPage:
    page, per_page = paging(params)
    query = replace(query, reader=reader_filter_for(viewer), page=page, per_page=per_page)
    return feed_works(query, viewer, fallback)


def paging(params: QueryDict) -> tuple[int, int]:
    """`page` and `per_page`, checked: whole numbers, within bounds."""
    page = _whole(params, "page", 1, 1, PAGE_MAX)
    per_page = _whole(params, "per_page", PER_PAGE, 1, PER_PAGE_MAX)
    return page, per_page


def _whole(params: QueryDict, name: str, default: int, low: int, high: int) -> int:
    raw = params.get(name, "")
    if raw == "":
        return default
    if not (raw.isascii() and raw.isdigit()) or not low <= int(raw) <= high:
        raise BadRequest(f"{name} must be a whole number from {low} to {high:,}.")
    return int(raw)
