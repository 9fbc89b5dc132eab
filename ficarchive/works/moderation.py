"""Moderation by the archive's admins: hiding a work (with a reason its creators see),
unhiding it, and marking it as spam. Each reaches the search index in its own transaction, so
the indexer drops or restores the work at once."""

from __future__ import annotations

from functools import partial

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from ficarchive.accounts.models import User
from ficarchive.core.changes import works_changed
from ficarchive.works.models import Work
from ficarchive.works.pagecache import forget_work

SPAM_REASON = "spam"


class ModerationError(ValueError):
    """A moderation request that cannot be done; the message says why."""


def _check_admin(admin: User) -> None:
    if not admin.is_archive_admin:
        raise PermissionDenied("Only administrators moderate works.")


def _forget_pages(work: Work) -> None:
    transaction.on_commit(partial(forget_work, work))


@transaction.atomic
def work_hide(work: Work, admin: User, reason: str, *, spam: bool = False) -> Work:
    """Hide a work from everyone but its creators and admins, telling its creators why."""
    _check_admin(admin)
    reason = reason.strip()
    if not reason:
        raise ModerationError("Please give a reason: the work's creators will see it.")
    work.hidden_by_admin = True
    work.hidden_reason = reason
    work.hidden_at = timezone.now()
    work.hidden_by = admin
    work.spam = spam
    work.save(update_fields=["hidden_by_admin", "hidden_reason", "hidden_at", "hidden_by", "spam"])
    works_changed([work.pk], "spam" if spam else "hidden")
    _forget_pages(work)
    return work


def work_mark_spam(work: Work, admin: User) -> Work:
    """Hide a work as spam: hidden, flagged, with "spam" as the reason."""
    return work_hide(work, admin, SPAM_REASON, spam=True)


@transaction.atomic
def work_unhide(work: Work, admin: User) -> Work:
    """Show a hidden work again (and lift a spam mark)."""
    _check_admin(admin)
    work.hidden_by_admin = False
    work.hidden_reason = ""
    work.hidden_at = None
    work.hidden_by = None
    work.spam = False
    work.save(update_fields=["hidden_by_admin", "hidden_reason", "hidden_at", "hidden_by", "spam"])
    works_changed([work.pk], "unhidden")
    _forget_pages(work)
    return work
