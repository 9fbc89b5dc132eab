"""The bookmark lists the bookmark index serves: a user's, a work's, a series' and a tag's
bookmarks, and one bookmark. Their URL names stay in the `social` namespace (ficarchive.urls
adds these patterns to it), where the bookmark form and its writes live; the template is
social's too."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.functional import cached_property

from ficarchive.accounts.access import user_for
from ficarchive.accounts.muting import reader_filter_for
from ficarchive.search.bookmark_engine import BookmarkScope, scoped_bookmarks, search_bookmarks
from ficarchive.social.bookmark_filters import parse_bookmark_query
from ficarchive.social.models import Bookmark, BookmarkTagging, ExternalWorkTagging
from ficarchive.tags.models import Tag
from ficarchive.tags.urlnames import tag_name_from_url, tag_url_name
from ficarchive.works.access import Need, work_for
from ficarchive.works.models import Creatorship
from ficarchive.works.series import series_byline, series_for, series_works
from ficarchive.works.templatetags.reading import work_blurbs

PER_PAGE = 20


class _CountedPaginator(Paginator):
    """A paginator told its count (the index's exact total) instead of counting a list."""

    def __init__(self, total: int, per_page: int) -> None:
        super().__init__([], per_page, allow_empty_first_page=True)
        self.total = total

    @cached_property
    def count(self) -> int:
        return self.total


def _for_listing(bookmarks: QuerySet[Bookmark]) -> QuerySet[Bookmark]:
    return bookmarks.select_related(
        "pseud__user", "work__language", "series", "external_work"
    ).prefetch_related(
        Prefetch("taggings", queryset=BookmarkTagging.objects.select_related("tag")),
        Prefetch(
            "external_work__taggings",
            queryset=ExternalWorkTagging.objects.select_related("tag"),
        ),
    )


def _decorate(request: HttpRequest, bookmarks: list[Bookmark]) -> list[Bookmark]:
    """Each bookmark with what its blurb shows: a work's cached blurb, a series' shown works
    and byline for this viewer."""
    works = [b.work for b in bookmarks if b.work is not None]
    html = dict(zip([w.pk for w in works], work_blurbs(works), strict=True))
    for bookmark in bookmarks:
        extra: Any = bookmark
        if bookmark.work_id is not None:
            extra.work_blurb = html[bookmark.work_id]
        elif bookmark.series is not None:
            shown = list(
                series_works(bookmark.series, request.user)
                .only("pk", "anonymous", "in_anonymous_collection", "word_count")
                .prefetch_related(
                    Prefetch(
                        "creatorships",
                        queryset=Creatorship.objects.filter(approved=True).select_related(
                            "pseud__user"
                        ),
                    )
                )
            )
            extra.series_byline = series_byline(bookmark.series, shown)
            extra.series_count = len(shown)
            extra.series_words = sum(work.word_count for work in shown)
    return bookmarks


def _page_number(request: HttpRequest) -> int:
    text = request.GET.get("page", "1").strip()
    return int(text) if text.isascii() and text.isdigit() and len(text) < 10 else 1


def _list_page(request: HttpRequest, scope: BookmarkScope, context: dict[str, Any]) -> HttpResponse:
    parsed = parse_bookmark_query(request.GET)
    result = search_bookmarks(
        parsed.query,
        request.user,
        scope,
        page=_page_number(request),
        per_page=PER_PAGE,
        reader=reader_filter_for(request.user),
        for_listing=_for_listing,
    )
    page = Page(
        _decorate(request, result.bookmarks),
        result.page,
        _CountedPaginator(result.total, PER_PAGE),
    )
    values = {"page": page, "query": parsed.query, "filter_errors": parsed.errors, **context}
    return render(request, "social/bookmarks.html", values)


def user_bookmarks(request: HttpRequest, login: str) -> HttpResponse:
    owner = user_for(login)
    return _list_page(
        request,
        BookmarkScope(owner_id=owner.pk),
        {"heading": f"Bookmarks by {owner.username}", "owner": owner, "own": owner == request.user},
    )


def work_bookmarks(request: HttpRequest, work_id: int) -> HttpResponse:
    work = work_for(request.user, work_id, Need.READ)
    if not work.is_listed_for(request.user):
        # A draft or hidden work has no bookmarks to show, even to its creators.
        raise Http404("No such work.")
    return _list_page(
        request,
        BookmarkScope(work_id=work.pk),
        {"heading": f"Bookmarks of {work.title}", "item": work, "item_kind": "work"},
    )


def series_bookmarks(request: HttpRequest, series_id: int) -> HttpResponse:
    series = series_for(request.user, series_id)
    return _list_page(
        request,
        BookmarkScope(series_id=series.pk),
        {"heading": f"Bookmarks of {series.title}", "item": series, "item_kind": "series"},
    )


def tag_bookmarks(request: HttpRequest, tag_name: str) -> HttpResponse:
    tag = Tag.objects.named(tag_name_from_url(tag_name)).first()
    if tag is None:
        raise Http404("No such tag.")
    if tag.merger_id is not None and tag.merger is not None:
        return redirect("social:tag_bookmarks", tag_url_name(tag.merger.name))
    return _list_page(
        request, BookmarkScope(tag=tag), {"heading": f"Bookmarks in {tag.name}", "tag": tag}
    )


def bookmark_detail(request: HttpRequest, bookmark_id: int) -> HttpResponse:
    """One bookmark, where the viewer may see it (else 404); search_bookmarks reads a single
    bookmark from the database, fresh the moment after it is saved."""
    scope = BookmarkScope(bookmark_id=bookmark_id)
    if not scoped_bookmarks(request.user, scope, reader_filter_for(request.user)).exists():
        raise Http404("No such bookmark.")
    return _list_page(request, scope, {"heading": "Bookmark", "single": True})


# Added to the `social` namespace by ficarchive.urls.
social_urlpatterns = [
    path("works/<id:work_id>/bookmarks", work_bookmarks, name="work_bookmarks"),
    path("series/<id:series_id>/bookmarks", series_bookmarks, name="series_bookmarks"),
    path("bookmarks/<id:bookmark_id>", bookmark_detail, name="bookmark"),
    path("users/<str:login>/bookmarks", user_bookmarks, name="user_bookmarks"),
    path("tags/<str:tag_name>/bookmarks", tag_bookmarks, name="tag_bookmarks"),
]
