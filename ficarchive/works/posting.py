"""Posting and editing works: the writes behind the posting forms.

Each service is one transaction that writes the work, its chapters, creators, tags and filter
tags, keeps the counts that follow from the chapters (words, chapters, completion, dates) and
tells the search index (core.changes.works_changed). The forms validate; these functions
check again what the database must never hold (a work without its own creator, say).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.cache import cache
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from ficarchive.accounts.models import Pseud, User
from ficarchive.core.bulk import bulk_insert
from ficarchive.core.changes import works_changed
from ficarchive.core.html import render_userstuff
from ficarchive.core.wordcount import count_html_words
from ficarchive.tags.filters import work_filters_for_tags, work_filters_write
from ficarchive.tags.models import FilterTagging, Tagging, TagType
from ficarchive.tags.services import TagNameError, tags_find_or_create
from ficarchive.works.models import Chapter, Creatorship, Language, Work
from ficarchive.works.templatetags.reading import blurb_key

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
    backdate: date | None = None
    expected_chapters: int | None = None
    publish_at: datetime | None = None

    def tag_pairs(self) -> list[tuple[str, str]]:
        """(name, type) in the order of the work header."""
        pairs = [(self.rating, TagType.RATING)]
        pairs += [(name, TagType.WARNING) for name in self.warnings]
        pairs += [(name, TagType.CATEGORY) for name in self.categories]
        pairs += [(name, TagType.FANDOM) for name in self.fandoms]
        pairs += [(name, TagType.RELATIONSHIP) for name in self.relationships]
        pairs += [(name, TagType.CHARACTER) for name in self.characters]
        pairs += [(name, TagType.FREEFORM) for name in self.freeforms]
        return [(name, str(type_)) for name, type_ in pairs]

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


def _set_tags(work: Work, fields: WorkFields) -> None:
    """Replace the work's tags (creating new ones) and its filter tags and flags."""
    try:
        tags = tags_find_or_create(fields.tag_pairs())
    except TagNameError as error:
        raise PostingError(f"Tags: {error}.") from None
    tag_ids = [tag.pk for tag in tags]
    Tagging.objects.filter(work=work).delete()
    bulk_insert(
        Tagging,
        ("work", "tag", "position"),
        [(work.pk, tag_id, position) for position, tag_id in enumerate(tag_ids)],
    )
    # The same rule the importer and wrangling's recompute follow (tags.filters); written
    # here in full, since the work's tags all changed at once.
    filters = work_filters_for_tags(tag_ids)
    FilterTagging.objects.filter(work=work).delete()
    work_filters_write(work.pk, filters)
    work.crossover, work.otp = filters.crossover, filters.otp


def _set_creators(work: Work, user: User, fields: WorkFields) -> None:
    """The user's part becomes the chosen pseuds; invitations follow the co-creator list.

    Other creators who accepted stay: only they can leave a work. Invitations not in the list
    any more are withdrawn; new names are invited (shown once they accept).
    """
    current = list(work.creatorships.select_related("pseud"))
    own = [c for c in current if c.pseud.user_id == user.pk]
    others = [c for c in current if c.pseud.user_id != user.pk]
    wanted_own = {pseud.pk for pseud in fields.pseuds}
    wanted_others = {pseud.pk for pseud in fields.cocreators}
    for creatorship in own:
        if creatorship.pseud_id not in wanted_own:
            creatorship.delete()
    for creatorship in others:
        if not creatorship.approved and creatorship.pseud_id not in wanted_others:
            creatorship.delete()
    have = {c.pseud_id for c in current}
    position = max((c.position for c in current), default=-1) + 1
    for pseud in fields.pseuds:
        if pseud.pk not in have:
            Creatorship.objects.create(work=work, pseud=pseud, position=position, approved=True)
            position += 1
    for pseud in fields.cocreators:
        if pseud.pk not in have:
            Creatorship.objects.create(work=work, pseud=pseud, position=position, approved=False)
            position += 1


def _chapter_write(chapter: Chapter, fields: ChapterFields) -> None:
    html = render_userstuff(fields.text)
    chapter.title = fields.title
    chapter.summary = fields.summary
    chapter.notes = fields.notes
    chapter.endnotes = fields.endnotes
    chapter.text = fields.text
    chapter.html = html
    chapter.word_count = count_html_words(html)


