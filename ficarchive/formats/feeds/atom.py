"""Atom feeds (RFC 4287) of the newest works of a tag, a creator and a series, as the largest
archive has them for tags. Feeds are for guests: whoever asks, a feed lists what a guest may
list (no restricted works, no drafts or hidden works, no anonymous work under its creator), so
that one feed address serves every feed reader and can be cached."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import replace
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.decorators.http import require_safe

from ficarchive.accounts.access import user_for
from ficarchive.core.site import absolute_url
from ficarchive.formats.feeds.answers import not_found
from ficarchive.formats.feeds.entries import Entry, entries_of
from ficarchive.formats.feeds.generator import ArchiveFeed
from ficarchive.formats.feeds.selection import feed_works
from ficarchive.search.query import Sort, WorkQuery
from ficarchive.tags.models import TAG_NAME_MAX, Tag, tag_key
from ficarchive.tags.urlnames import tag_name_from_url, tag_url_name
from ficarchive.works.models import Series, Work
from ficarchive.works.pagecache import GUEST_CACHE_SECONDS, LISTINGS_GENERATION_KEY
from ficarchive.works.templatetags.reading import tag_works_url

FEED_SIZE = 25
ATOM_TYPE = "application/atom+xml"


def _guest_feed_cache(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Every reader gets the guests' feed, so a feed is cached whoever asks, as guests' listing
    pages are (works.pagecache: the same lifetime, dropped with them)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        generation = cache.get(LISTINGS_GENERATION_KEY, 0)
        path = hashlib.blake2b(request.path.encode(), digest_size=16).hexdigest()
        key = f"atomfeed:{generation}:{path}"
        cached = cache.get(key)
        if cached is not None:
            return HttpResponse(cached, content_type=ArchiveFeed.content_type)
        response = view(request, *args, **kwargs)
        if response.status_code == 200:
            cache.set(key, response.content, GUEST_CACHE_SECONDS)
        return response

    return wrapped


@require_safe
@_guest_feed_cache
def tag_feed(request: HttpRequest, tag_name: str) -> HttpResponse:
    """A canonical tag's newest works, its synonyms' and sub tags' included (filter ids); a
    synonym's feed is its canonical's."""
    name = tag_name_from_url(tag_name)
    if "\x00" in name or len(name) > TAG_NAME_MAX:
        raise Http404("No such tag.")
    tag = Tag.objects.select_related("merger").filter(key=tag_key(name)).first()
    if tag is None:
        raise Http404("No such tag.")
    if tag.merger is not None:
        return redirect("formats:tag_feed", tag_url_name(tag.merger.name))
    if not tag.canonical:
        return not_found(request, "Only canonical tags have feeds; this tag is not one (yet).")
    if tag_url_name(tag.name) != tag_name:
        return redirect("formats:tag_feed", tag_url_name(tag.name))
    guest = AnonymousUser()
    works = _newest(
        WorkQuery(include_tag_ids=(tag.pk,)),
        lambda: Work.objects.listed_for(guest).with_tag(tag),
    )
    return _atom(
        request,
        f"{tag.name} works",
        f"The newest works in {tag.name}",
        tag_works_url(tag.name),
        works,
    )


@require_safe
@_guest_feed_cache
def creator_feed(request: HttpRequest, login: str) -> HttpResponse:
    """A creator's newest works under any of their pseuds (never their anonymous ones)."""
    user = user_for(login)
    guest = AnonymousUser()
    works = _newest(
        WorkQuery(creator_user_id=user.pk),
        lambda: Work.objects.by_creator(user, guest).listed_for(guest),
    )
    return _atom(
        request,
        f"Works by {user.username}",
        f"The newest works by {user.username}",
        reverse("accounts:user_works", args=[user.username]),
        works,
    )


@require_safe
@_guest_feed_cache
def series_feed(request: HttpRequest, series_id: int) -> HttpResponse:
    """A series' newest works. A series with no work a guest may list has no feed: its title
    alone could name a restricted work's series."""
    series = get_object_or_404(Series, pk=series_id)
    listed = Work.objects.listed_for(AnonymousUser()).filter(serial_works__series=series)
    ids = list(listed.newest_first().values_list("pk", flat=True)[:FEED_SIZE])
    if not ids:
        return not_found(request, "No such series.")
    found = Work.objects.filter(pk__in=ids).for_listing().in_bulk()
    entries = entries_of([found[pk] for pk in ids if pk in found])
    return _atom(
        request,
        f"{series.title} (series)",
        f"The newest works in the series {series.title}",
        reverse("works:series_detail", args=[series.pk]),
        entries,
    )


def _newest(query: WorkQuery, fallback: Callable[[], Any]) -> list[Entry]:
    """The feed's works, newest posted first."""
    query = replace(query, sort=Sort.POSTED, ascending=False, per_page=FEED_SIZE)

    def newest() -> Any:
        return fallback().order_by("-published_on", "-id")

    return feed_works(query, AnonymousUser(), newest).works


def _atom(
    request: HttpRequest, title: str, subtitle: str, page_path: str, entries: list[Entry]
) -> HttpResponse:
    feed_url = absolute_url(request.path)
    feed = ArchiveFeed(
        title=f"{settings.SITE_NAME}: {title}",
        link=absolute_url(page_path),
        description=subtitle,
        subtitle=subtitle,
        feed_url=feed_url,
        feed_guid=feed_url,
        author_name=settings.SITE_NAME,
        language=None,
    )
    for entry in entries:
        _add_entry(feed, entry)
    # Written to a string first: the XML writer makes thousands of small writes.
    return HttpResponse(feed.writeString("utf-8"), content_type=feed.content_type)


def _add_entry(feed: ArchiveFeed, entry: Entry) -> None:
    feed.add_item(
        title=entry.title,
        link=entry.url,
        description=entry.description,
        unique_id=entry.url,
        pubdate=entry.published,
        updateddate=entry.updated,
        authors=[(person.name, person.url) for person in entry.authors],
        category_items=[{"term": tag.name, "label": tag.name} for tag in entry.tags],
    )
