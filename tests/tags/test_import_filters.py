"""Imported works get their filter tags and flags as they are written."""

from __future__ import annotations

from pathlib import Path

from django.core.management import call_command

from ficarchive.accounts.models import User
from ficarchive.tags import wrangling
from ficarchive.tags.filters import works_mark_all_stale
from ficarchive.tags.models import FilterTagging, Tag, TagType
from ficarchive.tags.recompute import filters_recompute_stale
from ficarchive.works.models import Work
from tests.formats.records import with_header
from tests.tags.conftest import MakeTag


def _import(tmp_path: Path, *lines: str) -> Work:
    path = tmp_path / "work.txt"
    path.write_text(with_header("Work ID: 7", *lines), encoding="utf-8")
    call_command("import", str(path), verbosity=0)
    return Work.objects.get(pk=7)


def _filters(work: Work) -> set[tuple[str, bool]]:
    rows = FilterTagging.objects.filter(work=work).select_related("filter")
    return {(row.filter.name, row.inherited) for row in rows}


def test_an_imported_work_is_found_by_canonicals_synonyms_and_meta_tags(
    tmp_path: Path, make_tag: MakeTag, wrangler: User
) -> None:
    merlin = make_tag("Merlin", TagType.FANDOM, canonical=True)
    sherlock = make_tag("Sherlock", TagType.FANDOM, canonical=True)
    pairing = make_tag("Arthur/Merlin", TagType.RELATIONSHIP, canonical=True)
    make_tag("Merlin/Arthur", TagType.RELATIONSHIP, merger=pairing)
    meta = make_tag("Slash", TagType.RELATIONSHIP, canonical=True)
    wrangling.meta_tag_add(meta, pairing, user=wrangler)
    work = _import(
        tmp_path,
        "Rating: Mature",
        "Fandom: Merlin, Sherlock",
        "Relationships: Merlin/Arthur, Arthur/Merlin",
        "Additional Tags: Brand New Tag",
    )
    assert _filters(work) == {
        ("Mature", False),
        ("Merlin", False),
        ("Sherlock", False),
        ("Arthur/Merlin", False),
        ("Slash", True),
    }
    assert work.crossover and work.otp
    assert {merlin, sherlock} <= set(Tag.objects.filter(filter_taggings__work=work))


def test_import_and_recompute_agree(tmp_path: Path, make_tag: MakeTag) -> None:
    make_tag("Merlin", TagType.FANDOM, canonical=True)
    work = _import(tmp_path, "Fandom: Merlin, merlin (bbc)", "Characters: Gwen")
    before = (_filters(work), work.crossover, work.otp)
    works_mark_all_stale("check")
    filters_recompute_stale()
    work.refresh_from_db()
    assert (_filters(work), work.crossover, work.otp) == before
    assert work.crossover  # an unwrangled fandom is one of its own


def test_importing_a_work_again_replaces_its_filter_tags(tmp_path: Path, make_tag: MakeTag) -> None:
    make_tag("Merlin", TagType.FANDOM, canonical=True)
    make_tag("Sherlock", TagType.FANDOM, canonical=True)
    _import(tmp_path, "Fandom: Merlin")
    work = _import(tmp_path, "Fandom: Sherlock")
    assert ("Merlin", False) not in _filters(work)
    assert ("Sherlock", False) in _filters(work)
