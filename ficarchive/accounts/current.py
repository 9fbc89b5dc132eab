"""The user a request is made by, for views that have already required a login."""

from __future__ import annotations

from django.http import HttpRequest

from ficarchive.accounts.models import User


def logged_in_user(request: HttpRequest) -> User:
    """request.user, typed as an account: only for views behind a login check."""
    user = request.user
    if not isinstance(user, User):
        raise PermissionError("This page needs a logged-in user.")
    return user
