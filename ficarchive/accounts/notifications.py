"""Telling users about things: `notify` is the one entry point that comments, subscriptions
and later features call. Each notification is stored, then mailed at once, kept for the
daily digest, or not mailed, as the user's Preference.notification_mail says."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django_tasks import task

from ficarchive.accounts.models import (
    Notification,
    NotificationMail,
    NotificationState,
    Preference,
    User,
)
from ficarchive.accounts.tokens import unsubscribe_token
from ficarchive.core.mail import Message, mail_enqueue, mail_render, mail_send_many
from ficarchive.core.site import absolute_url

WHY = "You are getting this because of your notification preferences on {site}."

STATE_FOR = {
    NotificationMail.IMMEDIATELY: NotificationState.MAILED,
    NotificationMail.DIGEST: NotificationState.DIGEST,
    NotificationMail.NEVER: NotificationState.DROPPED,
}


def unsubscribe_url(user: User) -> str:
    return absolute_url(reverse("accounts:unsubscribe", args=[unsubscribe_token(user)]))


def _message(user: User, template: str, context: dict[str, object]) -> Message:
    return mail_render(
        f"accounts/email/{template}",
        {"user": user, **context},
        why=WHY.format(site=settings.SITE_NAME),
        unsubscribe_url=unsubscribe_url(user),
    )


def notify(
    user: User, kind: str, subject: str, *, key: str, text: str = "", url: str = ""
) -> Notification:
    """Tell `user` about one event of `kind` (`subject` is the line that says what
    happened, `url` where to see it). `key` names the event, such as
    `comment:<comment id>:<user id>`: a second call with the same key changes nothing and
    returns the first notification, so the same event is never mailed twice."""
    existing = Notification.objects.filter(key=key).first()
    if existing is not None:
        return existing
    state = STATE_FOR[NotificationMail(user.preferences().notification_mail)]
    if not user.email:
        state = NotificationState.DROPPED
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                user=user, kind=kind, key=key, subject=subject, text=text, url=url, state=state
            )
            if state == NotificationState.MAILED:
                message = _message(user, "notification", {"notification": notification})
                mail_enqueue(user.email, message, key=f"notification:{notification.pk}")
    except IntegrityError:
        # The same event, notified at the same moment by another request or job.
        return Notification.objects.get(key=key)
    return notification


def notify_many(
    users: Sequence[User],
    kind: str,
    subject: str,
    *,
    key: Callable[[User], str],
    text: str = "",
    url: str = "",
) -> int:
    """`notify` for many users told of one event (a new chapter for its subscribers), in a
    fixed number of queries: their preferences in one, the notifications in one insert, and
    their mail in one job (notifications_mail) that sends over one connection. `key(user)`
    names the event for each user, as in notify; keys already used change nothing. Returns
    the notifications made."""
    keys = {user.pk: key(user) for user in users}
    existing = set(
        Notification.objects.filter(key__in=list(keys.values())).values_list("key", flat=True)
    )
    choices = dict(
        Preference.objects.filter(user_id__in=list(keys)).values_list(
            "user_id", "notification_mail"
        )
    )
    rows = []
    for user in users:
        if keys[user.pk] in existing:
            continue
        choice = choices.get(user.pk, NotificationMail.IMMEDIATELY)
        state = STATE_FOR[NotificationMail(choice)] if user.email else NotificationState.DROPPED
        rows.append(
            Notification(
                user=user,
                kind=kind,
                key=keys[user.pk],
                subject=subject,
                text=text,
                url=url,
                state=state,
            )
        )
    with transaction.atomic():
        # A concurrent delivery of the same event may have made some: the constraint keeps one.
        Notification.objects.bulk_create(rows, ignore_conflicts=True)
        mailed = list(
            Notification.objects.filter(
                key__in=[row.key for row in rows], state=NotificationState.MAILED
            ).values_list("pk", flat=True)
        )
        if mailed:
            notifications_mail.enqueue(mailed)
    return len(rows)


@task()
def notifications_mail(notification_ids: list[int]) -> int:
    """Mail these notifications (each to its user, as notify would one by one) over one
    connection; a notification mailed before (its key in SentMail) is not mailed again."""
    notifications = Notification.objects.filter(pk__in=notification_ids).select_related("user")
    items = [
        (
            f"notification:{n.pk}",
            n.user.email,
            _message(n.user, "notification", {"notification": n}),
        )
        for n in notifications.order_by("pk")
        if n.user.email
    ]
    return mail_send_many(items)


def digest_send(user: User) -> int:
    """Mail `user` one message listing their notifications that wait for the digest, and
    mark them mailed; returns how many it listed. A user who has turned notification mail
    off since gets nothing, and their waiting notifications are dropped."""
    with transaction.atomic():
        pending = list(
            Notification.objects.select_for_update()
            .filter(user=user, state=NotificationState.DIGEST)
            .order_by("created_at", "pk")
        )
        if not pending:
            return 0
        choice = user.preferences().notification_mail
        if choice == NotificationMail.NEVER or not user.email:
            Notification.objects.filter(pk__in=[n.pk for n in pending]).update(
                state=NotificationState.DROPPED
            )
            return 0
        message = _message(user, "digest", {"notifications": pending})
        # The same notifications give the same key, so a rerun of the job sends nothing more.
        mail_enqueue(user.email, message, key=f"digest:{user.pk}:{pending[-1].pk}")
        Notification.objects.filter(pk__in=[n.pk for n in pending]).update(
            state=NotificationState.MAILED
        )
    return len(pending)


def notification_mail_stop(user: User) -> None:
    """Turn off notification mail for `user` (the unsubscribe link)."""
    preference, _created = Preference.objects.get_or_create(user=user)
    if preference.notification_mail != NotificationMail.NEVER:
        preference.notification_mail = NotificationMail.NEVER
        preference.save(update_fields=["notification_mail"])
