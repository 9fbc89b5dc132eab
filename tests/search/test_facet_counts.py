"""Facet counts stay exact although the terms aggregation keeps only the top values of each
index segment: one segment counts all of its values before it cuts, and over several segments
each reports all of its values."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache

from ficarchive.search import engine
from ficarchive.tags.models import TagType
from tests.search.conftest import Search
from tests.tags.conftest import MakeTag, MakeWork

pytestmark = pytest.mark.django_db


def test_counts_spread_over_segments_are_exact(
    search: Search, make_tag: MakeTag, make_work: MakeWork, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = make_tag("First Fandom", type=TagType.FANDOM, canonical=True)
    second = make_tag("Second Fandom", type=TagType.FANDOM, canonical=True)
    # Each search applies the change log and commits: one segment per round of works.
    for _ in range(3):
        make_work(first)
    make_work(second)
    assert search().total == 4
    for _ in range(4):
        make_work(second)
    assert search().total == 8
    searcher = engine.live_searcher()
    assert searcher is not None and searcher.num_segments > 1
    # Only the top value of each segment: the second fandom's work in the first segment is
    # not counted by the aggregation.
    monkeypatch.setattr(engine, "FACET_SIZE", 1)
    monkeypatch.setattr(engine, "FACET_SEGMENT_SIZE", 1)
    cache.clear()  # facets counted above are cached for this index version
    result: Any = search()
    fandoms = next(facet for facet in result.facets if facet.key == "fandom")
    counts = [(value.name, value.count) for value in fandoms.values]
    assert counts[0] == ("Second Fandom", 5)
    assert set(counts) <= {("Second Fandom", 5), ("First Fandom", 3)}


def test_one_segment_counts_its_top_values_exactly_from_a_short_list(
    search: Search, make_tag: MakeTag, make_work: MakeWork, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = make_tag("First Fandom", type=TagType.FANDOM, canonical=True)
    second = make_tag("Second Fandom", type=TagType.FANDOM, canonical=True)
    for _ in range(3):
        make_work(first)
    for _ in range(5):
        make_work(second)
    assert search().total == 8
    searcher = engine.live_searcher()
    assert searcher is not None and searcher.num_segments == 1
    asked: list[int] = []
    groups = engine._facet_groups

    def recording(split: bool, segment_size: int) -> list[dict[str, Any]]:
        asked.append(segment_size)
        return groups(split, segment_size)

    monkeypatch.setattr(engine, "_facet_groups", recording)
    monkeypatch.setattr(engine, "FACET_SIZE", 1)
    monkeypatch.setattr(engine, "FACET_SEGMENT_SIZE", 1)
    cache.clear()
    result: Any = search()
    fandoms = next(facet for facet in result.facets if facet.key == "fandom")
    # The segment kept only its top value, which it had counted in full.
    assert asked == [1]
    assert [(value.name, value.count) for value in fandoms.values] == [("Second Fandom", 5)]
