"""Posting and editing works: the writes behind the posting forms.

Each service is one transaction. The work writer (works.writer) writes the work, its chapters,
creators, tags and filter tags and keeps the counts that follow from the chapters; this module
keeps posting's own rules (whose pseuds, scheduling, backdating, the first chapter's date) and
tells the search index (core.changes.works_changed) of what the writer does not. The forms
validate; these functions check again what the database must never hold (a work without its
own creator, say).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from ficarchive.accounts.models import Pseud, User
from ficarchive.core.changes import works_changed
from ficarchive.works.models import (
    Chapter,
    CommentPermission,
    Creatorship,
    Language,
    Series,
    Work,
)
from ficarchive.works.series import SeriesError, series_place_work
from ficarchive.works.templatetags.reading import blurb_key
from ficarchive.works.writer.drafts import ChapterDraft, CreatorRef, WorkDraft
from ficarchive.works.writer.lookups import TagsError
from ficarchive.works.writer.revise import (
    chapter_append,
    chapter_fill,
    chapters_renumber,
    work_counts_refresh,
    work_revise,
)
from ficarchive.works.writer.write import Reasons, work_write

# As in the largest archive (USER_DEFINED_TAGS_MAX): fandoms, relationships, characters and
# additional tags together.
USER_DEFINED_TAGS_MAX = 75


class PostingError(ValueError):
    """A post or edit the archive refuses; the message says why, for the form to show."""


@dataclass
class ChapterFields:
    text: str
    title: str = ""
    summary: str = ""
    notes: str = ""
    endnotes: str = ""


@dataclass
class WorkFields:
    """Everything the work form sets, validated."""

    title: str
    # A language of the archive, or (code, name) of one to add (a name the creator typed).
    language: Language | tuple[str, str]
    rating: str
    warnings: list[str]
    fandoms: list[str]
    pseuds: list[Pseud]
    categories: list[str] = field(default_factory=list)
    relationships: list[str] = field(default_factory=list)
    characters: list[str] = field(default_factory=list)
    freeforms: list[str] = field(default_factory=list)
    # Other people's pseuds invited as co-creators; they show once they accept.
    cocreators: list[Pseud] = field(default_factory=list)
    summary: str = ""
    notes: str = ""
    endnotes: str = ""
    restricted: bool = False
    anonymous: bool = False
    comment_permission: CommentPermission = CommentPermission.ANYONE
    comments_moderated: bool = False
    backdate: date | None = None
    expected_chapters: int | None = None
    publish_at: datetime | None = None
    # The posting form's series choice: one of the user's series, or a new one of this title.
    series: Series | None = None
    new_series_title: str = ""

    def user_defined_count(self) -> int:
        names = self.fandoms + self.relationships + self.characters + self.freeforms
        return len({name.casefold() for name in names})


# Reasons written to the search change log.
POSTED, DRAFT_SAVED, SCHEDULED, EDITED = "posted", "draft saved", "scheduled", "edited"


def _check(user: User, fields: WorkFields) -> None:
    if not fields.pseuds:
        raise PostingError("Choose at least one of your pseuds as a creator.")
    if any(pseud.user_id != user.pk for pseud in fields.pseuds):
        raise PostingError("You can only post as your own pseuds.")
    if any(pseud.user_id == user.pk for pseud in fields.cocreators):
        raise PostingError("Your own pseuds are creators already; invite other people only.")
    if not fields.fandoms:
        raise PostingError("A work needs at least one fandom.")
    if not fields.warnings:
        raise PostingError("A work needs at least one archive warning.")
    if fields.user_defined_count() > USER_DEFINED_TAGS_MAX:
        raise PostingError(
            f"A work can have at most {USER_DEFINED_TAGS_MAX} fandoms, relationships, "
            f"characters and additional tags together."
        )


def _chapter_draft(fields: ChapterFields) -> ChapterDraft:
    return ChapterDraft(
        text=fields.text,
        title=fields.title,
        summary=fields.summary,
        notes=fields.notes,
        endnotes=fields.endnotes,
    )


def _draft(fields: WorkFields, creators: Sequence[CreatorRef]) -> WorkDraft:
    """The work the form describes, with these pseuds as its creators who accepted."""
    return WorkDraft(
        title=fields.title,
        language=fields.language,
        creators=list(creators),
        invited=list(fields.cocreators),
        rating=fields.rating,
        warnings=list(fields.warnings),
        categories=list(fields.categories),
        fandoms=list(fields.fandoms),
        relationships=list(fields.relationships),
        characters=list(fields.characters),
        freeforms=list(fields.freeforms),
        summary=fields.summary,
        notes=fields.notes,
        endnotes=fields.endnotes,
        restricted=fields.restricted,
        anonymous=fields.anonymous,
        comment_permission=fields.comment_permission,
        comments_moderated=fields.comments_moderated,
        expected_chapters=fields.expected_chapters,
        published_on=fields.backdate,
        backdated=fields.backdate is not None,
    )


def _date_chapters(work: Work) -> None:
    """The first chapter is published with the work."""
    work.chapters.filter(position=1).update(published_on=work.published_on)


def _forget_blurb(work: Work) -> None:
    """Drop the listing blurb cached for the work as it was, once the change commits: the
    blurb's key does not cover its tags or summary."""

    key = blurb_key(work)
    transaction.on_commit(lambda: cache.delete(key))


