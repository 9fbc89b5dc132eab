"""Notification mail through the queue to a real SMTP server: at once, in the daily digest,
or never, as the reader chose; once per event; with a one-click unsubscribe that works."""

from __future__ import annotations

import re

from django.test import Client

from ficarchive.accounts.models import (
    Notification,
    NotificationMail,
    NotificationState,
    Preference,
    User,
)
from ficarchive.accounts.notifications import notify
from ficarchive.accounts.tasks import notifications_digest
from ficarchive.core.queue.scheduler import periodic_tasks
from tests.core.tasks.drain import drain
from tests.core.tasks.smtp import SmtpServer
from tests.core.tasks.test_mail import parts
from tests.factories import UserFactory


def _reader(mail: NotificationMail) -> User:
    user = UserFactory.create()
    Preference.objects.create(user=user, notification_mail=mail)
    return user


def test_an_immediate_notification_arrives_once_with_unsubscribe_headers(
    backend: str, smtp: SmtpServer
) -> None:
    reader = _reader(NotificationMail.IMMEDIATELY)
    for _ in range(2):
        notify(
            reader,
            "comment",
            "A new comment on Dragonfall",
            key=f"comment:7:{reader.pk}",
            text="What a chapter!",
            url="http://localhost:8000/works/1#comment-7",
        )
        drain(backend)
    [message] = smtp.to(reader.email)
    assert message["Subject"] == "A new comment on Dragonfall"
    link = re.fullmatch(
        r"<(http://localhost:8000/unsubscribe/\S+)>", message["List-Unsubscribe"].strip()
    )
    assert link is not None, message["List-Unsubscribe"]
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    text, html = parts(message)
    assert "What a chapter!" in text and "What a chapter!" in html
    assert link.group(1) in text and f'href="{link.group(1)}"' in html
    assert "notification preferences" in text
    assert Notification.objects.get().state == NotificationState.MAILED


def test_a_digest_reader_gets_one_mail_listing_both_notifications(
    backend: str, smtp: SmtpServer
) -> None:
    reader = _reader(NotificationMail.DIGEST)
    notify(reader, "kudos", "Kudos on Dragonfall", key=f"kudos:1:{reader.pk}")
    notify(reader, "comment", "A new comment on Seafoam", key=f"comment:2:{reader.pk}")
    drain(backend)
    assert smtp.to(reader.email) == []
    assert notifications_digest.call() == 1
    drain(backend)
    # The next day's digest has nothing new to list.
    assert notifications_digest.call() == 0
    drain(backend)
    [message] = smtp.to(reader.email)
    text, html = parts(message)
    for subject in ("Kudos on Dragonfall", "A new comment on Seafoam"):
        assert subject in text and subject in html
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert set(Notification.objects.values_list("state", flat=True)) == {NotificationState.MAILED}


def test_the_digest_is_a_daily_job_of_the_scheduler() -> None:
    [entry] = [p for p in periodic_tasks() if p.task.name == "notifications_digest"]
    assert entry.every.days == 1


def test_a_reader_who_wants_no_notification_mail_gets_none(backend: str, smtp: SmtpServer) -> None:
    reader = _reader(NotificationMail.NEVER)
    notify(reader, "comment", "A new comment", key=f"comment:3:{reader.pk}")
    notifications_digest.call()
    drain(backend)
    assert smtp.to(reader.email) == []
    assert Notification.objects.get().state == NotificationState.DROPPED


def test_the_one_click_unsubscribe_link_stops_notification_mail(
    backend: str, smtp: SmtpServer
) -> None:
    reader = _reader(NotificationMail.IMMEDIATELY)
    notify(reader, "comment", "A new comment", key=f"comment:4:{reader.pk}")
    drain(backend)
    [message] = smtp.to(reader.email)
    path = re.sub(r"^<http://[^/]+|>$", "", message["List-Unsubscribe"].strip())
    # A mail program's RFC 8058 POST: no session, no CSRF token.
    mail_program = Client(enforce_csrf_checks=True)
    assert mail_program.get(path).status_code == 200
    assert reader.preferences().notification_mail == NotificationMail.IMMEDIATELY
    response = mail_program.post(
        path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    reader.refresh_from_db()
    assert reader.preferences().notification_mail == NotificationMail.NEVER
    notify(reader, "comment", "Another comment", key=f"comment:5:{reader.pk}")
    drain(backend)
    assert len(smtp.to(reader.email)) == 1


def test_a_tampered_unsubscribe_token_is_refused(backend: str, smtp: SmtpServer) -> None:
    reader = _reader(NotificationMail.IMMEDIATELY)
    notify(reader, "comment", "A new comment", key=f"comment:6:{reader.pk}")
    drain(backend)
    [message] = smtp.to(reader.email)
    path = re.sub(r"^<http://[^/]+|>$", "", message["List-Unsubscribe"].strip())
    user_id, _, signature = path.rsplit("/", 1)[1].partition(":")
    other = UserFactory.create()
    for forged in (f"{other.pk}:{signature}", f"{user_id}:{signature[:-2]}xx", "nonsense"):
        client = Client(enforce_csrf_checks=True)
        assert client.get(f"/unsubscribe/{forged}").status_code == 400
        assert client.post(f"/unsubscribe/{forged}").status_code == 400
    assert reader.preferences().notification_mail == NotificationMail.IMMEDIATELY
    assert other.preferences().notification_mail == NotificationMail.IMMEDIATELY
