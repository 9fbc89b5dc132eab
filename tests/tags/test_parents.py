"""Parents: fandoms of characters, relationships and additional tags, characters of
relationships."""

from __future__ import annotations

import pytest

from ficarchive.accounts.models import User
from ficarchive.tags import wrangling
from ficarchive.tags.models import ParentTagging, Tag, TagType
from ficarchive.tags.wrangling import WranglingError
from tests.tags.conftest import MakeTag


def _fandoms_of(tag: Tag) -> set[str]:
    return set(
        ParentTagging.objects.filter(child=tag, parent__type=TagType.FANDOM).values_list(
            "parent__name", flat=True
        )
    )


@pytest.mark.parametrize("child_type", [TagType.CHARACTER, TagType.RELATIONSHIP, TagType.FREEFORM])
def test_a_fandom_can_parent_characters_relationships_and_freeforms(
    make_tag: MakeTag, wrangler: User, child_type: str
) -> None:
    fandom = make_tag("Merlin", TagType.FANDOM, canonical=True)
    child = make_tag("Camelot", child_type)
    wrangling.parent_add(fandom, child, user=wrangler)
    assert _fandoms_of(child) == {"Merlin"}
    assert child.changes.get().description == "Added fandom 'Merlin'."


def test_a_character_can_parent_a_relationship_only(make_tag: MakeTag, wrangler: User) -> None:
    character = make_tag("Merlin (Merlin)", TagType.CHARACTER, canonical=True)
    wrangling.parent_add(character, make_tag("Arthur/Merlin", TagType.RELATIONSHIP), user=wrangler)
    with pytest.raises(WranglingError, match="the parents of an additional tag are fandoms"):
        wrangling.parent_add(character, make_tag("Magic"), user=wrangler)


def test_the_parents_of_fandoms_are_media_only(make_tag: MakeTag, wrangler: User) -> None:
    with pytest.raises(WranglingError, match="the parents of a fandom are media"):
        wrangling.parent_add(
            make_tag("Arthuriana", TagType.FANDOM, canonical=True),
            make_tag("Merlin", TagType.FANDOM, canonical=True),
            user=wrangler,
        )


def test_a_parent_must_be_canonical(make_tag: MakeTag, wrangler: User) -> None:
    with pytest.raises(WranglingError, match="only canonical tags can be parents"):
        wrangling.parent_add(
            make_tag("merlin bbc", TagType.FANDOM),
            make_tag("Gwen", TagType.CHARACTER),
            user=wrangler,
        )


def test_a_relationship_inherits_the_fandoms_of_its_characters(
    make_tag: MakeTag, wrangler: User
) -> None:
    merlin = make_tag("Merlin", TagType.FANDOM, canonical=True)
    legends = make_tag("Arthurian Legends", TagType.FANDOM, canonical=True)
    arthur = make_tag("Arthur", TagType.CHARACTER, canonical=True)
    wrangling.parent_add(merlin, arthur, user=wrangler)
    relationship = make_tag("Arthur/Gwen", TagType.RELATIONSHIP, canonical=True)
    wrangling.parent_add(arthur, relationship, user=wrangler)
    assert _fandoms_of(relationship) == {"Merlin"}
    # A fandom the character gains later reaches its relationships too.
    wrangling.parent_add(legends, arthur, user=wrangler)
    assert _fandoms_of(relationship) == {"Merlin", "Arthurian Legends"}


def test_removing_a_parent(make_tag: MakeTag, wrangler: User) -> None:
    fandom = make_tag("Merlin", TagType.FANDOM, canonical=True)
    child = make_tag("Gwen", TagType.CHARACTER)
    wrangling.parent_add(fandom, child, user=wrangler)
    wrangling.parent_remove(fandom, child, user=wrangler)
    assert not ParentTagging.objects.exists()
    with pytest.raises(WranglingError, match="is not a parent"):
        wrangling.parent_remove(fandom, child, user=wrangler)