def _refresh_counts(work: Work) -> None:
    """Chapter count, words and completion follow from the posted chapters. An expected
    total below the chapters there are becomes unknown, as in the largest archive."""
    counts = list(work.chapters.filter(posted=True).values_list("word_count", flat=True))
    work.chapter_count = len(counts)
    work.word_count = sum(counts)
    if work.expected_chapters is not None and work.expected_chapters < work.chapter_count:
        work.expected_chapters = None
    work.complete = work.expected_chapters == work.chapter_count


def _date_chapters(work: Work) -> None:
    """The first chapter is published with the work."""
    work.chapters.filter(position=1).update(published_on=work.published_on)


def _forget_blurb(work: Work) -> None:
    """Drop the listing blurb cached for the work as it was, once the change commits: the
    blurb's key does not cover its tags or summary."""

    key = blurb_key(work)
    transaction.on_commit(lambda: cache.delete(key))


def _language(value: Language | tuple[str, str]) -> Language:
    if isinstance(value, Language):
        return value
    code, name = value
    found = Language.objects.filter(code__iexact=code).first()
    return found or Language.objects.create(code=code, name=name)


def _apply_fields(work: Work, fields: WorkFields) -> None:
    work.title = fields.title
    work.summary = fields.summary
    work.notes = fields.notes
    work.endnotes = fields.endnotes
    work.language = _language(fields.language)
    work.restricted = fields.restricted
    work.anonymous = fields.anonymous
    work.expected_chapters = fields.expected_chapters
    if fields.backdate is not None:
        work.published_on = fields.backdate
        work.backdated = True
    else:
        work.backdated = False


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
    work = Work(created_at=now, revised_at=now, published_on=timezone.localdate(now))
    _apply_fields(work, fields)
    if scheduled and fields.backdate is None:
        work.published_on = timezone.localdate(fields.publish_at)
    work.posted = post and not scheduled
    work.publish_at = fields.publish_at if scheduled else None
    work.save()
    first = Chapter(work=work, position=1, published_on=work.published_on, posted=True)
    _chapter_write(first, chapter)
    first.save()
    _set_creators(work, user, fields)
    _set_tags(work, fields)
    _refresh_counts(work)
    work.save()
    works_changed([work.pk], POSTED if work.posted else SCHEDULED if scheduled else DRAFT_SAVED)
    return work


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
    _apply_fields(work, fields)
    if chapter is not None:
        first = work.chapters.order_by("position").first()
        if first is None:
            raise PostingError("This work has no chapter to edit.")
        _chapter_write(first, chapter)
        first.save()
    _set_creators(work, user, fields)
    _set_tags(work, fields)
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
    _refresh_counts(work)
    work.save()
    works_changed([work.pk], reason)
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
    _refresh_counts(work)
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
            _refresh_counts(work)
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
    last = work.chapters.aggregate(last=Max("position"))["last"] or 0
    chapter = Chapter(
        work=work, position=last + 1, published_on=timezone.localdate(now), posted=True
    )
    _chapter_write(chapter, fields)
    chapter.save()
    work.expected_chapters = expected_chapters
    if work.posted:
        work.revised_at = now
    _refresh_counts(work)
    work.save()
    works_changed([work.pk], "chapter added")
    return chapter


@transaction.atomic
def chapter_update(chapter: Chapter, fields: ChapterFields) -> Chapter:
    work = chapter.work
    _forget_blurb(work)
    _chapter_write(chapter, fields)
    chapter.save()
    _refresh_counts(work)
    work.save()
    works_changed([work.pk], "chapter edited")
    return chapter


def _renumber(work: Work, chapter_ids: Sequence[int]) -> None:
    for position, pk in enumerate(chapter_ids, 1):
        Chapter.objects.filter(pk=pk, work=work).update(position=position)


@transaction.atomic
def chapter_delete(chapter: Chapter) -> None:
    """Delete a chapter of a work that has others (a work's only chapter goes with the
    work); the chapters after it move up."""
    work = chapter.work
    if work.chapters.count() <= 1:
        raise PostingError("A work needs at least one chapter: delete the work instead.")
    _forget_blurb(work)
    chapter.delete()
    _renumber(work, list(work.chapters.order_by("position").values_list("pk", flat=True)))
    if work.backdated:
        _date_chapters(work)
    _refresh_counts(work)
    work.save()
    works_changed([work.pk], "chapter deleted")


@transaction.atomic
def chapters_reorder(work: Work, chapter_ids: Sequence[int]) -> None:
    """Put the work's chapters in this order (every chapter, each once)."""
    current = set(work.chapters.values_list("pk", flat=True))
    if len(chapter_ids) != len(current) or set(chapter_ids) != current:
        raise PostingError("Give every chapter of the work a place, each once.")
    _renumber(work, chapter_ids)
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
