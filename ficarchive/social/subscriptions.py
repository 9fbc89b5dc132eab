"""Subscriptions: a reader follows a work, a creator or a series, and is told of new works and
chapters there (social.updates). One subscription per target; the targets are fetched through
the visibility rule, so nobody subscribes to what they may not see."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet

from ficarchive.accounts.models import User
from ficarchive.social.models import Subscription
from ficarchive.works.models import Series, Work

# A reader subscribes to at most this many things (the largest archive has no limit; a bound
# keeps one account from making the fan-out of every update its own).
SUBSCRIPTIONS_MAX = 10_000

ALREADY = "You are already subscribed to this."
OWN = "You can't subscribe to yourself."
TOO_MANY = f"You can have at most {SUBSCRIPTIONS_MAX:,} subscriptions."


class SubscriptionError(ValueError):
    """A subscription the archive refuses; the message says why."""


Target = Work | Series | User


@dataclass(frozen=True)
class TargetRef:
    """Which of the three a subscription is to, as a filter on Subscription."""

    kind: str  # "work", "creator" or "series"
    pk: int

    @classmethod
    def of(cls, target: Target) -> TargetRef:
        if isinstance(target, Work):
            return cls("work", target.pk)
        if isinstance(target, Series):
            return cls("series", target.pk)
        return cls("creator", target.pk)

    def q(self) -> Q:
        return Q(**{f"{self.kind}_id": self.pk})


def subscription_of(user: Any, target: Target) -> Subscription | None:
    if not user.is_authenticated:
        return None
    return Subscription.objects.filter(TargetRef.of(target).q(), user=user).first()


@transaction.atomic
def subscribe(user: User, target: Target) -> Subscription:
    """Subscribe `user` to a work, a creator or a series they may see (the caller fetched it
    through the visibility rule); a second time is refused with a message."""
    ref = TargetRef.of(target)
    if ref.kind == "creator" and ref.pk == user.pk:
        raise SubscriptionError(OWN)
    if Subscription.objects.filter(ref.q(), user=user).exists():
        raise SubscriptionError(ALREADY)
    if Subscription.objects.filter(user=user).count() >= SUBSCRIPTIONS_MAX:
        raise SubscriptionError(TOO_MANY)
    try:
        with transaction.atomic():
            return Subscription.objects.create(user=user, **{f"{ref.kind}_id": ref.pk})
    except IntegrityError:
        # The same click twice at once: the constraint kept one.
        raise SubscriptionError(ALREADY) from None


@transaction.atomic
def unsubscribe(user: User, target: Target) -> bool:
    """Whether there was a subscription to remove."""
    deleted, _ = Subscription.objects.filter(TargetRef.of(target).q(), user=user).delete()
    return deleted > 0


def subscriptions_of(user: User) -> QuerySet[Subscription]:
    """A user's subscriptions, newest first, for their page. The page shows each work or
    series only while it is listed for them (subscriptions_page)."""
    return Subscription.objects.filter(user=user).select_related("work", "creator", "series")


def subscriber_ids(work: Work) -> set[int]:
    """Whoever subscribed to this work, to one of its series, or (unless it is anonymous) to
    one of its accepted creators; never its creators themselves."""
    series_ids = list(work.serial_works.values_list("series_id", flat=True))
    creators = work.creator_user_ids()
    wanted = Q(work_id=work.pk)
    if series_ids:
        wanted |= Q(series_id__in=series_ids)
    if creators and not work.hides_creators:
        wanted |= Q(creator_id__in=list(creators))
    ids = set(Subscription.objects.filter(wanted).values_list("user_id", flat=True))
    return ids - creators
