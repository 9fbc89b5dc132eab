"""A reader's own filters in the engine: muted tags (with synonyms and sub tags), muted users,
default filters, and the count of what they hid; totals and facets stay true."""

from __future__ import annotations

from typing import Any

import pytest

from ficarchive.accounts.models import Mute, MutedTag, User
from ficarchive.accounts.muting import ReaderFilter, reader_filter_for
from ficarchive.search.engine import SearchResult, search_works
from ficarchive.search.query import WorkQuery
from ficarchive.tags import wrangling
from ficarchive.tags.models import Tag, TagType
from ficarchive.tags.recompute import filters_recompute_stale
from ficarchive.works.models import Language
from tests.factories import UserFactory
from tests.tags.conftest import MakeTag, MakeWork

pytestmark = pytest.mark.django_db


def _search(viewer: Any, **fields: Any) -> SearchResult:
    query = WorkQuery(reader=reader_filter_for(viewer), per_page=100, **fields)
    return search_works(query, viewer)


def _titles(result: SearchResult) -> set[str]:
    return {work.title for work in result.works}


def _fandom_counts(result: SearchResult) -> dict[str, int]:
    facet = next(facet for facet in result.facets if facet.key == "fandom")
    return {value.name: value.count for value in facet.values}


@pytest.fixture
def tags(make_tag: MakeTag, wrangler: User) -> dict[str, Tag]:
    angst = make_tag("Angst", canonical=True)
    found = {
        "angst": angst,
        "sad": make_tag("Sadness", merger=angst),
        "heavy": make_tag("Heavy Angst", canonical=True),
        "fluff": make_tag("Fluff", canonical=True),
        "loose": make_tag("a tag nobody wrangled"),
        "fandom": make_tag("Les Misérables", type=TagType.FANDOM, canonical=True),
    }
    wrangling.meta_tag_add(angst, found["heavy"], user=wrangler)
    filters_recompute_stale()
    return found


@pytest.fixture
def works(make_work: MakeWork, tags: dict[str, Tag]) -> None:
    fandom = tags["fandom"]
    make_work(fandom, tags["angst"], title="tagged angst")
    make_work(fandom, tags["sad"], title="tagged with the synonym")
    make_work(fandom, tags["heavy"], title="tagged with the sub tag")
    make_work(fandom, tags["loose"], title="tagged loosely")
    make_work(fandom, tags["fluff"], title="only fluff", complete=False)


def test_a_muted_canonical_tag_hides_its_synonyms_and_sub_tags(
    works: None, tags: dict[str, Tag], other_user: User
) -> None:
    MutedTag.objects.create(user=other_user, tag=tags["angst"])
    result = _search(other_user)
    assert _titles(result) == {"tagged loosely", "only fluff"}
    assert result.total == 2
    assert result.hidden_by_reader == 3
    assert _fandom_counts(result) == {"Les Misérables": 2}


def test_a_muted_synonym_mutes_its_canonical_tag(
    works: None, tags: dict[str, Tag], other_user: User
) -> None:
    MutedTag.objects.create(user=other_user, tag=tags["sad"])
    assert _titles(_search(other_user)) == {"tagged loosely", "only fluff"}


def test_a_muted_unwrangled_tag_hides_exactly_its_works(
    works: None, tags: dict[str, Tag], other_user: User
) -> None:
    MutedTag.objects.create(user=other_user, tag=tags["loose"])
    assert "tagged loosely" not in _titles(_search(other_user))
    assert _search(other_user).total == 4


def test_a_tag_the_query_includes_is_not_muted_there(
    works: None, tags: dict[str, Tag], other_user: User
) -> None:
    MutedTag.objects.create(user=other_user, tag=tags["angst"])
    result = _search(other_user, include_tag_ids=(tags["angst"].pk,))
    assert result.total == 3
    assert result.hidden_by_reader == 0


def test_muted_tags_are_the_readers_own(
    works: None, tags: dict[str, Tag], other_user: User, author: User, guest: Any
) -> None:
    MutedTag.objects.create(user=other_user, tag=tags["angst"])
    assert _search(author).total == 5
    assert _search(guest).total == 5
    assert reader_filter_for(guest) is None


