"""Writes to tags: finding or creating them by name, with the largest archive's clash rule."""

from __future__ import annotations

from collections.abc import Iterable, MutableMapping

from django.db import connection

from ficarchive.tags.autocomplete import tag_words_write
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
    wanted: Iterable[tuple[str, str]], *, known: MutableMapping[str, Tag | None] | None = None
) -> list[Tag]:
    """The tags for these (name, type) pairs, in order and each once, created where missing.

    A name taken by a tag of another type resolves to `Name - Type` (created if need be), as
    the largest archive does. `known` is a cache keyed by tag_key (None: no such tag) that
    callers may share across calls; it is filled as a side effect. Fixed types (ratings,
    warnings, categories) are looked up but never created.
    """
    cache: MutableMapping[str, Tag | None] = known if known is not None else {}
    pairs = [(clean_tag_name(name), TagType(type)) for name, type in wanted]
    for name, _type in pairs:
        problem = tag_name_error(name)
        if problem:
            raise TagNameError(problem)
    _look_up({tag_key(name) for name, _type in pairs}, cache)
    _look_up(
        {
            tag_key(clashed_name(name, type))
            for name, type in pairs
            if (tag := cache[tag_key(name)]) and tag.type != type and type in CLASH_SUFFIX
        },
        cache,
    )

    new: dict[str, Tag] = {}  # created by this call, by key

    def existing(key: str) -> Tag | None:
        return new.get(key) or cache.get(key)

    keys: list[str] = []
    for name, type in pairs:
        tag = existing(tag_key(name))
        if tag is not None and tag.type != type and type in CLASH_SUFFIX:
            name = clashed_name(name, type)
            tag = existing(tag_key(name))
        if tag is not None and tag.type != type:
            raise TagNameError(f"the tag {name!r} already exists as a {tag.get_type_display()}")
        if tag is None:
            if type not in CLASH_SUFFIX:
                raise TagNameError(f"there is no {type.label.lower()} called {name!r}")
            if len(name) > TAG_NAME_MAX:
                raise TagNameError(f"the tag {name!r} is too long once its type is added")
            new[tag_key(name)] = Tag(name=name, key=tag_key(name), type=type)
        keys.append(tag_key(name))
    # One insert for all the new tags (bulk_create skips save(), so key is set above).
    created = Tag.objects.bulk_create(new.values())
    for tag in created:
        cache[tag.key] = tag
    tag_words_write((tag.pk, tag.name, tag.type, tag.canonical) for tag in created)
    tags = [cache[key] for key in dict.fromkeys(keys)]
    return [tag for tag in tags if tag is not None]


def _look_up(keys: set[str], cache: MutableMapping[str, Tag | None]) -> None:
    """Fill the cache for these keys with one query, remembering the ones that do not exist."""
    missing = [key for key in keys if key not in cache]
    if not missing:
        return
    for key in missing:
        cache[key] = None
    # Raw SQL: this runs for nearly every record of an import, where building the ORM query
    # cost more than running it.
    table = Tag._meta.db_table
    placeholders = ", ".join(["%s"] * len(missing))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id, name, key, type FROM {table} WHERE key IN ({placeholders})", missing
        )
        for pk, name, key, type in cursor.fetchall():
            cache[key] = Tag(id=pk, name=name, key=key, type=type)
