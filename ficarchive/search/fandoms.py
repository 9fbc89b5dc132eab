"""The fandoms pages, the largest archive's "Fandoms" menu: the media with their biggest
fandoms (`/media`), and every fandom of one medium with its number of works
(`/media/<name>/fandoms`). Counts are exact and the viewer's own: the works this viewer may
list, as filtering by the fandom finds them (search.engine.fandom_work_counts). Their URL names
are in the `works` namespace (ficarchive.urls adds these patterns to it)."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import groupby

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path

from ficarchive.accounts.muting import reader_filter_for
from ficarchive.search.engine import SearchUnavailable, fandom_work_counts
from ficarchive.search.query import WorkQuery
from ficarchive.tags.fixed import UNCATEGORIZED_MEDIA
from ficarchive.tags.models import TAG_NAME_MAX, ParentTagging, Tag, TagType, tag_key
from ficarchive.tags.urlnames import tag_name_from_url, tag_url_name
from ficarchive.works.pagecache import guest_page_cache

# Fandoms each medium shows on the media page.
TOP_FANDOMS = 5


@dataclass(frozen=True)
class FandomCount:
    tag: Tag
    works: int | None  # None while the search index is being built


@dataclass(frozen=True)
class Medium:
    tag: Tag
    fandoms: int  # how many of its fandoms have works this viewer may list
    top: list[FandomCount]


def _counts(request: HttpRequest) -> dict[int, int] | None:
    query = WorkQuery(reader=reader_filter_for(request.user))
    try:
        return fandom_work_counts(query, request.user)
    except SearchUnavailable:
        return None


def media_in_order() -> list[Tag]:
    """The media in name order, "Uncategorized Fandoms" last."""
    media = list(Tag.objects.filter(type=TagType.MEDIA, canonical=True).order_by("name"))
    return sorted(media, key=lambda tag: tag.name == UNCATEGORIZED_MEDIA)


def _fandom_ids_by_medium(media: list[Tag]) -> dict[int, set[int]]:
    """The canonical fandoms of each medium; those without one go under Uncategorized."""
    by_medium: dict[int, set[int]] = {medium.pk: set() for medium in media}
    links = ParentTagging.objects.filter(
        parent__type=TagType.MEDIA, child__type=TagType.FANDOM, child__canonical=True
    ).values_list("parent_id", "child_id")
    placed: set[int] = set()
    for medium_id, fandom_id in links:
        by_medium.setdefault(medium_id, set()).add(fandom_id)
        placed.add(fandom_id)
    uncategorized = next((m.pk for m in media if m.name == UNCATEGORIZED_MEDIA), None)
    if uncategorized is not None:
        canonical = Tag.objects.filter(type=TagType.FANDOM, canonical=True)
        unplaced = canonical.exclude(
            pk__in=ParentTagging.objects.filter(parent__type=TagType.MEDIA).values("child_id")
        )
        by_medium[uncategorized] |= set(unplaced.values_list("pk", flat=True))
    return by_medium


@guest_page_cache
def media_index(request: HttpRequest) -> HttpResponse:
    counts = _counts(request)
    media = media_in_order()
    by_medium = _fandom_ids_by_medium(media)
    with_works: dict[int, list[int]] = {}
    for medium in media:
        ids = by_medium.get(medium.pk, set())
        if counts is None:
            with_works[medium.pk] = sorted(ids)
        else:
            found = [pk for pk in ids if counts.get(pk)]
            with_works[medium.pk] = sorted(found, key=lambda pk: (-counts[pk], pk))
    top_ids = {pk for ids in with_works.values() for pk in ids[:TOP_FANDOMS]}
    names = Tag.objects.in_bulk(top_ids) if counts is not None else {}
    shown = [
        Medium(
            medium,
            len(with_works[medium.pk]),
            [
                FandomCount(names[pk], counts[pk])
                for pk in with_works[medium.pk][:TOP_FANDOMS]
                if counts is not None
            ],
        )
        for medium in media
    ]
    return render(
        request, "search/media_index.html", {"media": shown, "counted": counts is not None}
    )


@guest_page_cache
def media_fandoms(request: HttpRequest, media_name: str) -> HttpResponse:
    name = tag_name_from_url(media_name)
    if "\x00" in name or len(name) > TAG_NAME_MAX:
        raise Http404("No such medium.")
    medium = Tag.objects.filter(key=tag_key(name), type=TagType.MEDIA).first()
    if medium is None:
        raise Http404("No such medium.")
    if tag_url_name(medium.name) != media_name:
        return redirect("works:media_fandoms", tag_url_name(medium.name))
    counts = _counts(request)
    ids = _fandom_ids_by_medium(media_in_order()).get(medium.pk, set())
    if counts is not None:
        ids = {pk for pk in ids if counts.get(pk)}
    # In the order readers look names up, whatever the database's collation.
    tags = sorted(Tag.objects.filter(pk__in=ids), key=lambda tag: (tag.key, tag.pk))
    fandoms = [FandomCount(tag, None if counts is None else counts[tag.pk]) for tag in tags]
    letters = [
        (letter, list(group))
        for letter, group in groupby(fandoms, key=lambda entry: _initial(entry.tag.name))
    ]
    context = {
        "medium": medium,
        "letters": letters,
        "total": len(fandoms),
        "counted": counts is not None,
    }
    return render(request, "search/media_fandoms.html", context)


def _initial(name: str) -> str:
    """The letter a fandom is listed under: its first letter or digit, "#" for digits."""
    first = next((character for character in name if character.isalnum()), "#")
    return "#" if first.isdigit() else first.upper()


works_urlpatterns = [
    path("media", media_index, name="media_index"),
    path("media/<str:media_name>/fandoms", media_fandoms, name="media_fandoms"),
]
