"""Tag names: length, forbidden characters, whitespace, and names shared across types."""

from __future__ import annotations

import pytest

from ficarchive.tags.models import Tag, TagType
from ficarchive.tags.names import clean_tag_name, tag_name_error
from ficarchive.tags.services import TagNameError, tags_find_or_create


def test_surrounding_and_repeated_whitespace_is_collapsed(db: None) -> None:
    [tag] = tags_find_or_create([("  Slow \t  Burn \n", TagType.FREEFORM)])
    assert tag.name == "Slow Burn"
    assert clean_tag_name("\u00a0a   b ") == "a b"


def test_a_name_of_150_characters_is_taken_and_151_refused(db: None) -> None:
    [tag] = tags_find_or_create([("x" * 150, TagType.FREEFORM)])
    assert len(tag.name) == 150
    with pytest.raises(TagNameError, match="at most 150"):
        tags_find_or_create([("y" * 151, TagType.FREEFORM)])


@pytest.mark.parametrize("name", ["Fluff, Angst", "a*b", "50%", "<b>", "back\\slash", "a=b"])
def test_names_with_forbidden_characters_are_refused_with_a_message(db: None, name: str) -> None:
    with pytest.raises(TagNameError, match="cannot contain"):
        tags_find_or_create([(name, TagType.FREEFORM)])
    assert not Tag.objects.filter(type=TagType.FREEFORM).exists()


def test_an_empty_name_is_refused(db: None) -> None:
    assert tag_name_error(clean_tag_name("   ")) == "a tag name cannot be empty"
    with pytest.raises(TagNameError):
        tags_find_or_create([("  ", TagType.CHARACTER)])


def test_names_are_unique_regardless_of_case(db: None) -> None:
    [first] = tags_find_or_create([("Found Family", TagType.FREEFORM)])
    [again] = tags_find_or_create([("found family", TagType.FREEFORM)])
    assert again.pk == first.pk


def test_a_name_taken_by_another_type_gets_the_type_as_a_suffix(db: None) -> None:
    [fandom] = tags_find_or_create([("Merlin", TagType.FANDOM)])
    [character] = tags_find_or_create([("Merlin", TagType.CHARACTER)])
    assert fandom.name == "Merlin"
    assert character.name == "Merlin - Character"
    assert character.type == TagType.CHARACTER
    [same] = tags_find_or_create([("merlin", TagType.CHARACTER)])
    assert same.pk == character.pk


def test_a_creator_cannot_make_a_tag_of_a_fixed_type(db: None) -> None:
    with pytest.raises(TagNameError, match="there is no rating called"):
        tags_find_or_create([("Rated PG", TagType.RATING)])


def test_a_clash_with_a_fixed_tag_gets_the_suffix(db: None) -> None:
    [tag] = tags_find_or_create([("Explicit", TagType.FREEFORM)])
    assert tag.name == "Explicit - Freeform"


def test_a_clash_whose_suffixed_name_is_too_long_is_refused(db: None) -> None:
    name = "z" * 148
    tags_find_or_create([(name, TagType.FANDOM)])
    with pytest.raises(TagNameError, match="too long once its type is added"):
        tags_find_or_create([(name, TagType.FREEFORM)])
