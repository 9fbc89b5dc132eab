"""Writes readers make on works: kudos."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q
from django.urls import reverse

from ficarchive.accounts.models import User
from ficarchive.core.changes import counters_changed
from ficarchive.social.models import Kudo
from ficarchive.works.models import Work
from ficarchive.works.pagecache import forget_work_pages

ALREADY_LEFT = "You have already left kudos here. :)"
OWN_WORK = "You can't leave kudos on your own work."
BLOCKED = (
    "Sorry, you have been blocked by one or more of this work's creators, so you can't leave "
    "kudos here."
)
NOT_AVAILABLE = "Kudos can only be left on posted works you can read."


class KudosError(Exception):
    """Kudos that cannot be left; the message says why, for the reader."""


def guest_ip_hash(ip_address: str) -> str:
    """How a guest's kudos are told apart: a keyed hash of the IP address, never the address."""
    digest = hashlib.blake2b(
        ip_address.encode(),
        key=settings.SECRET_KEY.encode()[:64],
        person=b"kudos",
        digest_size=16,
    )
    return digest.hexdigest()


def kudos_refusal(work: Work, user: Any) -> str | None:
    """Why this user may not leave kudos on the work (None when they may): the rule the button
    and the service share. Whether they already did is checked when they try."""
    if not work.is_listed_for(user):
        return NOT_AVAILABLE
    if work.is_by(user):
        return OWN_WORK
    if not work.accepts_interaction_from(user):
        return BLOCKED
    return None


@transaction.atomic
def kudos_give(work: Work, giver: User | str) -> Kudo:
    """Leave kudos on a work, from a user or from a guest's IP address; raises KudosError.

    Counts it in Work.kudos_count and tells search with the other counters.
    """
    user: Any = giver if isinstance(giver, User) else AnonymousUser()
    refusal = kudos_refusal(work, user)
    if refusal is not None:
        raise KudosError(refusal)
    fields: dict[str, Any] = (
        {"user": giver} if isinstance(giver, User) else {"ip_hash": guest_ip_hash(giver)}
    )
    try:
        with transaction.atomic():
            kudo = Kudo.objects.create(work=work, **fields)
    except IntegrityError:
        raise KudosError(ALREADY_LEFT) from None
    Work.objects.filter(pk=work.pk).update(kudos_count=F("kudos_count") + 1)
    counters_changed(work.pk)
    transaction.on_commit(lambda: forget_work_pages(work.pk))
    return kudo


@dataclass
class KudosSummary:
    """Who left kudos on a work, newest first, as its page lists them."""

    users: list[User]
    more_users: int
    guests: int

    @property
    def empty(self) -> bool:
        return not (self.users or self.more_users or self.guests)

    def parts(self) -> list[tuple[str, str]]:
        """The sentence "A, B and 3 guests left kudos on this work!" as (text, link) pieces;
        the link is empty for plain text."""
        items = [
            (u.username, reverse("accounts:user_works", args=[u.username])) for u in self.users
        ]
        if self.more_users:
            items.append((f"{self.more_users} more users", ""))
        if self.guests:
            items.append((f"{self.guests} guest{'s' if self.guests != 1 else ''}", ""))
        parts: list[tuple[str, str]] = []
        for index, item in enumerate(items):
            if index:
                parts.append((" and " if index == len(items) - 1 else ", ", ""))
            parts.append(item)
        parts.append((" left kudos on this work!", ""))
        return parts


KUDOS_NAMES_SHOWN = 50


def kudos_summary(work: Work) -> KudosSummary:
    """Who left kudos on the work; no query at all for a work without kudos (most of them)."""
    if not work.kudos_count:
        return KudosSummary(users=[], more_users=0, guests=0)
    kudos = Kudo.objects.filter(work=work)
    counts = kudos.aggregate(
        users=Count("id", filter=Q(user__isnull=False)),
        guests=Count("id", filter=Q(user__isnull=True)),
    )
    users = [
        kudo.user
        for kudo in kudos.filter(user__isnull=False)
        .select_related("user")
        .order_by("-created_at", "-id")[:KUDOS_NAMES_SHOWN]
        if kudo.user is not None
    ]
    return KudosSummary(
        users=users, more_users=counts["users"] - len(users), guests=counts["guests"]
    )
