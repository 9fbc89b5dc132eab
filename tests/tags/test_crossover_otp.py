"""Crossovers and OTPs, computed with the filter tags (lib/fandom_crossover.rb, Work#otp)."""

from __future__ import annotations

from ficarchive.accounts.models import User
from ficarchive.tags import wrangling
from ficarchive.tags.filters import is_crossover
from ficarchive.tags.models import Tag, TagType
from ficarchive.works.models import Work
from tests.tags.conftest import MakeTag, MakeWork


def _fandom(make_tag: MakeTag, name: str, canonical: bool = True) -> Tag:
    return make_tag(name, TagType.FANDOM, canonical=canonical)


def _fresh(work: Work) -> Work:
    return Work.objects.get(pk=work.pk)


def test_one_fandom_is_no_crossover(make_tag: MakeTag, make_work: MakeWork) -> None:
    assert not make_work(_fandom(make_tag, "Merlin")).crossover


def test_two_unrelated_fandoms_make_a_crossover(make_tag: MakeTag, make_work: MakeWork) -> None:
    work = make_work(_fandom(make_tag, "Merlin"), _fandom(make_tag, "Sherlock"))
    assert work.crossover


def test_fandoms_sharing_a_meta_tag_are_no_crossover(
    make_tag: MakeTag, make_work: MakeWork, wrangler: User
) -> None:
    merlin, legends = _fandom(make_tag, "Merlin"), _fandom(make_tag, "Arthurian Legends")
    work = make_work(merlin, legends)
    assert work.crossover
    arthuriana = _fandom(make_tag, "Arthuriana")
    wrangling.meta_tag_add(arthuriana, merlin, user=wrangler)
    wrangling.meta_tag_add(arthuriana, legends, user=wrangler)
    assert not _fresh(work).crossover
    wrangling.meta_tag_remove(arthuriana, legends, user=wrangler)
    assert _fresh(work).crossover


def test_a_fandom_and_its_own_meta_tag_are_no_crossover(
    make_tag: MakeTag, make_work: MakeWork, wrangler: User
) -> None:
    merlin, arthuriana = _fandom(make_tag, "Merlin"), _fandom(make_tag, "Arthuriana")
    wrangling.meta_tag_add(arthuriana, merlin, user=wrangler)
    assert not make_work(merlin, arthuriana).crossover


def test_synonyms_of_one_fandom_are_no_crossover(
    make_tag: MakeTag, make_work: MakeWork, wrangler: User
) -> None:
    merlin = _fandom(make_tag, "Merlin")
    work = make_work(merlin, _fandom(make_tag, "Merlin (TV)", canonical=False))
    assert work.crossover
    wrangling.tag_make_synonym(Tag.objects.get(name="Merlin (TV)"), merlin, user=wrangler)
    assert not _fresh(work).crossover


def test_no_crossover_when_one_fandom_is_related_to_all_others() -> None:
    # Merlin shares a meta tag with each of the others, which share none with each other.
    meta_tags = {1: {10, 20}, 2: {10}, 3: {20}}
    assert not is_crossover({1, 2, 3}, meta_tags)
    assert is_crossover({2, 3}, meta_tags)


def test_exactly_one_relationship_is_an_otp(make_tag: MakeTag, make_work: MakeWork) -> None:
    arthur_merlin = make_tag("Arthur/Merlin", TagType.RELATIONSHIP, canonical=True)
    assert make_work(arthur_merlin).otp
    assert not make_work().otp
    other = make_tag("Gwen/Lancelot", TagType.RELATIONSHIP, canonical=True)
    assert not make_work(arthur_merlin, other).otp


def test_a_relationship_and_its_synonym_are_one_otp(
    make_tag: MakeTag, make_work: MakeWork, wrangler: User
) -> None:
    canonical = make_tag("Arthur/Merlin", TagType.RELATIONSHIP, canonical=True)
    variant = make_tag("Merlin/Arthur", TagType.RELATIONSHIP)
    work = make_work(canonical, variant)
    assert not work.otp
    wrangling.tag_make_synonym(variant, canonical, user=wrangler)
    assert _fresh(work).otp
    wrangling.tag_unlink_synonym(variant, user=wrangler)
    assert not _fresh(work).otp


def test_changing_a_tags_type_updates_the_flags(
    make_tag: MakeTag, make_work: MakeWork, wrangler: User
) -> None:
    tag = make_tag("Arthur/Merlin", TagType.FREEFORM)
    work = make_work(tag)
    assert not work.otp
    wrangling.tag_change_type(tag, TagType.RELATIONSHIP, user=wrangler)
    assert _fresh(work).otp
