"""Creator pages: the works of a user, and of one of their pseuds."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from ficarchive.accounts.models import LOGIN_MAX, PSEUD_MAX, Pseud, User
from ficarchive.works.listing import listing_page
from ficarchive.works.models import Work


def user_works(request: HttpRequest, login: str) -> HttpResponse:
    user = _user(login)
    works = Work.objects.by_creator(user, request.user).listed_for(request.user)
    page = listing_page(works.newest_first().for_listing(), request)
    context = {"owner": user, "pseud": None, "page": page}
    return render(request, "accounts/creator_works.html", context)


def pseud_works(request: HttpRequest, login: str, pseud_name: str) -> HttpResponse:
    user = _user(login)
    pseud = None
    if _plain(pseud_name, PSEUD_MAX):
        pseud = Pseud.objects.filter(user=user, name__iexact=pseud_name).first()
    if pseud is None:
        raise Http404("No such pseud.")
    works = Work.objects.by_creator(user, request.user, pseud).listed_for(request.user)
    page = listing_page(works.newest_first().for_listing(), request)
    context = {"owner": user, "pseud": pseud, "page": page}
    return render(request, "accounts/creator_works.html", context)


def _plain(name: str, longest: int) -> bool:
    """Whether a name from a URL could be a login or pseud at all; a NUL byte, for one, would
    make PostgreSQL fail the query."""
    return len(name) <= longest and "\x00" not in name


def _user(login: str) -> User:
    user = None
    if _plain(login, LOGIN_MAX):
        user = User.objects.filter(username__iexact=login, is_active=True).first()
    if user is None:
        raise Http404("No such user.")
    return user
