"""works.writer called directly: one draft, many in bulk, rewrites, filter tags, languages."""

from __future__ import annotations

import pytest

from ficarchive.accounts.models import Pseud, User
from ficarchive.core.models import ChangeLog
from ficarchive.tags.filters import work_filters_for_tags
from ficarchive.tags.models import FilterTagging, MetaTagging, Tag, TagType
from ficarchive.works.models import Chapter, Creatorship, Language, Work
from ficarchive.works.posting import ChapterFields, WorkFields, work_create, work_update
from ficarchive.works.writer.drafts import ChapterDraft, NamedCreator, SeriesPlace, WorkDraft
from ficarchive.works.writer.lookups import TagsError, WriterCache
from ficarchive.works.writer.write import Reasons, work_write, works_write_bulk
from tests.factories import TagFactory

pytestmark = pytest.mark.django_db

REASONS = Reasons(new="written", again="written again")


def draft(**overrides: object) -> WorkDraft:
    values: dict[str, object] = dict(
        title="Written Work",
        language="English",
        creators=[NamedCreator(login="writer", pseud="Writer")],
        rating="General Audiences",
        warnings=["No Archive Warnings Apply"],
        fandoms=["Writer Fandom"],
        characters=["A Character"],
        freeforms=["Fluff"],
        chapters=[ChapterDraft(text="One two three."), ChapterDraft(text="Four five.")],
    )
    values.update(overrides)
    return WorkDraft(**values)  # type: ignore[arg-type]


def tag_names(work: Work) -> list[str]:
    return [tagging.tag.name for tagging in work.taggings.order_by("position")]


def test_one_draft_is_written_with_numbered_counted_chapters_and_ordered_tags() -> None:
    work, created = work_write(draft(), reasons=REASONS)
    assert created
    work.refresh_from_db()
    chapters = list(work.chapters.order_by("position"))
    assert [c.position for c in chapters] == [1, 2]
    assert [c.word_count for c in chapters] == [3, 2]
    assert (work.word_count, work.chapter_count) == (5, 2)
    assert tag_names(work) == [
        "General Audiences",
        "No Archive Warnings Apply",
        "Writer Fandom",
        "A Character",
        "Fluff",
    ]
    assert [c.pseud.name for c in work.creatorships.all()] == ["Writer"]
    assert User.objects.get(username="writer").default_pseud().name == "Writer"
    assert list(ChangeLog.objects.filter(work_id=work.pk).values_list("reason", flat=True)) == [
        "written"
    ]


def test_bulk_drafts_are_written_together_each_once_in_the_change_log() -> None:
    drafts = [draft(title=f"Bulk {n}", fandoms=[f"Bulk Fandom {n % 3}"]) for n in range(12)]
    result = works_write_bulk(drafts, reasons=REASONS)
    works = [written.work for written in result.results]
    assert all(work is not None for work in works)
    assert sorted(Work.objects.values_list("title", flat=True)) == sorted(d.title for d in drafts)
    assert result.rows["work"] == 12
    assert result.rows["chapter"] == Chapter.objects.count() == 24
    assert Tag.objects.filter(type=TagType.FANDOM, name__startswith="Bulk Fandom").count() == 3
    assert User.objects.filter(username="writer").count() == 1
    logged = list(ChangeLog.objects.values_list("work_id", "reason"))
    assert sorted(logged) == sorted((work.pk, "written") for work in works if work)


def test_a_draft_the_archive_refuses_leaves_nothing_and_the_others_are_written() -> None:
    drafts = [
        draft(title="Fine"),
        draft(
            title="Refused",
            rating="No Such Rating",
            language="Klingonese",
            creators=[NamedCreator(login="refused", pseud="refused")],
        ),
        draft(title="Also fine"),
    ]
    results = works_write_bulk(drafts, reasons=REASONS).results
    assert results[1].work is None
    assert results[1].error and "No Such Rating" in results[1].error
    assert sorted(Work.objects.values_list("title", flat=True)) == ["Also fine", "Fine"]
    assert not User.objects.filter(username="refused").exists()
    assert not Language.objects.filter(name="Klingonese").exists()


def test_one_draft_the_archive_refuses_raises() -> None:
    with pytest.raises(TagsError, match="No Such Rating"):
        work_write(draft(rating="No Such Rating"), reasons=REASONS)
    assert not Work.objects.exists()


def test_a_draft_with_an_existing_id_rewrites_that_work_and_keeps_its_counters() -> None:
    work, _created = work_write(draft(work_id=4242), reasons=REASONS)
    Work.objects.filter(pk=4242).update(hits=17, kudos_count=3)
    rewrite = draft(
        work_id=4242,
        title="Rewritten",
        fandoms=["Other Fandom"],
        chapters=[ChapterDraft(text="Only one chapter now.")],
    )
    again, created = work_write(rewrite, reasons=REASONS)
    assert not created
    assert again.pk == work.pk == 4242
    stored = Work.objects.get(pk=4242)
    assert (stored.title, stored.hits, stored.kudos_count) == ("Rewritten", 17, 3)
    assert stored.chapters.count() == 1
    assert "Writer Fandom" not in tag_names(stored)
    assert ChangeLog.objects.filter(work_id=4242, reason="written again").count() == 1


def test_two_drafts_with_one_new_id_in_a_batch_are_written_one_after_the_other() -> None:
    results = works_write_bulk(
        [draft(work_id=77, title="First"), draft(work_id=77, title="Second")], reasons=REASONS
    ).results
    assert [(r.created, r.error) for r in results] == [(True, None), (False, None)]
    assert Work.objects.get(pk=77).title == "Second"
    assert Chapter.objects.filter(work_id=77).count() == 2


