"""The mapping from eFiction's categories, characters, ratings and classes to the archive's tags:
worked out with defaults from the source, written to a file the archivist edits (JSON, or TOML
when the name ends in .toml) and fed back with --mapping, entry by entry over the defaults."""

from __future__ import annotations

import json
import tomllib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ficarchive.formats.efiction import values
from ficarchive.formats.efiction.reader import Source
from ficarchive.tags.fixed import ARCHIVE_WARNINGS, CATEGORIES, RATINGS
from ficarchive.tags.models import TAG_NAME_MAX
from ficarchive.tags.names import FORBIDDEN_CHARACTERS, clean_tag_name

VERSION = 1
TREE_CHOICES = ("hierarchy", "meta")
CLASS_TYPES = ("warning", "freeform", "relationship", "category", "skip")
RATING_NAMES = tuple(name for name, _adult in RATINGS)
NOT_RATED = "Not Rated"
NO_WARNINGS_GIVEN = "Creator Chose Not To Use Archive Warnings"

# The usual eFiction rating sets (FanFiction.Net's and the film ratings), casefolded.
DEFAULT_RATINGS = {
    "k": "General Audiences",
    "k+": "General Audiences",
    "t": "Teen And Up Audiences",
    "m": "Mature",
    "ma": "Explicit",
    "g": "General Audiences",
    "pg": "General Audiences",
    "pg-13": "Teen And Up Audiences",
    "pg13": "Teen And Up Audiences",
    "r": "Mature",
    "nc-17": "Explicit",
    "nc17": "Explicit",
    "all ages": "General Audiences",
    "teen": "Teen And Up Audiences",
    "mature": "Mature",
    "adult": "Explicit",
    "explicit": "Explicit",
}
# eFiction warning classes that say what an archive warning says, casefolded.
DEFAULT_WARNINGS = {
    "major character death": "Major Character Death",
    "character death": "Major Character Death",
    "death": "Major Character Death",
    "violence": "Graphic Depictions Of Violence",
    "graphic violence": "Graphic Depictions Of Violence",
    "rape": "Rape/Non-Con",
    "non-con": "Rape/Non-Con",
    "non-consensual": "Rape/Non-Con",
    "rape/non-con": "Rape/Non-Con",
    "underage": "Underage Sex",
    "underage sex": "Underage Sex",
    "none": "No Archive Warnings Apply",
    "no warnings": "No Archive Warnings Apply",
}


class MappingError(ValueError):
    """A mapping file the importer cannot use; the message names the file and the entry."""


@dataclass
class Mapping:
    category_tree: str = "hierarchy"
    # eFiction id (as text) to an entry; see docs/efiction.md for the fields.
    categories: dict[str, dict[str, Any]] = field(default_factory=dict)
    characters: dict[str, dict[str, Any]] = field(default_factory=dict)
    ratings: dict[str, dict[str, Any]] = field(default_factory=dict)
    classes: dict[str, dict[str, Any]] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "version": VERSION,
            "category_tree": self.category_tree,
            "categories": self.categories,
            "characters": self.characters,
            "ratings": self.ratings,
            "classes": self.classes,
        }

    def write(self, path: Path) -> None:
        path.write_text(json.dumps(self.as_dict(), indent=2, ensure_ascii=False) + "\n")

    # What works get.

    def fandoms(self, category_ids: list[int]) -> list[str]:
        """The fandom tags of these categories (and their ancestors, for the hierarchy)."""
        names: list[str] = []
        for category in category_ids:
            chain = [str(category)]
            if self.category_tree == "hierarchy":
                seen = {chain[0]}
                while (parent := self.categories.get(chain[-1], {}).get("parent")) is not None:
                    parent = str(parent)
                    if parent in seen:
                        break
                    seen.add(parent)
                    chain.append(parent)
                chain.reverse()
            for key in chain:
                name = self.categories.get(key, {}).get("fandom")
                if name and name not in names:
                    names.append(name)
        return names

    def rating(self, rating_ids: list[int]) -> str:
        """The strictest archive rating of these eFiction ratings (a story may list several)."""
        found = [self.ratings[str(r)]["rating"] for r in rating_ids if str(r) in self.ratings]
        if not found:
            return NOT_RATED
        order = ["General Audiences", "Teen And Up Audiences", "Mature", "Explicit", NOT_RATED]
        return max(found, key=order.index)


def tag_safe(name: str) -> str:
    """A name the archive takes as a tag: the characters tags cannot hold (commas, asterisks,
    angle brackets, ...) become spaces, and it is cut to the longest tag name."""
    bare = "".join(" " if char in FORBIDDEN_CHARACTERS else char for char in name)
    return clean_tag_name(bare)[:TAG_NAME_MAX].strip()


