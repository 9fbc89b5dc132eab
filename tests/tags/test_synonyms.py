"""Canonical tags and synonyms: the wrangling that joins what creators type to what readers
filter by."""

from __future__ import annotations

import pytest

from ficarchive.accounts.models import User
from ficarchive.tags import wrangling
from ficarchive.tags.models import MetaTagging, ParentTagging, TagChange, TagType, TagWord
from ficarchive.tags.wrangling import WranglingError
from tests.tags.conftest import MakeTag, MakeWork


def test_making_a_tag_canonical_records_who_did_it(make_tag: MakeTag, wrangler: User) -> None:
    tag = wrangling.tag_make_canonical(make_tag("Fluff"), user=wrangler)
    assert tag.canonical
    assert TagWord.objects.filter(tag=tag, canonical=True).exists()
    change = TagChange.objects.get(tag=tag)
    assert (change.user, change.description) == (wrangler, "Made canonical.")


def test_a_synonym_points_to_its_canonical(make_tag: MakeTag, wrangler: User) -> None:
    canonical = make_tag("Hurt/Comfort", canonical=True)
    tag = wrangling.tag_make_synonym(make_tag("h/c"), canonical, user=wrangler)
    assert tag.merger == canonical
    assert not tag.canonical
    assert list(canonical.synonyms.all()) == [tag]
    assert "Made a synonym of 'Hurt/Comfort'." in tag.changes.values_list("description", flat=True)
    assert canonical.changes.filter(description__contains="'h/c' made a synonym").exists()


def test_a_synonym_of_a_synonym_is_refused(make_tag: MakeTag, wrangler: User) -> None:
    canonical = make_tag("Fluff", canonical=True)
    synonym = make_tag("fluffy", merger=canonical)
    with pytest.raises(WranglingError, match="'fluffy' is not a canonical tag"):
        wrangling.tag_make_synonym(make_tag("fluffiest"), synonym, user=wrangler)


def test_a_tag_cannot_be_its_own_synonym(make_tag: MakeTag, wrangler: User) -> None:
    tag = make_tag("Fluff", canonical=True)
    with pytest.raises(WranglingError, match="synonym of itself"):
        wrangling.tag_make_synonym(tag, tag, user=wrangler)


def test_a_synonym_must_have_the_type_of_its_canonical(make_tag: MakeTag, wrangler: User) -> None:
    canonical = make_tag("Merlin", TagType.FANDOM, canonical=True)
    with pytest.raises(WranglingError, match=r"is a fandom\. Synonyms must belong"):
        wrangling.tag_make_synonym(make_tag("merlin!", TagType.CHARACTER), canonical, user=wrangler)


def test_only_an_admin_makes_a_canonical_tag_a_synonym(
    make_tag: MakeTag, wrangler: User, admin: User
) -> None:
    target = make_tag("Angst", canonical=True)
    source = make_tag("Angsty", canonical=True)
    with pytest.raises(WranglingError, match="Only an admin"):
        wrangling.tag_make_synonym(source, target, user=wrangler)
    source = wrangling.tag_make_synonym(source, target, user=admin)
    assert source.merger == target and not source.canonical


def test_fixed_tags_cannot_be_wrangled(make_tag: MakeTag, wrangler: User) -> None:
    from ficarchive.tags.models import Tag

    explicit = Tag.objects.get(name="Explicit")
    with pytest.raises(WranglingError, match="fixed"):
        wrangling.tag_make_synonym(make_tag("smut", TagType.FREEFORM), explicit, user=wrangler)
    with pytest.raises(WranglingError, match="fixed"):
        wrangling.tag_make_noncanonical(explicit, user=wrangler)


def test_merging_a_canonical_moves_its_links_to_the_target(
    make_tag: MakeTag, make_work: MakeWork, admin: User
) -> None:
    fandom = make_tag("Merlin", TagType.FANDOM, canonical=True)
    target = make_tag("Arthur Pendragon", TagType.CHARACTER, canonical=True)
    source = make_tag("Arthur", TagType.CHARACTER, canonical=True)
    relationship = make_tag("Arthur/Merlin", TagType.RELATIONSHIP, canonical=True)
    old_synonym = make_tag("Prince Arthur", TagType.CHARACTER, merger=source)
    meta = make_tag("Kings", TagType.CHARACTER, canonical=True)
    sub = make_tag("Arthur (Young)", TagType.CHARACTER, canonical=True)
    wrangling.parent_add(fandom, source, user=admin)
    wrangling.parent_add(source, relationship, user=admin)
    wrangling.meta_tag_add(meta, source, user=admin)
    wrangling.meta_tag_add(source, sub, user=admin)

    wrangling.tag_merge(source, target, user=admin)

    assert ParentTagging.objects.filter(parent=fandom, child=target).exists()
    assert ParentTagging.objects.filter(parent=target, child=relationship).exists()
    assert not ParentTagging.objects.filter(parent=source).exists()
    old_synonym.refresh_from_db()
    assert old_synonym.merger == target
    assert MetaTagging.objects.filter(meta_tag=meta, sub_tag=target, direct=True).exists()
    assert MetaTagging.objects.filter(meta_tag=target, sub_tag=sub, direct=True).exists()
    assert MetaTagging.objects.filter(meta_tag=meta, sub_tag=sub, direct=False).exists()
    assert not MetaTagging.objects.filter(sub_tag=source).exists()
    assert not MetaTagging.objects.filter(meta_tag=source).exists()


