"""Accounts made and roles given from the command line (`ficarchive account`): an admin for a
new archive or a demo, wranglers. Sign-up on the site goes through accounts.services."""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from ficarchive.accounts.models import Preference, Pseud, User, login_validator
from ficarchive.accounts.services import AccountError

WRANGLERS = "wranglers"


@transaction.atomic
def account_create(
    login: str, email: str, password: str, *, admin: bool = False, wrangler: bool = False
) -> User:
    """An active, confirmed account with its default pseud and preferences, and the roles
    asked for. Raises AccountError for a login or address taken, or a weak password."""
    try:
        login_validator(login)
    except ValidationError as error:
        raise AccountError(f"{login!r}: {' '.join(error.messages)}") from error
    if User.objects.by_login(login, active_only=False) is not None:
        raise AccountError(f"The login {login!r} is already taken.")
    if email and User.objects.filter(email__iexact=email).exists():
        raise AccountError(f"Another account uses {email}.")
    user = User(username=login, email=email, is_active=True, confirmed_at=timezone.now())
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise AccountError(" ".join(error.messages)) from error
    user.set_password(password)
    user.save()
    Pseud.objects.create(user=user, name=login, is_default=True)
    Preference.objects.create(user=user)
    user_roles_set(user, admin=admin or None, wrangler=wrangler or None)
    return user


@transaction.atomic
def user_roles_set(user: User, *, admin: bool | None = None, wrangler: bool | None = None) -> None:
    """Make the user an archive admin (a superuser, who may open the admin) or a wrangler (the
    `wranglers` group), or take the role back with False; None leaves a role as it is."""
    if admin is not None:
        user.is_superuser = user.is_staff = admin
        user.save(update_fields=["is_superuser", "is_staff"])
    if wrangler is not None:
        group = _wranglers()
        if wrangler:
            user.groups.add(group)
        else:
            user.groups.remove(group)


def _wranglers() -> Group:
    # A migration makes the group; a database restored without it gets it back.
    group, _created = Group.objects.get_or_create(name=WRANGLERS)
    permission = Permission.objects.get(content_type__app_label="tags", codename="wrangle_tag")
    group.permissions.add(permission)
    return group
