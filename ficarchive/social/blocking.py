"""Blocking: a user stops another from giving kudos to, commenting on or giving gifts to their
works. Work.accepts_interaction_from is the rule every interaction asks."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import QuerySet

from ficarchive.accounts.models import BLOCKED_USERS_MAX, Block, User


class BlockError(Exception):
    """A block or unblock that cannot be done; the message says why."""


@transaction.atomic
def user_block(user: User, other: User) -> Block:
    """Block `other` for `user`; raises BlockError for oneself, a repeat, or past the limit."""
    if user.pk == other.pk:
        raise BlockError("You can't block yourself.")
    if Block.objects.filter(user=user, blocked=other).exists():
        raise BlockError(f"You have already blocked {other.username}.")
    # Lock the blocker's row so that two blocks at once cannot both pass the limit.
    User.objects.select_for_update().filter(pk=user.pk).first()
    if Block.objects.filter(user=user).count() >= BLOCKED_USERS_MAX:
        raise BlockError(
            f"You can block at most {BLOCKED_USERS_MAX:,} users. Unblock someone first."
        )
    try:
        with transaction.atomic():
            return Block.objects.create(user=user, blocked=other)
    except IntegrityError:
        raise BlockError(f"You have already blocked {other.username}.") from None


@transaction.atomic
def user_unblock(user: User, other: User) -> bool:
    """Lift `user`'s block of `other`; returns whether there was one."""
    deleted, _ = Block.objects.filter(user=user, blocked=other).delete()
    return deleted > 0


def blocked_users(user: User) -> QuerySet[Block]:
    """The user's blocks, newest first, with the blocked users."""
    return Block.objects.filter(user=user).select_related("blocked").order_by("-created_at", "-id")


def has_blocked(user: object, other: User) -> bool:
    """Whether this (possibly anonymous) user has blocked `other`."""
    pk = getattr(user, "pk", None)
    return pk is not None and Block.objects.filter(user_id=pk, blocked=other).exists()
