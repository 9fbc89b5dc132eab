"""Changing a work in place, as its creators do: a draft's description, tags and creators
applied to the work, chapters written, numbered and counted one by one, ids kept."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.db.models import Max

from ficarchive.core.bulk import bulk_insert
from ficarchive.tags.filters import work_filters_for_tags, work_filters_write
from ficarchive.tags.models import FilterTagging, Tagging
from ficarchive.works.models import Chapter, Creatorship, Work
from ficarchive.works.writer import lookups
from ficarchive.works.writer.drafts import ChapterDraft, WorkDraft
from ficarchive.works.writer.lookups import WriterCache
from ficarchive.works.writer.write import TAGGING_FIELDS, chapter_rendering, counts_from_chapters


def work_revise(work: Work, draft: WorkDraft, cache: WriterCache | None = None) -> None:
    """Give a work the draft's description, language, tags and creators, leaving its chapters
    (the draft's are not read) and its state; the caller saves the work. Raises TagsError."""
    cache = cache or WriterCache()
    tag_ids = lookups.tag_ids(draft.tag_refs(), cache)
    work.title = draft.title
    work.summary = draft.summary
    work.notes = draft.notes
    work.endnotes = draft.endnotes
    work.language_id = lookups.language_id(draft.language, cache)
    work.restricted = draft.restricted
    work.anonymous = draft.anonymous
    work.comment_permission = draft.comment_permission
    work.comments_moderated = draft.comments_moderated
    work.expected_chapters = draft.expected_chapters
    work.backdated = draft.backdated
    if draft.backdated and draft.published_on is not None:
        work.published_on = draft.published_on
    _creators_sync(work, [lookups.pseud_id(c, cache) for c in draft.creators], draft)
    _tags_replace(work, tag_ids)


def _creators_sync(work: Work, creators: list[int], draft: WorkDraft) -> None:
    """Creatorships follow the draft: pseuds no longer named go, new ones are added after the
    others (shown at once, or once they accept when invited), the rest keep their place."""
    current = list(work.creatorships.all())
    wanted = set(creators) | {pseud.pk for pseud in draft.invited}
    for creatorship in current:
        if creatorship.pseud_id not in wanted:
            creatorship.delete()
    have = {c.pseud_id for c in current}
    position = max((c.position for c in current), default=-1) + 1
    new = [(pk, True) for pk in creators] + [(pseud.pk, False) for pseud in draft.invited]
    for pseud_id, approved in new:
        if pseud_id not in have:
            Creatorship.objects.create(
                work=work, pseud_id=pseud_id, position=position, approved=approved
            )
            have.add(pseud_id)
            position += 1


def _tags_replace(work: Work, tag_ids: list[int]) -> None:
    """Replace the work's tags and, by the rule of tags.filters, its filter tags and flags."""
    Tagging.objects.filter(work=work).delete()
    bulk_insert(
        Tagging,
        TAGGING_FIELDS,
        [(work.pk, tag_id, position) for position, tag_id in enumerate(tag_ids)],
    )
    filters = work_filters_for_tags(tag_ids)
    FilterTagging.objects.filter(work=work).delete()
    work_filters_write(work.pk, filters)
    work.crossover, work.otp = filters.crossover, filters.otp


def chapter_fill(chapter: Chapter, draft: ChapterDraft) -> None:
    """Put a draft's text, rendering and word count on a chapter; the caller saves it."""
    chapter.html, chapter.word_count = chapter_rendering(draft)
    chapter.title = draft.title
    chapter.summary = draft.summary
    chapter.notes = draft.notes
    chapter.endnotes = draft.endnotes
    chapter.text = draft.text


def chapter_append(work: Work, draft: ChapterDraft, published_on: date) -> Chapter:
    """A new chapter after the work's last one, saved."""
    last = work.chapters.aggregate(last=Max("position"))["last"] or 0
    chapter = Chapter(work=work, position=last + 1, published_on=published_on, posted=True)
    chapter_fill(chapter, draft)
    chapter.save()
    return chapter


def chapters_renumber(work: Work, chapter_ids: Sequence[int]) -> None:
    """Number the work's chapters 1, 2, ... in this order."""
    for position, pk in enumerate(chapter_ids, 1):
        Chapter.objects.filter(pk=pk, work=work).update(position=position)


def work_counts_refresh(work: Work) -> None:
    """Chapter count, words and completion follow from the posted chapters; the caller saves."""
    counts = list(work.chapters.filter(posted=True).values_list("word_count", flat=True))
    work.chapter_count = len(counts)
    work.word_count = sum(counts)
    counts_from_chapters(work)
