"""Series: works in order under one title. The reads ask the one visibility rule
(Work.objects.listed_for): a series is visible where one of its works is listed for the viewer
and shows only those; the writes are services, each one transaction, telling search (a work's
index document holds its series' titles) and dropping the blurbs that show "Part N of".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.db.models import Max
from django.http import Http404
from django.utils import timezone

from ficarchive.accounts.models import Pseud, User
from ficarchive.core.changes import works_changed
from ficarchive.works.access import Need
from ficarchive.works.models import SerialWork, Series, Work
from ficarchive.works.querysets import WorkQuerySet
from ficarchive.works.templatetags.reading import blurb_key

SERIES_TITLE_MAX = 255
SERIES_SUMMARY_MAX = 1250
SERIES_NOTES_MAX = 5000
# A series of more parts than this is refused (the largest archive has series of some hundreds).
SERIES_WORKS_MAX = 1000


class SeriesError(ValueError):
    """A change of a series the archive refuses; the message says why."""


@dataclass
class SeriesFields:
    title: str
    summary: str = ""
    notes: str = ""
    complete: bool = False


# Reads.


def series_works(series: Series, viewer: Any) -> WorkQuerySet:
    """The series' works this viewer may list, in the series' order."""
    return (
        Work.objects.listed_for(viewer)
        .filter(serial_works__series=series)
        .order_by("serial_works__position", "pk")
    )


def series_for(viewer: Any, series_id: int, need: Need = Need.READ) -> Series:
    """The series, if this viewer may see it (one of its works is listed for them) or, for
    Need.EDIT, edit it (one of its owners); else Http404, as for works."""
    series = Series.objects.filter(pk=series_id).first()
    if series is None:
        raise Http404("No such series.")
    if need is Need.EDIT:
        if not series.is_by(viewer):
            raise Http404("No such series.")
        return series
    if not series_works(series, viewer).exists():
        raise Http404("No such series.")
    return series


def series_byline(series: Series, works: Sequence[Work]) -> list[Pseud]:
    """Who made the series, as its shown works name them: the accepted creators of its
    non-anonymous works (prefetched), so that an anonymous part never names its creator."""
    pseuds: dict[int, Pseud] = {}
    for work in works:
        for pseud in work.creator_pseuds():
            pseuds.setdefault(pseud.pk, pseud)
    return list(pseuds.values())


@dataclass
class SeriesPlace:
    """Where a work stands in one of its series, for the work page: its part number and the
    neighbouring parts this viewer may list."""

    series: Series
    position: int
    previous: Work | None
    next: Work | None


def series_places(work: Work, viewer: Any) -> list[SeriesPlace]:
    """The work's series (prefetched serial_works) with its neighbours for this viewer: two
    small queries per series, none for a work in no series."""
    places = []
    for serial in work.serial_works.all():
        listed = Work.objects.listed_for(viewer).filter(serial_works__series_id=serial.series_id)
        previous = (
            listed.filter(serial_works__position__lt=serial.position)
            .order_by("-serial_works__position", "-pk")
            .only("pk", "title")
            .first()
        )
        following = (
            listed.filter(serial_works__position__gt=serial.position)
            .order_by("serial_works__position", "pk")
            .only("pk", "title")
            .first()
        )
        places.append(SeriesPlace(serial.series, serial.position, previous, following))
    return places


def user_series(user: User, viewer: Any) -> list[Series]:
    """The series a user's page lists: those with a work by them (anonymous ones only on their
    own page, as Work.objects.by_creator says) listed for this viewer; newest first."""
    works = Work.objects.by_creator(user, viewer).listed_for(viewer)
    return list(
        Series.objects.filter(serial_works__work__in=works.values("pk"))
        .distinct()
        .order_by("-updated_at", "-pk")
    )


def series_of(user: User) -> list[Series]:
    """The series this user may add works to (the posting form's choice)."""
    return list(Series.objects.filter(owners=user).order_by("title", "pk"))


# Writes.


def _changed(series: Series, work_ids: Sequence[int]) -> None:
    """Tell search and drop the blurbs of these works (their "Part N of" lines changed)."""
    if not work_ids:
        return
    works_changed(work_ids, "series changed")
    works = list(Work.objects.filter(pk__in=list(work_ids)))
    keys = [blurb_key(work) for work in works]
    transaction.on_commit(lambda: cache.delete_many(keys))
    Series.objects.filter(pk=series.pk).update(updated_at=timezone.now())


def _clean(fields: SeriesFields) -> SeriesFields:
    title = " ".join(fields.title.split())
    if not title:
        raise SeriesError("Give the series a title.")
    if len(title) > SERIES_TITLE_MAX:
        raise SeriesError(f"A series title has at most {SERIES_TITLE_MAX} characters.")
    if len(fields.summary) > SERIES_SUMMARY_MAX:
        raise SeriesError(f"A series summary has at most {SERIES_SUMMARY_MAX} characters.")
    if len(fields.notes) > SERIES_NOTES_MAX:
        raise SeriesError(f"Series notes have at most {SERIES_NOTES_MAX} characters.")
    return SeriesFields(title, fields.summary, fields.notes, fields.complete)


@transaction.atomic
def series_create(user: User, fields: SeriesFields) -> Series:
    """A new series of this user's, with no works yet."""
    fields = _clean(fields)
    series = Series.objects.create(
        title=fields.title, summary=fields.summary, notes=fields.notes, complete=fields.complete
    )
    series.owners.add(user)
    return series


@transaction.atomic
def series_update(series: Series, fields: SeriesFields) -> Series:
    fields = _clean(fields)
    series.title, series.summary = fields.title, fields.summary
    series.notes, series.complete = fields.notes, fields.complete
    series.updated_at = timezone.now()
    series.save()
    _changed(series, list(series.serial_works.values_list("work_id", flat=True)))
    return series


@transaction.atomic
def series_add_work(series: Series, work: Work, user: User) -> SerialWork:
    """Put one of the user's works at the end of one of their series (or leave it where it
    is, if it is there already)."""
    if not series.is_by(user):
        raise SeriesError("You can only add works to your own series.")
    if not work.is_by(user):
        raise SeriesError("You can only add your own works to a series.")
    Series.objects.select_for_update().filter(pk=series.pk).first()
    existing = SerialWork.objects.filter(series=series, work=work).first()
    if existing is not None:
        return existing
    if series.serial_works.count() >= SERIES_WORKS_MAX:
        raise SeriesError(f"A series has at most {SERIES_WORKS_MAX} works.")
    last = series.serial_works.aggregate(last=Max("position"))["last"] or 0
    serial = SerialWork.objects.create(series=series, work=work, position=last + 1)
    _changed(series, [work.pk])
    return serial


@transaction.atomic
def series_place_work(
    work: Work, user: User, *, series: Series | None = None, new_title: str = ""
) -> Series | None:
    """The posting form's choice: add the work to one of the user's series, or to a new one
    of this title; nothing when neither is given."""
    if new_title.strip():
        series = series_create(user, SeriesFields(title=new_title))
    if series is None:
        return None
    series_add_work(series, work, user)
    return series


@transaction.atomic
def series_arrange(series: Series, work_ids: Sequence[int]) -> None:
    """Keep these works, in this order, numbered from 1; the series' other works leave it."""
    current = list(series.serial_works.values_list("work_id", flat=True))
    if len(set(work_ids)) != len(work_ids) or not set(work_ids) <= set(current):
        raise SeriesError("Give each of the series' works one place, or remove it.")
    removed = [pk for pk in current if pk not in set(work_ids)]
    SerialWork.objects.filter(series=series, work_id__in=removed).delete()
    rows = {row.work_id: row for row in SerialWork.objects.filter(series=series)}
    for position, work_id in enumerate(work_ids, start=1):
        rows[work_id].position = position
    SerialWork.objects.bulk_update(list(rows.values()), ["position"])
    _changed(series, current)


@transaction.atomic
def series_delete(series: Series) -> None:
    """Delete the series; its works stay."""
    work_ids = list(series.serial_works.values_list("work_id", flat=True))
    _changed(series, work_ids)
    series.delete()