def test_muted_users_works_leave_results_and_counts(
    make_work: MakeWork, tags: dict[str, Tag], author: User, other_user: User
) -> None:
    someone = UserFactory.create(username="someone")
    make_work(tags["fandom"], title="by the author")
    make_work(tags["fandom"], title="by someone", creators=[someone.default_pseud()])
    make_work(
        tags["fandom"],
        title="co-written",
        creators=[author.default_pseud(), someone.default_pseud()],
    )
    Mute.objects.create(user=other_user, muted=someone)
    result = _search(other_user)
    assert _titles(result) == {"by the author"}
    assert result.hidden_by_reader == 2
    assert _fandom_counts(result) == {"Les Misérables": 1}
    # Their own page still lists them: the reader asked for it.
    assert _search(other_user, creator_user_id=someone.pk).total == 2


def test_muting_a_user_does_not_hide_their_anonymous_works(
    make_work: MakeWork, tags: dict[str, Tag], other_user: User
) -> None:
    someone = UserFactory.create(username="someone")
    make_work(tags["fandom"], title="signed", creators=[someone.default_pseud()])
    make_work(tags["fandom"], title="unsigned", anonymous=True, creators=[someone.default_pseud()])
    Mute.objects.create(user=other_user, muted=someone)
    # Hiding it would tell the reader who wrote it.
    assert _titles(_search(other_user)) == {"unsigned"}


def test_default_filters_apply_unless_the_query_chooses(
    make_work: MakeWork, tags: dict[str, Tag], other_user: User
) -> None:
    french = Language.objects.create(code="fr", name="Français")
    make_work(tags["fandom"], title="complete in English")
    make_work(tags["fandom"], title="in progress", complete=False)
    make_work(tags["fandom"], title="complete in French", language=french)
    preference = other_user.preferences()
    preference.default_complete = True
    preference.default_language = Language.objects.get(code="en")
    preference.save()
    assert _titles(_search(other_user)) == {"complete in English"}
    assert _search(other_user).hidden_by_reader == 2
    assert _titles(_search(other_user, complete=False)) == {"in progress"}
    assert _titles(_search(other_user, language_ids=(french.pk,))) == {"complete in French"}


def test_default_filters_do_not_change_best_match_order(
    make_work: MakeWork, tags: dict[str, Tag], other_user: User
) -> None:
    make_work(tags["fandom"], title="lantern")
    make_work(tags["fandom"], title="lantern lantern lantern, a lantern story")
    make_work(tags["fandom"], title="a lantern and a candle, a lamp and a torch and a wick")
    make_work(tags["fandom"], title="lantern in progress", complete=False)
    plain = [work.title for work in _search(other_user, text="lantern").works]
    assert plain[0] == "lantern lantern lantern, a lantern story"
    preference = other_user.preferences()
    preference.default_complete = True
    preference.save()
    filtered = [work.title for work in _search(other_user, text="lantern").works]
    assert filtered == [title for title in plain if title != "lantern in progress"]
    assert len(filtered) == 3


def test_without_the_reader_filter_everything_shows(
    works: None, tags: dict[str, Tag], other_user: User
) -> None:
    MutedTag.objects.create(user=other_user, tag=tags["angst"])
    result = search_works(WorkQuery(per_page=100), other_user)
    assert result.total == 5
    assert result.hidden_by_reader == 0


def test_thousands_of_muted_users_and_hundreds_of_muted_tags_still_search(
    works: None, tags: dict[str, Tag], other_user: User
) -> None:
    reader = ReaderFilter(
        muted_tag_ids=(tags["fluff"].pk, *range(10**6, 10**6 + 499)),
        muted_user_ids=tuple(range(10**6, 10**6 + 2000)),
    )
    result = search_works(WorkQuery(reader=reader, per_page=100), other_user)
    assert result.total == 4
    assert result.hidden_by_reader == 1
