"""Recomputing filter tags after wrangling: in bulk, marked in the same transaction as the
change, idempotent, resumable after a crash, and told to the search index."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import transaction

from ficarchive.accounts.models import User
from ficarchive.core.models import ChangeLog
from ficarchive.tags import recompute, wrangling
from ficarchive.tags.filters import works_mark_all_stale, works_mark_stale
from ficarchive.tags.models import FilterTagging, StaleWork, Tag, TagType
from ficarchive.works.models import Work
from tests.factories import TagFactory
from tests.tags.conftest import MakeTag, MakeWork


def _rows() -> set[tuple[int, int, bool]]:
    return set(FilterTagging.objects.values_list("work_id", "filter_id", "inherited"))


def _flags() -> set[tuple[int, bool, bool]]:
    return set(Work.objects.values_list("id", "crossover", "otp"))


@pytest.fixture
def corpus(make_tag: MakeTag, make_work: MakeWork, wrangler: User) -> dict[str, Tag]:
    """Thirty works tagged with a freeform about to be merged into a canonical that has a meta
    tag; some are crossovers."""
    tags = {
        "source": make_tag("fluffy"),
        "target": make_tag("Fluff", canonical=True),
        "meta": make_tag("Feelings", canonical=True),
        "merlin": make_tag("Merlin", TagType.FANDOM, canonical=True),
        "sherlock": make_tag("Sherlock", TagType.FANDOM, canonical=True),
    }
    wrangling.meta_tag_add(tags["meta"], tags["target"], user=wrangler)
    for number in range(30):
        fandoms = [tags["merlin"]] + ([tags["sherlock"]] if number % 3 == 0 else [])
        make_work(tags["source"], *fandoms, title=f"work {number}")
    return tags


@pytest.mark.parametrize("source_canonical", [False, True], ids=["new tag", "canonical tag"])
def test_a_merge_updates_every_work_tagged_with_the_source(
    corpus: dict[str, Tag], admin: User, source_canonical: bool
) -> None:
    if source_canonical:
        wrangling.tag_make_canonical(corpus["source"], user=admin)
    ChangeLog.objects.all().delete()
    wrangling.tag_merge(corpus["source"], corpus["target"], user=admin)
    for filter_tag, inherited in (("target", False), ("meta", True)):
        found = FilterTagging.objects.filter(filter=corpus[filter_tag], inherited=inherited)
        assert found.count() == 30
    assert not FilterTagging.objects.filter(filter=corpus["source"]).exists()
    assert not StaleWork.objects.exists()
    logged = ChangeLog.objects.filter(reason="fluffy made a synonym of Fluff")
    assert logged.count() == 30


def test_merging_a_new_tag_writes_its_filters_with_the_change(
    corpus: dict[str, Tag], wrangler: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A tag that was nothing yet only adds filters: they commit with the change, or not at all.
    def crash(*args: object) -> int:
        raise RuntimeError("the process died")

    monkeypatch.setattr(wrangling, "filters_add_for_synonym", crash)
    with pytest.raises(RuntimeError):
        wrangling.tag_merge(corpus["source"], corpus["target"], user=wrangler)
    assert Tag.objects.get(pk=corpus["source"].pk).merger is None
    monkeypatch.undo()
    wrangling.tag_merge(corpus["source"], corpus["target"], user=wrangler)
    assert FilterTagging.objects.filter(filter=corpus["target"]).count() == 30
    assert not StaleWork.objects.exists()


def test_a_merge_makes_an_inherited_filter_direct(
    corpus: dict[str, Tag], make_work: MakeWork, wrangler: User
) -> None:
    # This work has Feelings only as the meta tag of Fluff until "feels" becomes its synonym.
    feelings_synonym = TagFactory.create(name="feels")
    work = make_work(corpus["target"], feelings_synonym)
    wrangling.tag_merge(feelings_synonym, corpus["meta"], user=wrangler)
    assert FilterTagging.objects.get(work=work, filter=corpus["meta"]).inherited is False
    rows = _rows()
    works_mark_all_stale("check")
    recompute.filters_recompute_stale()
    assert _rows() == rows


def test_recomputing_again_changes_nothing(corpus: dict[str, Tag], wrangler: User) -> None:
    wrangling.tag_merge(corpus["source"], corpus["target"], user=wrangler)
    rows, flags = _rows(), _flags()
    works_mark_all_stale("again")
    assert recompute.filters_recompute_stale(batch_size=7) == Work.objects.count()
    assert (_rows(), _flags()) == (rows, flags)


def test_the_change_and_its_stale_marks_commit_together(
    corpus: dict[str, Tag], admin: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    wrangling.tag_make_canonical(corpus["source"], user=admin)

    def crash(batch_size: int = 0) -> int:
        raise RuntimeError("the process died")

    monkeypatch.setattr(wrangling, "filters_recompute_stale", crash)
    with pytest.raises(RuntimeError):
        wrangling.tag_merge(corpus["source"], corpus["target"], user=admin)
    # The synonym link committed with its marks; no work has its new filters yet.
    assert Tag.objects.get(pk=corpus["source"].pk).merger == corpus["target"]
    assert StaleWork.objects.count() == 30
    assert not FilterTagging.objects.filter(filter=corpus["target"]).exists()

    call_command("filters", recompute_stale=True, verbosity=0)
    assert FilterTagging.objects.filter(filter=corpus["target"]).count() == 30
    assert not StaleWork.objects.exists()


def test_a_crash_mid_batch_leaves_no_half_written_work_and_resumes(
    corpus: dict[str, Tag], admin: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    wrangling.tag_make_canonical(corpus["source"], user=admin)
    monkeypatch.setattr(wrangling, "filters_recompute_stale", lambda: 0)
    wrangling.tag_merge(corpus["source"], corpus["target"], user=admin)
    real_flags = recompute._write_flags
    calls = []

    def flags_then_crash(*args: object) -> None:
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("the process died")
        real_flags(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(recompute, "_write_flags", flags_then_crash)
    with pytest.raises(RuntimeError):
        recompute.filters_recompute_stale(batch_size=10)
    # The first batch committed whole; the second rolled back whole.
    assert StaleWork.objects.count() == 20
    done = FilterTagging.objects.filter(filter=corpus["target"]).values_list("work_id", flat=True)
    assert len(done) == 10
    assert not StaleWork.objects.filter(work_id__in=list(done)).exists()

    monkeypatch.setattr(recompute, "_write_flags", real_flags)
    assert recompute.filters_recompute_stale(batch_size=10) == 20
    assert FilterTagging.objects.filter(filter=corpus["target"]).count() == 30


def test_a_work_marked_again_during_a_recompute_stays_stale(
    corpus: dict[str, Tag], monkeypatch: pytest.MonkeyPatch
) -> None:
    work = Work.objects.get(title="work 0")
    with transaction.atomic():
        works_mark_stale([work.pk], "first")
    real = recompute._write_flags

    def marked_meanwhile(*args: object) -> None:
        real(*args)  # type: ignore[arg-type]
        works_mark_stale([work.pk], "second")

    monkeypatch.setattr(recompute, "_write_flags", marked_meanwhile)
    with transaction.atomic():
        assert recompute._recompute_batch(100) == 1
    assert StaleWork.objects.get(work=work).reason == "second"
    monkeypatch.setattr(recompute, "_write_flags", real)
    assert recompute.filters_recompute_stale() == 1
    assert not StaleWork.objects.exists()


def test_marking_twice_bumps_the_version(corpus: dict[str, Tag]) -> None:
    work = Work.objects.get(title="work 1")
    works_mark_stale([work.pk], "one")
    works_mark_stale([work.pk], "two")
    stale = StaleWork.objects.get(work=work)
    assert (stale.version, stale.reason) == (2, "two")


def test_recompute_all_rebuilds_filter_tags_lost_by_hand(corpus: dict[str, Tag]) -> None:
    rows, flags = _rows(), _flags()
    FilterTagging.objects.all().delete()
    Work.objects.update(crossover=False)
    call_command("filters", recompute_all=True, verbosity=0)
    assert (_rows(), _flags()) == (rows, flags)
