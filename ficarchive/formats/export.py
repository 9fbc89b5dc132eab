"""Reading works out as work records."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from ficarchive.formats.workrecord.record import (
    ChapterRecord,
    CreatorName,
    SeriesPart,
    WorkRecord,
)
from ficarchive.tags.models import Tagging, TagType
from ficarchive.works.models import Approval, Chapter, CollectionItem, Creatorship, SerialWork, Work

_TAG_FIELDS = {
    TagType.WARNING: "warnings",
    TagType.CATEGORY: "categories",
    TagType.FANDOM: "fandoms",
    TagType.RELATIONSHIP: "relationships",
    TagType.CHARACTER: "characters",
    TagType.FREEFORM: "freeforms",
}


def works_for_export() -> QuerySet[Work]:
    """Works with everything a record needs, fetched in a fixed number of queries."""
    return Work.objects.select_related("language").prefetch_related(
        Prefetch(
            "creatorships",
            Creatorship.objects.select_related("pseud__user").order_by("position", "id"),
        ),
        Prefetch("taggings", Tagging.objects.select_related("tag").order_by("position", "id")),
        Prefetch("chapters", Chapter.objects.order_by("position")),
        Prefetch("serial_works", SerialWork.objects.select_related("series").order_by("id")),
        Prefetch(
            "collection_items",
            CollectionItem.objects.select_related("collection")
            .filter(user_approval=Approval.APPROVED, collection_approval=Approval.APPROVED)
            .order_by("id"),
        ),
    )


def work_record(work: Work) -> WorkRecord:
    """The record of a work (fetched through works_for_export), ready for write_record."""
    record = WorkRecord(
        title=work.title,
        work_id=work.pk,
        creators=[
            CreatorName(pseud=c.pseud.name, login=c.pseud.user.username)
            for c in work.creatorships.all()
        ],
        chapters=[
            ChapterRecord(
                text=chapter.text,
                title=chapter.title,
                summary=chapter.summary,
                notes=chapter.notes,
                endnotes=chapter.endnotes,
                published=None
                if chapter.published_on == work.chapter_default_date(chapter.position)
                else chapter.published_on,
            )
            for chapter in work.chapters.all()
        ],
        language=work.language.name,
        series=[
            SeriesPart(title=s.series.title, position=s.position) for s in work.serial_works.all()
        ],
        collections=[item.collection.title for item in work.collection_items.all()],
        expected_chapters=work.expected_chapters,
        summary=work.summary,
        notes=work.notes,
        endnotes=work.endnotes,
        restricted=work.restricted,
        anonymous=work.anonymous,
        draft=not work.posted,
    )
    for tagging in work.taggings.all():
        tag = tagging.tag
        if tag.type == TagType.RATING:
            record.rating = record.rating or tag.name
        else:
            getattr(record, _TAG_FIELDS[TagType(tag.type)]).append(tag.name)
    if work.dates_known:
        record.published = work.published_on
        updated = timezone.localdate(work.revised_at)
        record.updated = updated if updated > work.published_on else None
    return record
