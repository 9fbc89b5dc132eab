"""Writes to tags: finding or creating them by name, with the largest archive's clash rule."""

from __future__ import annotations

from collections.abc import Iterable, MutableMapping

from ficarchive.tags.models import TAG_NAME_MAX, Tag, TagType, tag_key
from ficarchive.tags.names import clean_tag_name, tag_name_error

# The suffix a name gets when the plain name is taken by a tag of another type, as in the
# largest archive ("Fluff - Freeform").
CLASH_SUFFIX = {
    TagType.FANDOM: "Fandom",
    TagType.RELATIONSHIP: "Relationship",
    TagType.CHARACTER: "Character",
    TagType.FREEFORM: "Freeform",
}


class TagNameError(ValueError):
    """A tag name that the archive refuses; the message says why."""


def clashed_name(name: str, type: str) -> str:
    return f"{name} - {CLASH_SUFFIX[TagType(type)]}"


def tags_find_or_create(
    names: Iterable[str], type: str, *, known: MutableMapping[str, Tag] | None = None
) -> list[Tag]:
    """The tags of the given type for these names, created where missing.

    A name taken by a tag of another type resolves to `Name - Type` (created if need be), as
    the largest archive does. `known` is a cache keyed by tag_key that callers may share across
    calls; it is filled as a side effect.
    """
    if TagType(type) not in CLASH_SUFFIX:
        raise TagNameError(f"{TagType(type).label} tags are fixed and cannot be created")
    cache: MutableMapping[str, Tag] = known if known is not None else {}
    cleaned = [clean_tag_name(name) for name in names]
    for name in cleaned:
        problem = tag_name_error(name)
        if problem:
            raise TagNameError(problem)
    wanted = {tag_key(name) for name in cleaned}
    wanted |= {tag_key(clashed_name(name, type)) for name in cleaned}
    missing = [key for key in wanted if key not in cache]
    if missing:
        for found in Tag.objects.filter(key__in=missing):
            cache[found.key] = found
    result: list[Tag] = []
    for name in cleaned:
        tag = cache.get(tag_key(name))
        if tag is not None and tag.type != type:
            name = clashed_name(name, type)
            tag = cache.get(tag_key(name))
            if tag is not None and tag.type != type:
                raise TagNameError(f"the tag {name!r} already exists as a {tag.get_type_display()}")
        if tag is None:
            if len(name) > TAG_NAME_MAX:
                raise TagNameError(f"the tag {name!r} is too long once its type is added")
            tag = Tag.objects.create(name=name, type=type)
            cache[tag.key] = tag
        if tag not in result:
            result.append(tag)
    return result