@transaction.atomic
def work_create(
    user: User,
    fields: WorkFields,
    chapter: ChapterFields,
    *,
    post: bool,
    now: datetime | None = None,
) -> Work:
    """A new work with its first chapter: posted now (`post`), scheduled (`post` with a
    `publish_at` time), or kept as a draft that only its creators see."""
    _check(user, fields)
    now = now or timezone.now()
    scheduled = post and fields.publish_at is not None
    draft = _draft(fields, fields.pseuds)
    draft.chapters = [_chapter_draft(chapter)]
    draft.created_at = draft.revised_at = now
    if scheduled and fields.backdate is None:
        draft.published_on = timezone.localdate(fields.publish_at)
    elif fields.backdate is None:
        draft.published_on = timezone.localdate(now)
    draft.posted = post and not scheduled
    draft.publish_at = fields.publish_at if scheduled else None
    reason = POSTED if draft.posted else SCHEDULED if scheduled else DRAFT_SAVED
    try:
        work, _created = work_write(draft, reasons=Reasons(reason, reason))
    except TagsError as error:
        raise PostingError(f"Tags: {error}.") from None
    _series(work, user, fields)
    return work


def _series(work: Work, user: User, fields: WorkFields) -> None:
    try:
        series_place_work(work, user, series=fields.series, new_title=fields.new_series_title)
    except SeriesError as error:
        raise PostingError(str(error)) from None


@transaction.atomic
def work_update(
    work: Work,
    user: User,
    fields: WorkFields,
    chapter: ChapterFields | None = None,
    *,
    post: bool = False,
    now: datetime | None = None,
) -> Work:
    """Save an edit of a work (and of its only chapter's text, when given). For a draft,
    `post` posts it now, or schedules it when `publish_at` is set."""
    _check(user, fields)
    now = now or timezone.now()
    _forget_blurb(work)
    # Co-creators who accepted stay: only they can leave a work.
    others = work.creatorships.filter(approved=True).exclude(pseud__user=user)
    kept = list(others.values_list("pseud_id", flat=True))
    try:
        work_revise(work, _draft(fields, [*fields.pseuds, *kept]))
    except TagsError as error:
        raise PostingError(f"Tags: {error}.") from None
    if chapter is not None:
        first = work.chapters.order_by("position").first()
        if first is None:
            raise PostingError("This work has no chapter to edit.")
        chapter_fill(first, _chapter_draft(chapter))
        first.save()
    reason = EDITED
    if not work.posted:
        if post and fields.publish_at is not None:
            work.publish_at = fields.publish_at
            if not work.backdated:
                work.published_on = timezone.localdate(fields.publish_at)
            reason = SCHEDULED
        elif post:
            _publish(work, now)
            reason = POSTED
        else:
            work.publish_at = None
            reason = DRAFT_SAVED
    if work.backdated:
        _date_chapters(work)
    work_counts_refresh(work)
    work.save()
    works_changed([work.pk], reason)
    _series(work, user, fields)
    return work


def _publish(work: Work, when: datetime) -> None:
    """Post a draft as of `when`: dated that day unless the creator chose a date."""
    work.posted = True
    work.publish_at = None
    work.revised_at = when
    if not work.backdated:
        work.published_on = timezone.localdate(when)
        work.chapters.update(published_on=work.published_on)


