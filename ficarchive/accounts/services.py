"""Writes to accounts: signing up and confirming, changing the address, deleting an account.

Each write is one transaction; mail goes out after it commits (accounts.mail), and a mail
that fails leaves the write in place (the owner can ask for the link again).
"""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode

from ficarchive.accounts.mail import mail_send
from ficarchive.accounts.models import Invitation, Preference, Pseud, User
from ficarchive.accounts.tokens import (
    confirmation_tokens,
    email_change_read,
    email_change_token,
    user_uid,
)
from ficarchive.core.site import absolute_url


class AccountError(ValueError):
    """A request the archive refuses; the message says why, for the form to show."""


@transaction.atomic
def _create_user(login: str, email: str, password: str, invitation: Invitation | None) -> User:
    user = User(username=login, email=email, is_active=False)
    user.set_password(password)
    user.save()
    Pseud.objects.create(user=user, name=login, is_default=True)
    Preference.objects.create(user=user)
    if invitation is not None:
        updated = Invitation.objects.filter(pk=invitation.pk, used_at__isnull=True).update(
            used_at=timezone.now(), used_by=user
        )
        if not updated:
            raise AccountError("This invitation has already been used.")
    return user


def user_sign_up(
    login: str, email: str, password: str, invitation: Invitation | None = None
) -> tuple[User, bool]:
    """Make an account, inactive until its address is confirmed, with its default pseud and
    preferences, and mail the confirmation link; returns the user and whether the mail went.

    The caller has validated the login, address and password (SignUpForm).
    """
    user = _create_user(login, email, password, invitation)
    return user, confirmation_send(user)


def confirmation_link(user: User) -> str:
    token = confirmation_tokens.make_token(user)
    return absolute_url(reverse("accounts:confirm", args=[user_uid(user), token]))


def confirmation_send(user: User) -> bool:
    """Mail (again) the link that confirms a new account's address."""
    link = confirmation_link(user)
    return mail_send(user.email, "confirm", {"user": user, "link": link})


def user_from_uid(uidb64: str) -> User | None:
    try:
        pk = int(force_str(urlsafe_base64_decode(uidb64)))
    except (ValueError, TypeError, OverflowError):
        return None
    if not 0 < pk < 2**63:
        return None
    return User.objects.filter(pk=pk).first()


@transaction.atomic
def user_confirm(uidb64: str, token: str) -> User | None:
    """Activate the account a confirmation link names, if the link is genuine and unused;
    returns the account, or None."""
    user = user_from_uid(uidb64)
    if user is None or user.is_active or user.confirmed_at is not None:
        return None
    if not confirmation_tokens.check_token(user, token):
        return None
    user.is_active = True
    user.confirmed_at = timezone.now()
    user.save(update_fields=["is_active", "confirmed_at"])
    return user


def email_change_request(user: User, email: str) -> bool:
    """Mail a link to the new address; the address changes only when that link is followed,
    so that a typo cannot lock the owner out. Returns whether the mail went."""
    token = email_change_token(user, email)
    link = absolute_url(reverse("accounts:email_confirm", args=[token]))
    return mail_send(email, "email_change", {"user": user, "link": link, "email": email})


@transaction.atomic
def email_change_confirm(token: str) -> User:
    """Give the account the address a change link carries, and tell the old address."""
    found = email_change_read(token)
    if found is None:
        raise AccountError("This link is not valid any more. Ask for a new one.")
    user_id, email, old = found
    user = User.objects.select_for_update().filter(pk=user_id, is_active=True).first()
    if user is None or user.email != old:
        raise AccountError("This link is not valid any more. Ask for a new one.")
    if User.objects.filter(email__iexact=email).exclude(pk=user.pk).exists():
        raise AccountError("Another account uses that address now.")
    user.email = email
    user.save(update_fields=["email"])
    if old:
        transaction.on_commit(
            lambda: mail_send(old, "email_changed", {"user": user, "email": email})
        )
    return user
