"""Who sees what in search: drafts, hidden, restricted, deleted and anonymous works never show
up, in results, totals or facets, for anyone who may not see them."""

from __future__ import annotations

from typing import Any

import pytest

from ficarchive.accounts.models import User
from ficarchive.core.changes import works_changed
from ficarchive.tags.models import TagType
from ficarchive.works.models import Work
from tests.factories import TagFactory, WorkFactory, add_tags
from tests.search.conftest import Find, Search


def _fandom_counts(result: Any) -> dict[str, int]:
    facet = next(facet for facet in result.facets if facet.key == "fandom")
    return {value.name: value.count for value in facet.values}


@pytest.fixture
def states(author: User) -> dict[str, Work]:
    fandom = TagFactory.create(name="Visible Fandom", type=TagType.FANDOM, canonical=True)
    works = {
        "posted": WorkFactory.create(title="posted work", creators=[author.default_pseud()]),
        "draft": WorkFactory.create(
            title="draft work", posted=False, creators=[author.default_pseud()]
        ),
        "hidden": WorkFactory.create(
            title="hidden work", hidden_by_admin=True, creators=[author.default_pseud()]
        ),
        "restricted": WorkFactory.create(
            title="restricted work", restricted=True, creators=[author.default_pseud()]
        ),
        "anonymous": WorkFactory.create(
            title="anonymous work", anonymous=True, creators=[author.default_pseud()]
        ),
    }
    for work in works.values():
        add_tags(work, fandom)
    return works


@pytest.mark.parametrize("viewer", ["guest", "other_user", "author", "admin"])
def test_drafts_and_hidden_works_are_never_found(
    request: pytest.FixtureRequest, search: Search, states: dict[str, Work], viewer: str
) -> None:
    who = request.getfixturevalue(viewer)
    result = search(who, text="work")
    titles = {work.title for work in result.works}
    assert "draft work" not in titles
    assert "hidden work" not in titles
    expected = 3 if who.is_authenticated else 2
    assert result.total == expected
    assert _fandom_counts(result) == {"Visible Fandom": expected}


def test_guests_never_find_restricted_works_and_members_do(
    search: Search, states: dict[str, Work], guest: Any, other_user: User
) -> None:
    assert "restricted work" not in {work.title for work in search(guest).works}
    assert "restricted work" in {work.title for work in search(other_user).works}
    guest_rating = next(facet for facet in search(guest).facets if facet.key == "rating")
    assert guest_rating.values[0].count == 2


def test_an_anonymous_work_is_not_found_by_its_creators_name(
    find: Find, states: dict[str, Work], other_user: User
) -> None:
    for viewer in (None, other_user):
        assert "anonymous work" not in find(viewer, text="author")
        assert "anonymous work" not in find(viewer, creators="author")
    assert "anonymous work" in find(text="anonymous work")
    assert "anonymous work" in find(creators="anonymous")


def test_an_anonymous_work_is_only_on_its_creators_own_page(
    find: Find, states: dict[str, Work], author: User, other_user: User
) -> None:
    pseud = author.default_pseud().pk
    assert "anonymous work" not in find(creator_user_id=author.pk)
    assert "anonymous work" not in find(other_user, creator_user_id=author.pk)
    assert "anonymous work" not in find(other_user, creator_pseud_id=pseud)
    assert "anonymous work" in find(author, creator_user_id=author.pk)
    assert "anonymous work" in find(author, creator_user_id=author.pk, creator_pseud_id=pseud)


def test_a_work_hidden_a_moment_ago_is_not_shown_before_the_index_learns_of_it(
    find: Find, search: Search, states: dict[str, Work], settings: Any
) -> None:
    assert "posted work" in find(text="posted")
    settings.SEARCH_INLINE = False  # as if the indexer had not got to it yet
    Work.objects.filter(pk=states["posted"].pk).update(hidden_by_admin=True)
    assert "posted work" not in find(text="posted")


def test_deleting_a_work_removes_it_from_search(
    find: Find, states: dict[str, Work], other_user: User
) -> None:
    assert "posted work" in find(other_user)
    work_id = states["posted"].pk
    states["posted"].delete()
    works_changed([work_id], "deleted")
    assert "posted work" not in find(other_user)


def test_posting_a_draft_makes_it_searchable(
    find: Find, states: dict[str, Work], other_user: User
) -> None:
    assert "draft work" not in find(other_user)
    Work.objects.filter(pk=states["draft"].pk).update(posted=True)
    works_changed([states["draft"].pk], "posted")
    assert "draft work" in find(other_user)
