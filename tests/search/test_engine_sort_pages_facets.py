"""Sorting, exact totals and pages (deep ones included), and facet counts."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from ficarchive.accounts.models import User
from ficarchive.search.query import Sort
from ficarchive.tags.models import TagType
from ficarchive.works.models import Language
from tests.factories import UserFactory, WorkFactory, add_tags, fixed_tag
from tests.search.conftest import Find, Search
from tests.tags.conftest import MakeTag, MakeWork


@pytest.fixture
def ranked(db: None) -> None:
    """Three works whose counters, dates, titles and creators all sort differently."""
    base = datetime(2024, 1, 1, tzinfo=UTC)
    for title, login, counts, day in (
        ("Bravo", "zed", (3, 30, 1, 200), 2),
        ("The Alpha", "mia", (1, 10, 3, 100), 3),
        ("charlie", "abe", (2, 20, 2, 300), 1),
    ):
        hits, kudos, comments, bookmarks = counts
        WorkFactory.create(
            title=title,
            creators=[UserFactory.create(username=login).default_pseud()],
            hits=hits,
            kudos_count=kudos,
            comments_count=comments,
            bookmarks_count=bookmarks,
            published_on=date(2023, 1, day),
            revised_at=base + timedelta(days=day),
            text=" ".join(["word"] * (day * 10)),
        )


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        (Sort.HITS, ["Bravo", "charlie", "The Alpha"]),
        (Sort.KUDOS, ["Bravo", "charlie", "The Alpha"]),
        (Sort.COMMENTS, ["The Alpha", "charlie", "Bravo"]),
        (Sort.BOOKMARKS, ["charlie", "Bravo", "The Alpha"]),
        (Sort.POSTED, ["The Alpha", "Bravo", "charlie"]),
        (Sort.UPDATED, ["The Alpha", "Bravo", "charlie"]),
        (Sort.WORDS, ["The Alpha", "Bravo", "charlie"]),
        # Titles sort without a leading article and without regard to case, ascending.
        (Sort.TITLE, ["The Alpha", "Bravo", "charlie"]),
        (Sort.CREATOR, ["charlie", "The Alpha", "Bravo"]),
    ],
)
def test_every_sort_orders_the_works(
    find: Find, ranked: None, sort: Sort, expected: list[str]
) -> None:
    assert find(sort=sort) == expected
    assert find(sort=sort, ascending=not sort.ascending_by_default) == expected[::-1]


def test_without_text_the_newest_updates_come_first_and_best_match_needs_text(
    find: Find, ranked: None
) -> None:
    assert find() == ["The Alpha", "Bravo", "charlie"]
    assert find(sort=Sort.BEST) == ["The Alpha", "Bravo", "charlie"]


def test_best_match_ranks_a_title_above_the_text(find: Find) -> None:
    WorkFactory.create(title="Quiet", text="The lantern glowed.")
    WorkFactory.create(title="The Lantern", text="Nothing much.")
    assert find(text="lantern") == ["The Lantern", "Quiet"]


def test_totals_are_exact_and_every_page_of_a_sort_lists_each_work_once(
    search: Search,
) -> None:
    # Many ties: pages must still not repeat or skip a work, from either end of the listing.
    for number in range(23):
        WorkFactory.create(title=f"w{number:02d}", kudos_count=number % 3)
    seen: list[str] = []
    for page in range(1, 4):
        result = search(facets=False, sort=Sort.KUDOS, page=page, per_page=10)
        assert result.total == 23
        assert result.page == page
        seen += [work.title for work in result.works]
    assert len(seen) == 23
    assert sorted(seen) == sorted(f"w{number:02d}" for number in range(23))
    kudos = [int(title[1:]) % 3 for title in seen]
    assert kudos == sorted(kudos, reverse=True)


def test_a_page_past_the_end_is_the_last_page(search: Search) -> None:
    for number in range(7):
        WorkFactory.create(title=f"w{number}")
    result = search(facets=False, page=99, per_page=5)
    assert result.page == 2
    assert len(result.works) == 2


def test_facets_count_the_results_by_tag_type_and_language(
    search: Search, make_tag: MakeTag, make_work: MakeWork
) -> None:
    fandom = make_tag("Fandom A", TagType.FANDOM, canonical=True)
    other = make_tag("Fandom B", TagType.FANDOM, canonical=True)
    fluff = make_tag("Fluff", canonical=True)
    french = Language.objects.get_or_create(code="fr", defaults={"name": "Français"})[0]
    make_work(fandom, fluff)
    make_work(fandom, language=french)
    make_work(other, fluff)
    facets = {facet.key: facet for facet in search(include_tag_ids=(fluff.pk,)).facets}
    assert [(value.name, value.count) for value in facets["fandom"].values] == [
        ("Fandom A", 1),
        ("Fandom B", 1),
    ]
    assert [(value.name, value.count, value.included) for value in facets["freeform"].values] == [
        ("Fluff", 2, True)
    ]
    assert [(value.name, value.count) for value in facets["rating"].values] == [
        ("General Audiences", 2)
    ]
    assert [(value.param, value.count) for value in facets["language"].values] == [("en", 2)]
    everything = {facet.key: facet for facet in search().facets}
    assert [(value.name, value.count) for value in everything["fandom"].values] == [
        ("Fandom A", 2),
        ("Fandom B", 1),
    ]


def test_facets_count_direct_filters_and_keep_excluded_tags(
    search: Search, make_tag: MakeTag, make_work: MakeWork, wrangler: User
) -> None:
    from ficarchive.tags import wrangling

    meta = make_tag("Angst", canonical=True)
    sub = make_tag("Major Angst", canonical=True)
    synonym = make_tag("angsty")
    make_work(sub)
    make_work(synonym)
    make_work(make_tag("Fluff", canonical=True))
    wrangling.meta_tag_add(meta, sub, user=wrangler)
    wrangling.tag_make_synonym(synonym, meta, user=wrangler)
    counts = {
        value.name: value.count
        for value in {facet.key: facet for facet in search().facets}["freeform"].values
    }
    # The synonym counts as its canonical; a meta tag counts only where it is direct.
    assert counts == {"Angst": 1, "Major Angst": 1, "Fluff": 1}
    excluded = {facet.key: facet for facet in search(exclude_tag_ids=(meta.pk,)).facets}
    values = {value.name: (value.count, value.excluded) for value in excluded["freeform"].values}
    assert values == {"Fluff": (1, False), "Angst": (0, True)}


def test_facets_show_the_ten_commonest_values(search: Search, make_tag: MakeTag) -> None:
    tags = [make_tag(f"Tag {number:02d}", canonical=True) for number in range(12)]
    # Work n has tags 0 to n, so tag k is on 12 - k works.
    for number in range(12):
        add_tags(WorkFactory.create(), *tags[: number + 1])
    values = {facet.key: facet for facet in search().facets}["freeform"].values
    assert [value.name for value in values] == [f"Tag {number:02d}" for number in range(10)]
    assert [value.count for value in values] == list(range(12, 2, -1))


def test_archive_warnings_are_a_facet_too(search: Search) -> None:
    add_tags(WorkFactory.create(), fixed_tag("Major Character Death"))
    values = {facet.key: facet for facet in search().facets}["warning"].values
    assert [(value.name, value.count) for value in values] == [("Major Character Death", 1)]
