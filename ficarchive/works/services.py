"""Writes that reading causes: counting hits."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models import F
from django.utils import timezone

from ficarchive.core.changes import counters_changed
from ficarchive.works.models import Work

# A visitor's key only has to outlive its day; two days covers any clock skew between workers.
HIT_KEY_SECONDS = 2 * 24 * 60 * 60


def hit_visitor(user: Any, ip_address: str | None) -> str:
    """Who counts as one visitor: a logged-in user, or else an IP address, kept only as a keyed
    hash so that the cache never holds readers' addresses."""
    if user.is_authenticated:
        return f"u{user.pk}"
    digest = hashlib.blake2b(
        (ip_address or "").encode(), key=settings.SECRET_KEY.encode()[:64], digest_size=12
    )
    return "a" + digest.hexdigest()


def work_hit(work: Work, user: Any, ip_address: str | None, now: datetime | None = None) -> bool:
    """Count a reader's visit to a work, once per visitor, work and UTC day; returns whether it
    counted.

    Creators' own visits and visits to drafts or hidden works never count. The check goes
    through the cache (Redis in production), so the database sees one write per new visitor,
    not one per page.
    """
    if not work.is_listable() or work.is_by(user):
        return False
    return visitor_hit(work.pk, hit_visitor(user, ip_address), now)


def visitor_hit(work_id: int, visitor: str, now: datetime | None = None) -> bool:
    """Count one visitor's hit on a work unless they were counted today; the caller has checked
    that the visit counts at all (work_hit does)."""
    day = (now or timezone.now()).astimezone(UTC).date().isoformat()
    key = f"hit:{work_id}:{visitor}:{day}"
    # Most visits are a visitor's second page of the day: a read answers them. Only a new
    # visitor's goes on to the add, which decides races (and without Redis takes the database's
    # write lock, which every worker would otherwise queue for on each page).
    if cache.get(key) is not None or not cache.add(key, 1, timeout=HIT_KEY_SECONDS):
        return False
    Work.objects.filter(pk=work_id).update(hits=F("hits") + 1)
    counters_changed(work_id)
    return True


def work_downloaded(work: Work, user: Any) -> bool:
    """Count a download of a work (its stats show the count); creators' own downloads do not
    count, as their own visits do not."""
    if not work.is_listable() or work.is_by(user):
        return False
    Work.objects.filter(pk=work.pk).update(downloads_count=F("downloads_count") + 1)
    return True
