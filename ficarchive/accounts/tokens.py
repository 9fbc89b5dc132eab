"""Signed links that the archive mails: confirming a new account, confirming a new address,
turning notification mail off."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core import signing
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from ficarchive.accounts.models import User

EMAIL_CHANGE_SALT = "ficarchive.accounts.email-change"


class ConfirmationTokenGenerator(PasswordResetTokenGenerator):
    """Tokens for a new account's confirmation link; they stop working once the account is
    active (the state is part of the hash), and after PASSWORD_RESET_TIMEOUT."""

    key_salt = "ficarchive.accounts.ConfirmationTokenGenerator"

    def _make_hash_value(self, user: User, timestamp: int) -> str:
        return f"{user.pk}{user.is_active}{user.email}{timestamp}"


confirmation_tokens = ConfirmationTokenGenerator()


def user_uid(user: User) -> str:
    return urlsafe_base64_encode(force_bytes(user.pk))


def email_change_token(user: User, email: str) -> str:
    """A token that says: this user asked to use this address. It also binds the address the
    account had, so that an older link stops working once the address changed."""
    return signing.dumps(
        {"user": user.pk, "email": email, "old": user.email}, salt=EMAIL_CHANGE_SALT
    )


def email_change_read(token: str) -> tuple[int, str, str] | None:
    """(user id, new address, old address) from a token that is genuine and recent enough."""
    try:
        data = signing.loads(token, salt=EMAIL_CHANGE_SALT, max_age=settings.PASSWORD_RESET_TIMEOUT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict):
        return None
    try:
        return int(data["user"]), str(data["email"]), str(data["old"])
    except (KeyError, TypeError, ValueError):
        return None


UNSUBSCRIBE_SALT = "ficarchive.accounts.unsubscribe"


def unsubscribe_token(user: User) -> str:
    """A token for the one-click unsubscribe link in notification mail. It does not expire:
    RFC 8058 expects the link in an old mail to keep working, and all it can do is turn
    notification mail off."""
    return signing.Signer(salt=UNSUBSCRIBE_SALT).sign(str(user.pk))


def unsubscribe_read(token: str) -> int | None:
    """The user id in a genuine unsubscribe token."""
    try:
        return int(signing.Signer(salt=UNSUBSCRIBE_SALT).unsign(token))
    except (signing.BadSignature, ValueError):
        return None
