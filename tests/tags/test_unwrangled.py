"""Unwrangled tags: used on posted works, without parents, and not marked unwrangleable."""

from __future__ import annotations

from ficarchive.accounts.models import User
from ficarchive.tags import wrangling
from ficarchive.tags.models import Tag, TagType
from tests.tags.conftest import MakeTag, MakeWork


def _bin(fandom: Tag, type_: str = TagType.CHARACTER) -> dict[str, int]:
    tags = Tag.objects.filter(type=type_).unwrangled().on_posted_works(fandom)
    return {tag.name: tag.uses for tag in tags}  # type: ignore[attr-defined]


def test_a_fandoms_bin_lists_unwrangled_tags_of_its_works_with_counts(
    make_tag: MakeTag, make_work: MakeWork
) -> None:
    merlin = make_tag("Merlin", TagType.FANDOM, canonical=True)
    sherlock = make_tag("Sherlock", TagType.FANDOM, canonical=True)
    gwen = make_tag("gwen", TagType.CHARACTER)
    john = make_tag("john", TagType.CHARACTER)
    make_work(merlin, gwen)
    make_work(merlin, gwen)
    make_work(sherlock, john)
    assert _bin(merlin) == {"gwen": 2}
    assert _bin(sherlock) == {"john": 1}


def test_tags_used_only_on_drafts_are_not_in_the_bins(
    make_tag: MakeTag, make_work: MakeWork
) -> None:
    merlin = make_tag("Merlin", TagType.FANDOM, canonical=True)
    make_work(merlin, make_tag("draft only", TagType.CHARACTER), posted=False)
    assert _bin(merlin) == {}


def test_a_parent_or_the_unwrangleable_mark_takes_a_tag_out_of_the_bin(
    make_tag: MakeTag, make_work: MakeWork, wrangler: User
) -> None:
    merlin = make_tag("Merlin", TagType.FANDOM, canonical=True)
    gwen, morgana = make_tag("gwen", TagType.CHARACTER), make_tag("morgana", TagType.CHARACTER)
    make_work(merlin, gwen, morgana)
    wrangling.parent_add(merlin, gwen, user=wrangler)
    wrangling.tag_set_unwrangleable(morgana, True, user=wrangler)
    assert _bin(merlin) == {}
    assert Tag.objects.filter(unwrangleable=True).get() == morgana


def test_a_synonym_of_a_canonical_in_the_fandom_leaves_the_bin(
    make_tag: MakeTag, make_work: MakeWork, wrangler: User
) -> None:
    merlin = make_tag("Merlin", TagType.FANDOM, canonical=True)
    gwen = make_tag("Gwen", TagType.CHARACTER, canonical=True)
    wrangling.parent_add(merlin, gwen, user=wrangler)
    variant = make_tag("Guinevere", TagType.CHARACTER)
    make_work(merlin, variant)
    assert _bin(merlin) == {"Guinevere": 1}
    wrangling.tag_make_synonym(variant, gwen, user=wrangler)
    assert _bin(merlin) == {}


def test_unwrangled_fandoms_are_those_neither_canonical_nor_synonyms(
    make_tag: MakeTag, make_work: MakeWork, wrangler: User
) -> None:
    canonical = make_tag("Merlin", TagType.FANDOM, canonical=True)
    variant = make_tag("Merlin (TV)", TagType.FANDOM)
    new = make_tag("Brand New Show", TagType.FANDOM)
    make_work(canonical, variant, new)
    fandoms = Tag.objects.filter(type=TagType.FANDOM).unwrangled().on_posted_works()
    assert set(fandoms.values_list("name", flat=True)) == {"Merlin (TV)", "Brand New Show"}
    wrangling.tag_make_synonym(variant, canonical, user=wrangler)
    assert set(fandoms.values_list("name", flat=True)) == {"Brand New Show"}
