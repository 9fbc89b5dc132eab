"""The mapping file: written for the archivist, edited, fed back (JSON or TOML); the category
tree as meta tags; the default rating sets; mistakes in the file named."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from ficarchive.formats.efiction.mapping import default_mapping
from ficarchive.formats.efiction.reader import DumpSource
from ficarchive.tags.models import TagType
from tests.formats.efiction.archive import Archive, small_archive
from tests.formats.efiction.conftest import dump_of, run_import
from tests.formats.efiction.helpers import tag_names, work_of


def _written(tmp_path: Path) -> tuple[Path, dict[str, Any]]:
    dump = dump_of(small_archive(), tmp_path)
    mapping = tmp_path / "mapping.json"
    call_command(
        "import-efiction",
        "--dump",
        str(dump),
        "--write-mapping",
        str(mapping),
        "--dry-run",
        "--quiet",
    )
    return dump, json.loads(mapping.read_text())


@pytest.mark.django_db
def test_an_edited_mapping_file_is_used(tmp_path: Path) -> None:
    dump, data = _written(tmp_path)
    assert data["ratings"]["2"] == {"old": "PG", "rating": "General Audiences"}
    data["ratings"]["2"]["rating"] = "Teen And Up Audiences"
    data["categories"]["2"]["fandom"] = "Starfall (Early Years)"
    data["classes"]["1"] = {"type": "skip"}
    data["classes"]["3"] = {"type": "warning", "tag": "Graphic Depictions Of Violence"}
    data["characters"]["1"]["character"] = "Mira Vance"
    edited = tmp_path / "edited.json"
    edited.write_text(json.dumps(data))
    call_command("import-efiction", "--dump", str(dump), "--mapping", str(edited), "--quiet")
    one, two = work_of(1), work_of(2)
    assert tag_names(one, TagType.RATING) == ["Teen And Up Audiences"]
    assert tag_names(one, TagType.FANDOM) == ["Starfall Saga", "Starfall (Early Years)"]
    assert tag_names(one, TagType.FREEFORM) == []
    assert tag_names(one, TagType.CHARACTER)[0] == "Mira Vance"
    assert tag_names(two, TagType.WARNING) == ["Graphic Depictions Of Violence"]


@pytest.mark.django_db
def test_a_toml_mapping_file_is_read(tmp_path: Path) -> None:
    dump = dump_of(small_archive(), tmp_path)
    mapping = tmp_path / "mapping.toml"
    mapping.write_text('category_tree = "meta"\n\n[ratings.5]\nrating = "Mature"\n')
    call_command("import-efiction", "--dump", str(dump), "--mapping", str(mapping), "--quiet")
    assert tag_names(work_of(2), TagType.RATING) == ["Mature"]


@pytest.mark.django_db
def test_meta_tree_gives_only_the_own_fandom_and_lists_the_tree(tmp_path: Path) -> None:
    report = run_import(small_archive(), tmp_path, category_tree="meta")
    assert tag_names(work_of(1), TagType.FANDOM) == ["Starfall: The Early Years"]
    assert (
        "to wrangle: make 'Starfall Saga' a meta tag of 'Starfall: The Early Years' (category 2)"
        in report.notes
    )


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ('{"ratings": {"1": {"rating": "PG"}}}', "ratings.1: rating must be one of"),
        ('{"classes": {"1": {"type": "genre", "tag": "x"}}}', "classes.1: type must be one of"),
        ('{"classes": {"2": {"type": "warning", "tag": "Sad"}}}', "a warning must be one of"),
        ('{"classes": {"1": {"type": "category", "tag": "Het"}}}', "a category must be one of"),
        ('{"category_tree": "tree"}', "category_tree is 'tree'"),
        ('{"ratings": [1]}', "ratings must be a table"),
        ("{not json", "not valid json"),
    ],
)
@pytest.mark.django_db
def test_mistakes_in_the_mapping_file_are_named(tmp_path: Path, content: str, problem: str) -> None:
    dump = dump_of(small_archive(), tmp_path)
    mapping = tmp_path / "mapping.json"
    mapping.write_text(content)
    with pytest.raises(CommandError, match=f"^{mapping}: ") as error:
        call_command("import-efiction", "--dump", str(dump), "--mapping", str(mapping), "--quiet")
    assert problem in str(error.value)


def test_default_rating_sets(tmp_path: Path) -> None:
    archive = Archive()
    names = ["K", "K+", "T", "M", "MA", "G", "PG", "PG-13", "R", "NC-17", "Sparkly"]
    for rid, name in enumerate(names, 1):
        archive.add("ratings", rid=rid, rating=name)
    mapping = default_mapping(DumpSource(dump_of(archive, tmp_path)))
    assert [mapping.ratings[str(rid)]["rating"] for rid in range(1, len(names) + 1)] == [
        "General Audiences",
        "General Audiences",
        "Teen And Up Audiences",
        "Mature",
        "Explicit",
        "General Audiences",
        "General Audiences",
        "Teen And Up Audiences",
        "Mature",
        "Explicit",
        "Not Rated",
    ]
    assert mapping.rating([1, 4]) == "Mature"  # several ratings: the strictest


def test_default_tag_names_lose_the_characters_tags_cannot_hold(tmp_path: Path) -> None:
    archive = Archive()
    archive.add("categories", catid=1, category="Stars, Moons <Books>")
    archive.add("characters", charid=1, catid=1, charname="Mira*")
    mapping = default_mapping(DumpSource(dump_of(archive, tmp_path)))
    assert mapping.categories["1"]["fandom"] == "Stars Moons Books"
    assert mapping.categories["1"]["old"] == "Stars, Moons <Books>"
    assert mapping.characters["1"]["character"] == "Mira"


@pytest.mark.django_db
def test_a_refused_name_in_an_edited_mapping_costs_the_tag_not_the_story(tmp_path: Path) -> None:
    dump, data = _written(tmp_path)
    data["classes"]["1"]["tag"] = "Adventure, Quest"
    edited = tmp_path / "edited.json"
    edited.write_text(json.dumps(data))
    call_command("import-efiction", "--dump", str(dump), "--mapping", str(edited), "--quiet")
    assert tag_names(work_of(1), TagType.FREEFORM) == []
    assert tag_names(work_of(1), TagType.RELATIONSHIP) == ["Mira/Tobin"]
