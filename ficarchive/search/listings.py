"""The listings the search index serves besides the search page: the newest works (the home
page), every work (`/works`) and the works of a tag. Their URL names stay in the `works`
namespace (ficarchive.urls adds these patterns to it), since every page links to them by
those names."""

from __future__ import annotations

from django.core.cache import cache
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path

from ficarchive.accounts.muting import is_tag_muted
from ficarchive.search.fandoms import media_in_order
from ficarchive.search.query import WorkQuery
from ficarchive.search.views import filtered_listing
from ficarchive.tags.models import TAG_NAME_MAX, Tag, tag_key
from ficarchive.tags.urlnames import tag_name_from_url, tag_url_name
from ficarchive.works.models import Work
from ficarchive.works.pagecache import guest_page_cache
from ficarchive.works.templatetags.reading import tag_works_url


@guest_page_cache
def home(request: HttpRequest) -> HttpResponse:
    def newest() -> QuerySet[Work]:
        return Work.objects.listed_for(request.user).newest_first().for_listing()

    context = filtered_listing(request, WorkQuery(), fallback=newest)
    context["media"] = cache.get_or_set(MEDIA_MENU_KEY, media_in_order, MEDIA_MENU_SECONDS)
    return render(request, "works/home.html", context)


# Media are fixed tags (no wrangler renames them), so the home page's list can be kept a while.
MEDIA_MENU_KEY = "home:media"
MEDIA_MENU_SECONDS = 3600


@guest_page_cache
def work_index(request: HttpRequest) -> HttpResponse:
    """Every work this reader may list, newest first, with the filters."""

    def newest() -> QuerySet[Work]:
        return Work.objects.listed_for(request.user).newest_first().for_listing()

    context = filtered_listing(request, WorkQuery(), fallback=newest)
    return render(request, "search/work_index.html", context)


@guest_page_cache
def tag_works(request: HttpRequest, tag_name: str) -> HttpResponse:
    name = tag_name_from_url(tag_name)
    if "\x00" in name or len(name) > TAG_NAME_MAX:
        raise Http404("No such tag.")
    tag = Tag.objects.select_related("merger").filter(key=tag_key(name)).first()
    if tag is None:
        raise Http404("No such tag.")
    if tag.merger is not None:
        # A synonym's works are listed under its canonical tag.
        return redirect(tag_works_url(tag.merger.name))
    if tag_url_name(tag.name) != tag_name:
        return redirect(tag_works_url(tag.name))

    def tagged() -> QuerySet[Work]:
        return Work.objects.listed_for(request.user).with_tag(tag).newest_first().for_listing()

    context = filtered_listing(request, WorkQuery(include_tag_ids=(tag.pk,)), fallback=tagged)
    context["tag"] = tag
    context["tag_muted"] = is_tag_muted(request.user, tag.pk)
    return render(request, "works/tag_works.html", context)


works_urlpatterns = [
    path("", home, name="home"),
    path("works", work_index, name="work_index"),
    path("tags/<str:tag_name>/works", tag_works, name="tag_works"),
]
