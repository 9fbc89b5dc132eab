"""The adult-content gate: works with an adult rating (or none) show a notice instead of their
text until the reader chooses to proceed."""

from __future__ import annotations

from django.http import HttpRequest, QueryDict

from ficarchive.works.models import Work

VIEW_ADULT_PARAMETER = "view_adult"
VIEW_ADULT_SESSION_KEY = "view_adult"


def remember_adult_choice(request: HttpRequest) -> None:
    """Keep a reader's `?view_adult=true` for the rest of their session."""
    if request.GET.get(VIEW_ADULT_PARAMETER) == "true":
        request.session[VIEW_ADULT_SESSION_KEY] = True


def adult_gate_applies(request: HttpRequest, work: Work) -> bool:
    """Whether this reader must see the notice instead of the work's text.

    Creators and admins pass; so do readers whose preferences say to show adult works without
    checking, and readers who proceeded once this session.
    """
    if not work.is_adult():
        return False
    user = request.user
    if user.is_authenticated and (
        user.is_archive_admin or work.is_by(user) or user.preferences().view_adult
    ):
        return False
    return not request.session.get(VIEW_ADULT_SESSION_KEY, False)


def proceed_query(request: HttpRequest) -> str:
    """The query string of the "proceed" link: the page's own, with view_adult=true."""
    query: QueryDict = request.GET.copy()
    query[VIEW_ADULT_PARAMETER] = "true"
    return query.urlencode()
