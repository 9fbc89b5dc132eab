"""Personal access tokens: made (shown once, kept as a digest), listed, revoked, and turned
back into their user for a request's `Authorization: Bearer <token>`."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from ficarchive.accounts.models import API_TOKENS_MAX, ApiToken, TokenScope, User

TOKEN_PREFIX = "fa_"
# last_used_at is written at most this often per token: apps send it with every page.
LAST_USED_EVERY = timedelta(minutes=1)


class TokenError(ValueError):
    """A token the archive refuses to make; the message says why."""


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


@transaction.atomic
def api_token_create(user: User, name: str, scope: str = TokenScope.READ) -> tuple[ApiToken, str]:
    """A new token for the user: its row, and the token itself, which is never shown again."""
    User.objects.select_for_update().filter(pk=user.pk).first()
    if ApiToken.objects.filter(user=user, revoked_at__isnull=True).count() >= API_TOKENS_MAX:
        raise TokenError(f"You can have at most {API_TOKENS_MAX} tokens; revoke some first.")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = ApiToken.objects.create(
        user=user,
        name=name,
        scope=TokenScope(scope),
        token_hash=token_digest(token),
        prefix=token[:10],
    )
    return row, token


def api_token_revoke(user: User, token_id: int) -> bool:
    """Revoke one of the user's tokens; False when they have no such live token."""
    revoked = ApiToken.objects.filter(pk=token_id, user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    return bool(revoked)


def user_for_token(token: str, scope: str = TokenScope.READ) -> User | None:
    """The active user whose live token this is (with at least this scope), else None."""
    if not token.startswith(TOKEN_PREFIX) or len(token) > 200:
        return None
    row = (
        ApiToken.objects.select_related("user")
        .filter(token_hash=token_digest(token), revoked_at__isnull=True)
        .first()
    )
    if row is None or not row.user.is_active:
        return None
    if scope == TokenScope.WRITE and row.scope != TokenScope.WRITE:
        return None
    now = timezone.now()
    if row.last_used_at is None or now - row.last_used_at > LAST_USED_EVERY:
        ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
    return row.user