def default_mapping(source: Source, category_tree: str = "hierarchy") -> Mapping:
    """The mapping the importer uses when the archivist gives none."""
    mapping = Mapping(category_tree=category_tree)
    categories = list(source.rows("categories"))
    for row in categories:
        parent = values.integer(row.get("parentcatid"), -1)
        name = values.repaired(row.get("category")).strip()
        mapping.categories[str(values.integer(row["catid"]))] = {
            "old": name,
            "parent": str(parent) if parent > 0 else None,
            "fandom": tag_safe(name),
        }
    characters = list(source.rows("characters"))
    named = Counter(values.repaired(row.get("charname")).strip().casefold() for row in characters)
    for row in characters:
        name = values.repaired(row.get("charname")).strip()
        category = str(values.integer(row.get("catid")))
        fandom = mapping.categories.get(category, {}).get("fandom")
        tag = tag_safe(name)
        if named[name.casefold()] > 1 and fandom:
            tag = tag_safe(f"{name} ({fandom})")
        mapping.characters[str(values.integer(row["charid"]))] = {
            "old": name,
            "fandom": fandom,
            "character": tag,
        }
    for row in source.rows("ratings"):
        name = values.repaired(row.get("rating")).strip()
        mapping.ratings[str(values.integer(row["rid"]))] = {
            "old": name,
            "rating": DEFAULT_RATINGS.get(name.casefold(), NOT_RATED),
        }
    classtypes = {
        values.integer(row["classtype_id"]): (
            values.text(row.get("classtype_name")),
            values.repaired(row.get("classtype_title")) or values.text(row.get("classtype_name")),
        )
        for row in source.rows("classtypes")
    }
    for row in source.rows("classes"):
        name = values.repaired(row.get("class_name")).strip()
        type_name, title = classtypes.get(values.integer(row.get("class_type")), ("", ""))
        mapping.classes[str(values.integer(row["class_id"]))] = {
            "old": name,
            "classtype": title,
            **_class_default(type_name, title, name),
        }
    return mapping


def _class_default(type_name: str, title: str, name: str) -> dict[str, str]:
    kind = f"{type_name} {title}".casefold()
    if "warning" in kind:
        warning = DEFAULT_WARNINGS.get(name.casefold())
        if warning is not None:
            return {"type": "warning", "tag": warning}
        return {"type": "freeform", "tag": tag_safe(name)}
    if "pairing" in kind or "relationship" in kind or "ship" in kind:
        return {"type": "relationship", "tag": tag_safe(name)}
    if "categor" in kind and name in CATEGORIES:
        return {"type": "category", "tag": name}
    return {"type": "freeform", "tag": tag_safe(name)}


def mapping_load(path: Path, defaults: Mapping) -> Mapping:
    """The defaults with the file's entries over them; raises MappingError naming what is wrong."""
    try:
        raw = path.read_text()
    except OSError as error:
        raise MappingError(f"{path}: cannot read the file: {error.strerror}") from None
    try:
        data = tomllib.loads(raw) if path.suffix.lower() == ".toml" else json.loads(raw)
    except (tomllib.TOMLDecodeError, json.JSONDecodeError) as error:
        raise MappingError(
            f"{path}: not valid {path.suffix.lstrip('.') or 'JSON'}: {error}"
        ) from None
    if not isinstance(data, dict):
        raise MappingError(f"{path}: a table of sections expected")
    tree = data.get("category_tree", defaults.category_tree)
    if tree not in TREE_CHOICES:
        raise MappingError(f"{path}: category_tree is {tree!r}; one of {', '.join(TREE_CHOICES)}")
    merged = Mapping(
        category_tree=tree,
        categories={k: dict(v) for k, v in defaults.categories.items()},
        characters={k: dict(v) for k, v in defaults.characters.items()},
        ratings={k: dict(v) for k, v in defaults.ratings.items()},
        classes={k: dict(v) for k, v in defaults.classes.items()},
    )
    for section in ("categories", "characters", "ratings", "classes"):
        given = data.get(section, {})
        if not isinstance(given, dict):
            raise MappingError(f"{path}: {section} must be a table of entries by id")
        target: dict[str, dict[str, Any]] = getattr(merged, section)
        for key, entry in given.items():
            if not isinstance(entry, dict):
                raise MappingError(f"{path}: {section}.{key} must be a table")
            target.setdefault(str(key), {}).update(entry)
            problem = _entry_problem(section, target[str(key)])
            if problem:
                raise MappingError(f"{path}: {section}.{key}: {problem}")
    return merged


def _entry_problem(section: str, entry: dict[str, Any]) -> str | None:
    if section == "ratings" and entry.get("rating") not in RATING_NAMES:
        return f"rating must be one of {', '.join(RATING_NAMES)}"
    if section == "classes":
        kind = entry.get("type")
        if kind not in CLASS_TYPES:
            return f"type must be one of {', '.join(CLASS_TYPES)}"
        tag = entry.get("tag")
        if kind != "skip" and not (isinstance(tag, str) and tag.strip()):
            return "tag must be a name"
        if kind == "warning" and tag not in ARCHIVE_WARNINGS:
            return f"a warning must be one of {', '.join(ARCHIVE_WARNINGS)}"
        if kind == "category" and tag not in CATEGORIES:
            return f"a category must be one of {', '.join(CATEGORIES)}"
    if section == "categories":
        fandom = entry.get("fandom")
        if fandom is not None and not isinstance(fandom, str):
            return "fandom must be a name (or empty to leave the category out)"
    if section == "characters":
        character = entry.get("character")
        if character is not None and not isinstance(character, str):
            return "character must be a name (or empty to leave the character out)"
    return None
