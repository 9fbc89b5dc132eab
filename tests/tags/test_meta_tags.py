"""Meta tags: a graph without cycles between canonical tags of one type, with the indirect links
derived and stored."""

from __future__ import annotations

import itertools

import pytest

from ficarchive.accounts.models import User
from ficarchive.tags import wrangling
from ficarchive.tags.models import MetaTagging, Tag, TagType
from ficarchive.tags.wrangling import WranglingError
from tests.tags.conftest import MakeTag


def _links() -> set[tuple[str, str, bool]]:
    return {
        (link.meta_tag.name, link.sub_tag.name, link.direct)
        for link in MetaTagging.objects.select_related("meta_tag", "sub_tag")
    }


def _chain(make_tag: MakeTag, user: User, *names: str) -> list[Tag]:
    """Canonical freeforms, each a meta tag of the next."""
    tags = [make_tag(name, canonical=True) for name in names]
    for meta, sub in itertools.pairwise(tags):
        wrangling.meta_tag_add(meta, sub, user=user)
    return tags


def test_indirect_meta_tags_are_derived(make_tag: MakeTag, wrangler: User) -> None:
    _chain(make_tag, wrangler, "AU", "Modern AU", "Coffee Shop AU")
    assert _links() == {
        ("AU", "Modern AU", True),
        ("Modern AU", "Coffee Shop AU", True),
        ("AU", "Coffee Shop AU", False),
    }


def test_linking_two_chains_derives_every_indirect_link(make_tag: MakeTag, wrangler: User) -> None:
    _top, middle = _chain(make_tag, wrangler, "A", "B")
    low, _bottom = _chain(make_tag, wrangler, "C", "D")
    wrangling.meta_tag_add(middle, low, user=wrangler)
    assert {(meta, sub) for meta, sub, direct in _links() if not direct} == {
        ("A", "C"),
        ("A", "D"),
        ("B", "D"),
    }


def test_removing_a_link_removes_what_was_derived_through_it(
    make_tag: MakeTag, wrangler: User
) -> None:
    _top, middle, bottom = _chain(make_tag, wrangler, "AU", "Modern AU", "Coffee Shop AU")
    wrangling.meta_tag_remove(middle, bottom, user=wrangler)
    assert _links() == {("AU", "Modern AU", True)}


def test_an_indirect_link_survives_when_another_path_remains(
    make_tag: MakeTag, wrangler: User
) -> None:
    top, _middle, bottom = _chain(make_tag, wrangler, "AU", "Modern AU", "Coffee Shop AU")
    wrangling.meta_tag_add(top, bottom, user=wrangler)
    assert ("AU", "Coffee Shop AU", True) in _links()
    wrangling.meta_tag_remove(top, bottom, user=wrangler)
    assert ("AU", "Coffee Shop AU", False) in _links()


def test_a_cycle_is_refused_with_a_message_naming_it(make_tag: MakeTag, wrangler: User) -> None:
    top, _middle, bottom = _chain(make_tag, wrangler, "AU", "Modern AU", "Coffee Shop AU")
    with pytest.raises(WranglingError) as refused:
        wrangling.meta_tag_add(bottom, top, user=wrangler)
    message = str(refused.value)
    assert "would make a cycle" in message
    assert "'Coffee Shop AU' > 'AU' > 'Modern AU' > 'Coffee Shop AU'" in message
    assert not MetaTagging.objects.filter(meta_tag=bottom, sub_tag=top).exists()


def test_a_tag_cannot_be_its_own_meta_tag(make_tag: MakeTag, wrangler: User) -> None:
    tag = make_tag("AU", canonical=True)
    with pytest.raises(WranglingError, match="its own meta tag"):
        wrangling.meta_tag_add(tag, tag, user=wrangler)


def test_meta_tags_link_canonical_tags_of_one_type(make_tag: MakeTag, wrangler: User) -> None:
    fandom = make_tag("Arthurian Myth", TagType.FANDOM, canonical=True)
    freeform = make_tag("Knights", canonical=True)
    with pytest.raises(WranglingError, match="same type"):
        wrangling.meta_tag_add(fandom, freeform, user=wrangler)
    with pytest.raises(WranglingError, match="only link canonical"):
        wrangling.meta_tag_add(freeform, make_tag("knights!"), user=wrangler)


def test_removing_a_link_that_is_not_there_says_so(make_tag: MakeTag, wrangler: User) -> None:
    with pytest.raises(WranglingError, match="is not a direct meta tag"):
        wrangling.meta_tag_remove(
            make_tag("A", canonical=True), make_tag("B", canonical=True), user=wrangler
        )


def test_meta_tag_changes_are_in_both_histories(make_tag: MakeTag, wrangler: User) -> None:
    top, sub = _chain(make_tag, wrangler, "AU", "Modern AU")
    assert sub.changes.get().description == "Added meta tag 'AU'."
    assert top.changes.get().description == "Added sub tag 'Modern AU'."
