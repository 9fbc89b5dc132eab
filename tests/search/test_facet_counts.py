"""Facet counts stay exact although the terms aggregation keeps only the top values of each
index segment (search.facets): one segment counts all of its values before it cuts; the build's
segment and the indexer's later ones are counted apart; otherwise every segment reports every
value."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.cache import cache
from django.utils import timezone

from ficarchive.core.models import ChangeLog
from ficarchive.search import facets
from ficarchive.search.index import live_searcher
from ficarchive.tags.models import Tag, TagType
from tests.search.conftest import Search
from tests.tags.conftest import MakeTag, MakeWork

pytestmark = pytest.mark.django_db


@pytest.fixture
def fandoms(make_tag: MakeTag) -> tuple[Tag, Tag]:
    first = make_tag("First Fandom", type=TagType.FANDOM, canonical=True)
    second = make_tag("Second Fandom", type=TagType.FANDOM, canonical=True)
    return first, second


@pytest.fixture
def recounts(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """The facets counted a second time, over every segment with every value."""
    seen: list[list[str]] = []
    recount = facets.FacetCounting._recount

    def recording(self: facets.FacetCounting, keys: list[str]) -> facets.Buckets:
        seen.append(keys)
        return recount(self, keys)

    monkeypatch.setattr(facets.FacetCounting, "_recount", recording)
    return seen


def _top_fandom(search: Search, monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, int]]:
    """The sidebar's fandoms when each segment keeps only its top value, and one is shown."""
    monkeypatch.setattr(facets, "FACET_SIZE", 1)
    monkeypatch.setattr(facets, "FACET_SEGMENT_SIZE", 1)
    cache.clear()  # facets counted before are cached for this index version
    result: Any = search()
    fandom = next(facet for facet in result.facets if facet.key == "fandom")
    return [(value.name, value.count) for value in fandom.values]


def _built(search: Search, works: int) -> None:
    """The index built from these works, as an archive's index is some time after its build:
    their changes applied long before, so that the build does not apply them again."""
    an_hour_ago = timezone.now() - timedelta(hours=1)
    ChangeLog.objects.update(created_at=an_hour_ago)
    assert search().total == works
    assert _segments() == 1


def _built_then_indexed(
    search: Search, make_work: MakeWork, built: tuple[Tag, ...], since: tuple[Tag, ...]
) -> None:
    """A work for each of `built` in the build's segment, then one for each of `since` in a
    segment of the indexer's."""
    for tag in built:
        make_work(tag)
    _built(search, len(built))
    for tag in since:
        make_work(tag)
    assert search().total == len(built) + len(since)
    assert _segments() == 2


def _second_fandom_mostly_since_the_build(
    search: Search, make_work: MakeWork, fandoms: tuple[Tag, Tag]
) -> None:
    """Three works of the first fandom and one of the second in the build's segment, four more
    of the second in a segment of the indexer's."""
    first, second = fandoms
    _built_then_indexed(search, make_work, (first, first, first, second), (second,) * 4)


def _segments() -> int:
    searcher = live_searcher()
    assert searcher is not None
    return int(searcher.num_segments)


def test_one_segment_counts_its_top_values_exactly_from_a_short_list(
    search: Search,
    make_work: MakeWork,
    fandoms: tuple[Tag, Tag],
    monkeypatch: pytest.MonkeyPatch,
    recounts: list[list[str]],
) -> None:
    first, second = fandoms
    for tag in (first, first, first, second, second, second, second, second):
        make_work(tag)
    assert search().total == 8
    assert _segments() == 1
    asked: list[int] = []
    groups = facets.groups

    def recording(split: bool, segment_size: int, size: int) -> list[dict[str, Any]]:
        asked.append(segment_size)
        return groups(split, segment_size, size)

    monkeypatch.setattr(facets, "groups", recording)
    # The segment kept only its top value, which it had counted in full.
    assert _top_fandom(search, monkeypatch) == [("Second Fandom", 5)]
    assert asked == [1]
    assert recounts == []


def test_works_indexed_since_the_build_add_up_with_the_build(
    search: Search,
    make_work: MakeWork,
    fandoms: tuple[Tag, Tag],
    monkeypatch: pytest.MonkeyPatch,
    recounts: list[list[str]],
) -> None:
    first, second = fandoms
    _built_then_indexed(search, make_work, (first, first, first, second), (first, first))
    # The build's segment lists First Fandom (3) and cut Second Fandom (1); since then First
    # Fandom has two more, and nothing left out of the list could reach its 5.
    assert _top_fandom(search, monkeypatch) == [("First Fandom", 5)]
    assert recounts == []


def test_a_value_the_builds_list_left_out_is_counted_again(
    search: Search,
    make_work: MakeWork,
    fandoms: tuple[Tag, Tag],
    monkeypatch: pytest.MonkeyPatch,
    recounts: list[list[str]],
) -> None:
    _second_fandom_mostly_since_the_build(search, make_work, fandoms)
    # Second Fandom was cut from the build's list (1 work there) and has 4 since: its count
    # over both is only known by counting again.
    assert _top_fandom(search, monkeypatch) == [("Second Fandom", 5)]
    assert recounts == [["fandom"]]


def test_a_build_of_several_segments_has_every_segment_report_every_value(
    search: Search,
    make_work: MakeWork,
    fandoms: tuple[Tag, Tag],
    monkeypatch: pytest.MonkeyPatch,
    recounts: list[list[str]],
) -> None:
    _second_fandom_mostly_since_the_build(search, make_work, fandoms)
    # As a large build writes several segments when it runs out of indexing memory.
    monkeypatch.setattr(facets, "live_build_segments", lambda: 2)
    assert _top_fandom(search, monkeypatch) == [("Second Fandom", 5)]
    assert recounts == []


def test_a_left_out_value_that_could_tie_is_counted_again(
    search: Search,
    make_work: MakeWork,
    fandoms: tuple[Tag, Tag],
    monkeypatch: pytest.MonkeyPatch,
    recounts: list[list[str]],
) -> None:
    first, second = fandoms
    _built_then_indexed(search, make_work, (second, second, first), (first,))
    # The build's list kept Second Fandom (2) and cut First Fandom (1), which has one more
    # since: both have 2, and equal counts are listed by tag id, so First Fandom comes first.
    assert _top_fandom(search, monkeypatch) == [("First Fandom", 2)]
    assert recounts == [["fandom"]]
