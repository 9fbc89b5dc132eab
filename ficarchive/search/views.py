"""The search page, and the filtered listing that the search page, the home page, tag pages
and creator pages share: results, their count and the filter sidebar."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any, cast

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ficarchive.accounts.muting import reader_filter_for
from ficarchive.search.engine import SearchUnavailable, listed_language_ids, search_works
from ficarchive.search.parse import parse_search
from ficarchive.search.query import OFFERED_SORTS, WorkQuery
from ficarchive.tags.models import Tag, TagType
from ficarchive.works.listing import listing_page
from ficarchive.works.models import Language, Work
from ficarchive.works.querysets import WorkQuerySet

# Shows, this once, what the reader's muted tags, muted users and default filters hide.
SHOW_HIDDEN = "show_hidden"
# Parameters that only page through a listing; any other means the reader filtered it.
PAGING = {"page", SHOW_HIDDEN}


def work_search(request: HttpRequest) -> HttpResponse:
    """The search page: a search box, more options, and the filtered listing."""
    context = filtered_listing(request, WorkQuery(), fallback=None)
    context["searched"] = bool(set(request.GET) - PAGING)
    context["form_tags"] = fixed = _fixed_tags()
    # Warnings and categories, each to include or to leave out (as in the sidebar).
    context["fixed_groups"] = [
        ("Warnings", "warnings", fixed[TagType.WARNING]),
        ("Categories", "categories", fixed[TagType.CATEGORY]),
    ]
    context["stat_fields"] = [
        ("words", "Word count"),
        ("hits", "Hits"),
        ("kudos", "Kudos"),
        ("comments", "Comments"),
        ("bookmarks", "Bookmarks"),
    ]
    # Only languages of works this reader could find, so that the list leaks nothing: from
    # the index (a semi-join over every work took 360 ms at a million works).
    listed: Any = listed_language_ids(request.user)
    if listed is None:
        listed = Work.objects.listed_for(request.user).values("language_id")
    context["languages"] = Language.objects.filter(pk__in=listed).order_by("name")
    return render(request, "search/search.html", context)


def filtered_listing(
    request: HttpRequest,
    base: WorkQuery,
    fallback: Callable[[], QuerySet[Any]] | None,
) -> dict[str, Any]:
    """The context of a filtered listing: `page` (a Django page of works), `facets`, the
    parsed `query` and the `tags` it names, `search_errors`. While the index is being built,
    a listing falls back to `fallback` (the database, newest first, without filters)."""
    showing_hidden = request.GET.get(SHOW_HIDDEN) == "1"
    reader = None if showing_hidden else reader_filter_for(request.user)
    parsed = parse_search(request.GET, replace(base, reader=reader))
    errors = list(parsed.errors)
    try:
        result = search_works(parsed.query, request.user)
    except SearchUnavailable:
        if fallback is None:
            return {
                "unavailable": True,
                "query": parsed.query,
                "search_errors": errors,
                "sorts": OFFERED_SORTS,
                "tags": parsed.tags,
            }
        if set(request.GET) - PAGING:
            errors.append("Filters will work again in a minute: the search index is being built.")
        works = fallback()
        effective = parsed.query.effective_reader()
        if effective is not None:
            works = cast(WorkQuerySet, works).without_muted(effective)
        return {
            "page": listing_page(works, request),
            "facets": [],
            "query": parsed.query,
            "tags": parsed.tags,
            "search_errors": errors,
            "sorts": OFFERED_SORTS,
        }
    errors.extend(result.errors)
    return {
        "page": result.page_obj,
        "facets": result.facets,
        "query": parsed.query,
        "tags": parsed.tags,
        "search_errors": errors,
        "sorts": OFFERED_SORTS,
        "effective_sort": parsed.query.effective_sort().value,
        "hidden_by_reader": result.hidden_by_reader,
        "showing_hidden": showing_hidden,
        "show_hidden_param": SHOW_HIDDEN,
    }


def _fixed_tags() -> dict[str, list[Tag]]:
    """The ratings, warnings and categories the form offers: canonical tags only, since a
    synonym (such as the largest archive's internal warning name) is on no work itself."""
    tags: dict[str, list[Tag]] = {TagType.RATING: [], TagType.WARNING: [], TagType.CATEGORY: []}
    for tag in Tag.objects.filter(type__in=list(tags), canonical=True).order_by("pk"):
        tags[tag.type].append(tag)
    return tags
