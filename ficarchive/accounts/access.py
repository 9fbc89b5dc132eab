"""Fetching a user named in an address (`/users/<login>/...`) for a page: as works.access does
for works, a name that is no account's answers 404."""

from __future__ import annotations

from django.http import Http404

from ficarchive.accounts.models import User


def user_for(login: str, *, active_only: bool = True) -> User:
    """The user with this login (User.objects.by_login), else Http404; a deactivated account
    only when `active_only` is False."""
    user = User.objects.by_login(login, active_only=active_only)
    if user is None:
        raise Http404("No such user.")
    return user
