"""The demo corpus is wrangled: synonyms, meta tags, parents, tags left for the bins, and
filter tags that match what a recompute gives."""

from __future__ import annotations

import pytest
from django.db.models import F

from ficarchive.tags.filters import works_mark_all_stale
from ficarchive.tags.models import FilterTagging, MetaTagging, ParentTagging, Tag, TagType
from ficarchive.tags.recompute import filters_recompute_stale
from ficarchive.works.models import Work

pytestmark = pytest.mark.django_db


def test_demo_filter_tags_and_flags_are_what_a_recompute_gives(corpus: int) -> None:
    rows = set(FilterTagging.objects.values_list("work_id", "filter_id", "inherited"))
    flags = set(Work.objects.values_list("id", "crossover", "otp"))
    assert len(rows) > 10 * corpus
    works_mark_all_stale("check")
    filters_recompute_stale()
    assert set(FilterTagging.objects.values_list("work_id", "filter_id", "inherited")) == rows
    assert set(Work.objects.values_list("id", "crossover", "otp")) == flags


def test_demo_has_meta_tags_with_inherited_filters(corpus: int) -> None:
    fandom_metas = MetaTagging.objects.filter(meta_tag__type=TagType.FANDOM, direct=True)
    assert fandom_metas.count() >= 3
    assert MetaTagging.objects.filter(meta_tag__type=TagType.FREEFORM).exists()
    assert not MetaTagging.objects.exclude(meta_tag__type=F("sub_tag__type")).exists()
    assert FilterTagging.objects.filter(inherited=True).exists()


def test_demo_fandoms_parent_their_characters_and_relationships(corpus: int) -> None:
    for type_ in (TagType.CHARACTER, TagType.RELATIONSHIP):
        canonical = Tag.objects.filter(type=type_, canonical=True)
        parented = canonical.filter(parent_taggings__parent__type=TagType.FANDOM).distinct()
        assert parented.count() == canonical.count()
    assert ParentTagging.objects.filter(
        parent__type=TagType.CHARACTER, child__type=TagType.RELATIONSHIP
    ).exists()
    assert ParentTagging.objects.filter(parent__name="No Fandom").exists()


def test_demo_leaves_unwrangled_tags_for_the_bins(corpus: int) -> None:
    unwrangled = Tag.objects.unwrangled().on_posted_works()
    for type_ in (TagType.CHARACTER, TagType.RELATIONSHIP, TagType.FREEFORM):
        assert unwrangled.filter(type=type_).exists()
    assert Tag.objects.filter(unwrangleable=True).exists()


def test_demo_has_crossovers_and_otps(corpus: int) -> None:
    assert 0.02 < Work.objects.filter(crossover=True).count() / corpus < 0.15
    assert Work.objects.filter(otp=True).exists()


def test_demo_fandoms_sit_under_media_most_of_them(corpus: int) -> None:
    fandoms = Tag.objects.filter(type=TagType.FANDOM, canonical=True)
    placed = fandoms.filter(parent_taggings__parent__type=TagType.MEDIA).distinct().count()
    assert 0.8 * fandoms.count() < placed <= fandoms.count()
    media = ParentTagging.objects.filter(parent__type=TagType.MEDIA).values("parent").distinct()
    assert media.count() >= 3
