"""Helpers for the search tests: run a query as someone and see which works it finds."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.http import QueryDict

from ficarchive.search.engine import SearchResult, search_works
from ficarchive.search.parse import parse_search
from ficarchive.search.query import WorkQuery
from tests.tags.conftest import make_tag, make_work

__all__ = ["make_tag", "make_work"]

Find = Callable[..., list[str]]
Search = Callable[..., SearchResult]
FindParams = Callable[..., tuple[list[str], list[str]]]


@pytest.fixture
def search(db: None, guest: Any) -> Search:
    """`search(viewer=guest, **WorkQuery fields)`: the engine's whole result."""

    def run(viewer: Any = None, facets: bool = True, **fields: Any) -> SearchResult:
        return search_works(WorkQuery(**fields), viewer or guest, facets=facets)

    return run


@pytest.fixture
def find(search: Search) -> Find:
    """`find(viewer=guest, **WorkQuery fields)`: the titles found, in order."""

    def run(viewer: Any = None, **fields: Any) -> list[str]:
        fields.setdefault("per_page", 100)
        return [work.title for work in search(viewer, facets=False, **fields).works]

    return run


@pytest.fixture
def find_params(db: None, guest: Any) -> FindParams:
    """`find_params("q=...&sort=...", viewer=guest)`: titles found and the messages, as the
    search page reads a query string."""

    def run(query_string: str, viewer: Any = None) -> tuple[list[str], list[str]]:
        parsed = parse_search(QueryDict(query_string))
        result = search_works(parsed.query, viewer or guest, facets=False)
        return [work.title for work in result.works], parsed.errors + result.errors

    return run