def test_a_new_synonym_takes_its_canonicals_fandoms(make_tag: MakeTag, wrangler: User) -> None:
    fandom = make_tag("Merlin", TagType.FANDOM, canonical=True)
    canonical = make_tag("Gwen", TagType.CHARACTER, canonical=True)
    wrangling.parent_add(fandom, canonical, user=wrangler)
    synonym = wrangling.tag_make_synonym(
        make_tag("Guinevere", TagType.CHARACTER), canonical, user=wrangler
    )
    assert ParentTagging.objects.filter(parent=fandom, child=synonym).exists()


def test_unlinking_a_synonym_leaves_an_ordinary_tag(make_tag: MakeTag, wrangler: User) -> None:
    canonical = make_tag("Fluff", canonical=True)
    synonym = make_tag("fluffy", merger=canonical)
    tag = wrangling.tag_unlink_synonym(synonym, user=wrangler)
    assert tag.merger is None and not tag.canonical
    assert canonical.changes.filter(description__contains="no longer a synonym").exists()


def test_making_a_synonym_canonical_unlinks_it_in_one_step(
    make_tag: MakeTag, wrangler: User
) -> None:
    canonical = make_tag("Fluff", canonical=True)
    tag = wrangling.tag_make_canonical(
        make_tag("Tooth-Rotting Fluff", merger=canonical), user=wrangler
    )
    assert tag.canonical and tag.merger is None


def test_a_tag_made_not_canonical_loses_its_synonyms_and_meta_tags(
    make_tag: MakeTag, wrangler: User
) -> None:
    tag = make_tag("Fluff", canonical=True)
    meta = make_tag("Feelings", canonical=True)
    synonym = make_tag("fluffy", merger=tag)
    wrangling.meta_tag_add(meta, tag, user=wrangler)
    wrangling.tag_make_noncanonical(tag, user=wrangler)
    synonym.refresh_from_db()
    assert synonym.merger is None
    assert not MetaTagging.objects.exists()


def test_unwrangleable_is_refused_on_canonical_tags_and_synonyms(
    make_tag: MakeTag, wrangler: User
) -> None:
    canonical = make_tag("Fluff", canonical=True)
    with pytest.raises(WranglingError, match="can't be set on a canonical"):
        wrangling.tag_set_unwrangleable(canonical, True, user=wrangler)
    with pytest.raises(WranglingError):
        wrangling.tag_set_unwrangleable(make_tag("fluffy", merger=canonical), True, user=wrangler)
    tag = wrangling.tag_set_unwrangleable(make_tag("the feels"), True, user=wrangler)
    assert tag.unwrangleable


def test_making_an_unwrangleable_tag_a_synonym_clears_the_mark(
    make_tag: MakeTag, wrangler: User
) -> None:
    tag = wrangling.tag_set_unwrangleable(make_tag("fluff?"), True, user=wrangler)
    tag = wrangling.tag_make_synonym(tag, make_tag("Fluff", canonical=True), user=wrangler)
    assert not tag.unwrangleable


def test_changing_type_moves_an_unwrangled_tag_and_drops_parents_that_no_longer_fit(
    make_tag: MakeTag, wrangler: User
) -> None:
    fandom = make_tag("Merlin", TagType.FANDOM, canonical=True)
    tag = make_tag("Morgana", TagType.FREEFORM)
    wrangling.parent_add(fandom, tag, user=wrangler)
    tag = wrangling.tag_change_type(tag, TagType.CHARACTER, user=wrangler)
    assert tag.type == TagType.CHARACTER
    assert TagWord.objects.filter(tag=tag, type=TagType.CHARACTER).exists()
    assert ParentTagging.objects.filter(parent=fandom, child=tag).exists()
    tag = wrangling.tag_change_type(tag, TagType.FANDOM, user=wrangler)
    assert not ParentTagging.objects.filter(child=tag).exists()
    assert tag.changes.filter(description="Changed type from Character to Fandom.").exists()


def test_changing_type_is_refused_for_fixed_types_and_wrangled_tags(
    make_tag: MakeTag, wrangler: User
) -> None:
    with pytest.raises(WranglingError, match="fixed or unknown"):
        wrangling.tag_change_type(make_tag("PG"), TagType.RATING, user=wrangler)
    with pytest.raises(WranglingError, match="canonical, a synonym or has synonyms"):
        wrangling.tag_change_type(
            make_tag("Fluff", canonical=True), TagType.CHARACTER, user=wrangler
        )