@transaction.atomic
def work_post_draft(work: Work, now: datetime | None = None) -> Work:
    """Post a draft now (a scheduled one too, ahead of its time)."""
    if work.posted:
        return work
    _forget_blurb(work)
    _publish(work, now or timezone.now())
    work_counts_refresh(work)
    work.save()
    works_changed([work.pk], POSTED)
    return work


def works_publish_due(now: datetime | None = None) -> int:
    """Post every scheduled draft whose time has come; returns how many. Safe to run from
    several processes at once: each work is posted in its own transaction, once."""
    now = now or timezone.now()
    due = list(
        Work.objects.filter(posted=False, publish_at__isnull=False, publish_at__lte=now)
        .order_by("publish_at", "id")
        .values_list("pk", flat=True)
    )
    published = 0
    for pk in due:
        with transaction.atomic():
            work = (
                Work.objects.select_for_update()
                .filter(pk=pk, posted=False, publish_at__isnull=False, publish_at__lte=now)
                .first()
            )
            if work is None:
                continue
            assert work.publish_at is not None
            # Dated and ordered by the time the creator chose, even if this runs late.
            _publish(work, work.publish_at)
            work_counts_refresh(work)
            work.save()
            works_changed([work.pk], "scheduled work published")
            published += 1
    return published


@transaction.atomic
def work_delete(work: Work) -> None:
    """Delete a work with its chapters, creators and tags; the index learns it is gone."""
    _forget_blurb(work)
    works_changed([work.pk], "deleted")
    work.delete()


@transaction.atomic
def chapter_add(
    work: Work,
    fields: ChapterFields,
    *,
    expected_chapters: int | None = None,
    now: datetime | None = None,
) -> Chapter:
    """Append a chapter; a posted work is updated as of now. `expected_chapters` is the
    total the creator now plans (None: unknown)."""
    now = now or timezone.now()
    _forget_blurb(work)
    chapter = chapter_append(work, _chapter_draft(fields), timezone.localdate(now))
    work.expected_chapters = expected_chapters
    if work.posted:
        work.revised_at = now
    work_counts_refresh(work)
    work.save()
    works_changed([work.pk], "chapter added")
    return chapter


@transaction.atomic
def chapter_update(chapter: Chapter, fields: ChapterFields) -> Chapter:
    work = chapter.work
    _forget_blurb(work)
    chapter_fill(chapter, _chapter_draft(fields))
    chapter.save()
    work_counts_refresh(work)
    work.save()
    works_changed([work.pk], "chapter edited")
    return chapter


@transaction.atomic
def chapter_delete(chapter: Chapter) -> None:
    """Delete a chapter of a work that has others (a work's only chapter goes with the
    work); the chapters after it move up."""
    work = chapter.work
    if work.chapters.count() <= 1:
        raise PostingError("A work needs at least one chapter: delete the work instead.")
    _forget_blurb(work)
    chapter.delete()
    chapters_renumber(work, list(work.chapters.order_by("position").values_list("pk", flat=True)))
    if work.backdated:
        _date_chapters(work)
    work_counts_refresh(work)
    work.save()
    works_changed([work.pk], "chapter deleted")


@transaction.atomic
def chapters_reorder(work: Work, chapter_ids: Sequence[int]) -> None:
    """Put the work's chapters in this order (every chapter, each once)."""
    current = set(work.chapters.values_list("pk", flat=True))
    if len(chapter_ids) != len(current) or set(chapter_ids) != current:
        raise PostingError("Give every chapter of the work a place, each once.")
    chapters_renumber(work, chapter_ids)
    works_changed([work.pk], "chapters reordered")


@transaction.atomic
def cocreator_respond(creatorship: Creatorship, *, accept: bool) -> None:
    """Accept an invitation to be a work's co-creator (the byline shows it from then on), or
    decline it (the invitation goes)."""
    if accept:
        Creatorship.objects.filter(pk=creatorship.pk).update(approved=True)
        _forget_blurb(creatorship.work)
        works_changed([creatorship.work_id], "co-creator accepted")
    else:
        creatorship.delete()


@transaction.atomic
def creatorship_leave(work: Work, user: User) -> None:
    """Remove oneself from a work that has other creators who accepted."""
    mine = work.creatorships.filter(pseud__user=user)
    others = work.creatorships.filter(approved=True).exclude(pseud__user=user)
    if not others.exists():
        raise PostingError("You are this work's only creator: orphan or delete it instead.")
    _forget_blurb(work)
    mine.delete()
    works_changed([work.pk], "creator left")