def test_posting_an_edit_keeps_the_work_and_chapter_ids(author: User) -> None:
    fields = WorkFields(
        title="Posted",
        language=Language.objects.get(code="en"),
        rating="Teen And Up Audiences",
        warnings=["No Archive Warnings Apply"],
        fandoms=["Posting Fandom"],
        pseuds=[author.default_pseud()],
    )
    work = work_create(author, fields, ChapterFields(text="First text."), post=True)
    chapter_id = work.chapters.get().pk
    creatorship_id = work.creatorships.get().pk
    fields.title = "Edited"
    fields.freeforms = ["New Tag"]
    edited = work_update(work, author, fields, ChapterFields(text="Edited text, longer now."))
    assert edited.pk == work.pk
    assert edited.chapters.get().pk == chapter_id
    assert edited.creatorships.get().pk == creatorship_id
    assert edited.word_count == 4
    assert tag_names(edited)[-1] == "New Tag"


def test_filter_tags_follow_synonyms_and_meta_tags() -> None:
    canonical = TagFactory.create(name="Canon Fandom", type=TagType.FANDOM, canonical=True)
    synonym = TagFactory.create(name="Canon Synonym", type=TagType.FANDOM, merger=canonical)
    meta = TagFactory.create(name="Canon - All Media", type=TagType.FANDOM, canonical=True)
    MetaTagging.objects.create(meta_tag=meta, sub_tag=canonical, direct=True)
    other = TagFactory.create(name="Unrelated Fandom", type=TagType.FANDOM, canonical=True)
    results = works_write_bulk(
        [
            draft(fandoms=["Canon Synonym"], characters=[], freeforms=[]),
            draft(fandoms=["Canon Synonym", "Unrelated Fandom"], characters=[], freeforms=[]),
        ],
        reasons=REASONS,
    ).results
    single, crossover = (result.work for result in results)
    assert single is not None and crossover is not None
    filters = dict(FilterTagging.objects.filter(work=single).values_list("filter_id", "inherited"))
    assert filters[canonical.pk] is False
    assert filters[meta.pk] is True
    assert synonym.pk not in filters
    for work in (single, crossover):
        expected = work_filters_for_tags(list(work.taggings.values_list("tag_id", flat=True)))
        stored = dict(FilterTagging.objects.filter(work=work).values_list("filter_id", "inherited"))
        assert stored == expected.filters
        assert Work.objects.get(pk=work.pk).crossover == expected.crossover
    assert Work.objects.get(pk=crossover.pk).crossover
    assert other.pk in dict(
        FilterTagging.objects.filter(work=crossover).values_list("filter_id", "inherited")
    )


def test_a_new_language_is_made_once_for_many_drafts_and_runs() -> None:
    cache = WriterCache()
    first = works_write_bulk(
        [draft(language="Sindarin Elvish") for _ in range(5)], reasons=REASONS, cache=cache
    )
    second = works_write_bulk([draft(language="sindarin elvish")], reasons=REASONS)
    languages = Language.objects.filter(name__iexact="Sindarin Elvish")
    assert languages.count() == 1
    language = languages.get()
    written = [r.work for r in first.results + second.results]
    assert {work.language_id for work in written if work} == {language.pk}


def test_invited_co_creators_are_written_unapproved_after_the_creators(
    author: User, other_user: User
) -> None:
    invited = other_user.default_pseud()
    work, _created = work_write(
        draft(creators=[author.default_pseud()], invited=[invited]), reasons=REASONS
    )
    rows = list(Creatorship.objects.filter(work=work).values_list("pseud_id", "approved"))
    assert rows == [(author.default_pseud().pk, True), (invited.pk, False)]
    assert Pseud.objects.filter(user=author).count() == 1


def test_a_draft_the_database_refuses_leaves_nothing_and_the_others_are_written() -> None:
    drafts = [
        draft(title="Fine"),
        draft(
            title="Refused by the database",
            language="Klingonese",
            creators=[NamedCreator(login="refused", pseud="refused")],
            chapters=[ChapterDraft(text="Counted below nothing.", word_count=-1)],
        ),
        draft(title="Also fine"),
    ]
    results = works_write_bulk(drafts, reasons=REASONS).results
    assert [result.work is None for result in results] == [False, True, False]
    assert results[1].error
    assert sorted(Work.objects.values_list("title", flat=True)) == ["Also fine", "Fine"]
    assert not User.objects.filter(username="refused").exists()
    assert not Language.objects.filter(name="Klingonese").exists()
    assert ChangeLog.objects.count() == 2


def test_a_draft_refused_after_the_batch_tags_are_made_leaves_no_tag_behind() -> None:
    drafts = [
        draft(title="Fine"),
        draft(
            title="No creator", creators=[], freeforms=["Only Mine"], series=[SeriesPlace("S", 1)]
        ),
        draft(title="Also fine", freeforms=["Shared Tag"]),
    ]
    results = works_write_bulk(drafts, reasons=REASONS).results
    assert [result.error is None for result in results] == [True, False, True]
    assert sorted(Work.objects.values_list("title", flat=True)) == ["Also fine", "Fine"]
    assert not Tag.objects.filter(name="Only Mine").exists()
    assert Tag.objects.filter(name="Shared Tag").exists()
