"""Creator pages: a user's profile, the works of a user, and of one of their pseuds, filtered as
any listing.
Their URL names stay in the accounts namespace (ficarchive.urls adds these patterns to it)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path

from ficarchive.accounts.access import user_for
from ficarchive.accounts.models import PSEUD_MAX, Pseud
from ficarchive.accounts.muting import is_muted, reader_filter_for
from ficarchive.search.engine import SearchUnavailable, search_works
from ficarchive.search.query import WorkQuery
from ficarchive.search.views import filtered_listing
from ficarchive.works.models import Work

# Works a profile shows; the works page lists the rest.
PROFILE_WORKS = 5


def profile(request: HttpRequest, login: str) -> HttpResponse:
    """A user's profile: their pseuds with each one's description, and their newest works
    (what this viewer may list, through the one search entry point)."""
    user = user_for(login)
    pseuds = list(user.pseuds.order_by("-is_default", "name"))
    query = WorkQuery(
        creator_user_id=user.pk, per_page=PROFILE_WORKS, reader=reader_filter_for(request.user)
    )
    try:
        result = search_works(query, request.user, facets=False)
        page, total = result.page_obj, result.total
    except SearchUnavailable:
        works = Work.objects.by_creator(user, request.user).listed_for(request.user)
        page = Paginator(works.newest_first().for_listing(), PROFILE_WORKS).page(1)
        total = page.paginator.count
    context = {
        "owner": user,
        "pseuds": pseuds,
        "default_pseud": next((pseud for pseud in pseuds if pseud.is_default), None),
        "page": page,
        "works_total": total,
        "owner_muted": is_muted(request.user, user),
    }
    return render(request, "search/profile.html", context)


def user_works(request: HttpRequest, login: str) -> HttpResponse:
    user = user_for(login)

    def newest() -> QuerySet[Work]:
        works = Work.objects.by_creator(user, request.user).listed_for(request.user)
        return works.newest_first().for_listing()

    context = filtered_listing(request, WorkQuery(creator_user_id=user.pk), fallback=newest)
    context.update(owner=user, pseud=None, owner_muted=is_muted(request.user, user))
    return render(request, "search/creator_works.html", context)


def pseud_works(request: HttpRequest, login: str, pseud_name: str) -> HttpResponse:
    user = user_for(login)
    pseud = None
    if _plain(pseud_name, PSEUD_MAX):
        pseud = Pseud.objects.filter(user=user, name__iexact=pseud_name).first()
    if pseud is None:
        raise Http404("No such pseud.")
    found = pseud

    def newest() -> QuerySet[Work]:
        works = Work.objects.by_creator(user, request.user, found).listed_for(request.user)
        return works.newest_first().for_listing()

    base = WorkQuery(creator_user_id=user.pk, creator_pseud_id=pseud.pk)
    context = filtered_listing(request, base, fallback=newest)
    context.update(owner=user, pseud=pseud, owner_muted=is_muted(request.user, user))
    return render(request, "search/creator_works.html", context)


def _plain(name: str, longest: int) -> bool:
    """Whether a name from a URL could be a login or pseud at all; a NUL byte, for one, would
    make PostgreSQL fail the query."""
    return len(name) <= longest and "\x00" not in name


accounts_urlpatterns = [
    path("users/<str:login>", profile, name="profile"),
    path("users/<str:login>/works", user_works, name="user_works"),
    # A byline links to the pseud's page; until profiles exist, that is the pseud's works.
    path("users/<str:login>/pseuds/<str:pseud_name>", pseud_works, name="pseud"),
    path("users/<str:login>/pseuds/<str:pseud_name>/works", pseud_works, name="pseud_works"),
]
