"""The accounts app's background jobs, run by the scheduler (core.queue.scheduler)."""

from __future__ import annotations

from datetime import timedelta

from django_tasks import task

from ficarchive.accounts.models import Notification, NotificationState, User
from ficarchive.accounts.notifications import digest_send
from ficarchive.core.queue.scheduler import periodic


@periodic(every=timedelta(days=1))
@task()
def notifications_digest() -> int:
    """The daily digest: one mail to each user with notifications waiting for it; returns
    how many mails it queued."""
    users = User.objects.filter(
        pk__in=Notification.objects.filter(state=NotificationState.DIGEST).values("user_id")
    ).select_related("preference")
    return sum(1 for user in users if digest_send(user))
