"""The user's roles (User.is_archive_admin, User.is_wrangler) and finding a user by login
(User.objects.by_login, and accounts.access.user_for for pages), for each of the standard
cast."""

from __future__ import annotations

from typing import Any

import pytest
from django.http import Http404
from django.template import Context, Template

from ficarchive.accounts.access import user_for
from ficarchive.accounts.models import LOGIN_MAX, User

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("viewer", "admin_role", "wrangler_role"),
    [
        ("author", False, False),
        ("other_user", False, False),
        ("wrangler", False, True),
        ("admin", True, True),
    ],
)
def test_roles_of_the_cast(
    request: pytest.FixtureRequest, viewer: str, admin_role: bool, wrangler_role: bool
) -> None:
    user: User = request.getfixturevalue(viewer)
    assert user.is_archive_admin is admin_role
    assert user.is_wrangler is wrangler_role


def test_a_deactivated_admin_or_wrangler_has_no_role(admin: User, wrangler: User) -> None:
    for user in (admin, wrangler):
        user.is_active = False
        user.save()
        fresh = User.objects.get(pk=user.pk)
        assert not fresh.is_archive_admin
        assert not fresh.is_wrangler


def test_a_guest_has_no_role_in_templates(guest: Any) -> None:
    page = Template(
        "{% if user.is_archive_admin %}admin{% endif %}{% if user.is_wrangler %}wrangler{% endif %}"
    )
    assert page.render(Context({"user": guest})) == ""


def test_by_login_ignores_case(author: User) -> None:
    assert User.objects.by_login("AUTHOR") == author
    assert User.objects.by_login("author") == author
    assert User.objects.by_login("Author", active_only=False) == author


def test_by_login_finds_a_deactivated_account_only_when_asked(author: User) -> None:
    author.is_active = False
    author.save()
    assert User.objects.by_login("author") is None
    assert User.objects.by_login("author", active_only=False) == author


@pytest.mark.parametrize("login", ["nobody_here", "a" * (LOGIN_MAX + 1), "auth\x00or", ""])
def test_by_login_is_none_for_no_such_login(author: User, login: str) -> None:
    assert User.objects.by_login(login) is None
    assert User.objects.by_login(login, active_only=False) is None


def test_a_page_for_a_deactivated_or_missing_login_is_404(author: User) -> None:
    assert user_for("Author") == author
    author.is_active = False
    author.save()
    with pytest.raises(Http404):
        user_for("author")
    assert user_for("author", active_only=False) == author
    with pytest.raises(Http404):
        user_for("nobody_here", active_only=False)
