"""Paginated listings of works: reading the page number safely, and counting without
recounting."""

from __future__ import annotations

from typing import Any

from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.functional import cached_property

WORKS_PER_PAGE = 20
MAX_PAGE = 1_000_000
# Counting a large listing is the slowest query of the page; a count a minute old is fine.
COUNT_SECONDS = 60


def page_number(request: HttpRequest) -> int:
    """The page asked for; anything that is not a sensible page number means the first."""
    value = request.GET.get("page", "")
    if value.isascii() and value.isdigit() and 0 < int(value) <= MAX_PAGE:
        return int(value)
    return 1


class CachedCountPaginator(Paginator):
    """A paginator that keeps its total in the cache under `count_key`, when one is given."""

    def __init__(
        self, object_list: QuerySet[Any], per_page: int, count_key: str | None = None
    ) -> None:
        super().__init__(object_list, per_page)
        self.works = object_list
        self.count_key = count_key

    @cached_property
    def count(self) -> int:
        if self.count_key is None:
            return self.works.count()
        count = cache.get_or_set(f"count:{self.count_key}", self.works.count, COUNT_SECONDS)
        return self.works.count() if count is None else int(count)


def listing_page(works: QuerySet[Any], request: HttpRequest, count_key: str | None = None) -> Page:
    """The requested page of a listing; past the end, the last page."""
    paginator = CachedCountPaginator(works, WORKS_PER_PAGE, count_key)
    return paginator.get_page(page_number(request))


def audience(request: HttpRequest) -> str:
    """Which version of a listing a reader sees: guests do not see restricted works."""
    return "members" if request.user.is_authenticated else "public"
