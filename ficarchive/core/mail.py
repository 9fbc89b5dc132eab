"""Mail goes out through the task queue, one job per message, and only once.

A message is rendered where it is asked for (in the request), then a job delivers it: a mail
server that is down fails the job, which the queue retries with backoff until the server
takes the message. The job's idempotency key is recorded when the server has taken it
(SentMail), so a job run again after a crash sends nothing twice; its Message-ID is derived
from the key, so even a crash in the instant between the server's answer and that record
gives receivers a duplicate they can recognise.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django_tasks import task

from ficarchive.core.models import SentMail


@dataclass(frozen=True)
class Message:
    """A rendered mail: a plain-text part, an HTML part and the extra headers."""

    subject: str
    text: str
    html: str
    headers: dict[str, str] = field(default_factory=dict)


def mail_render(
    template: str, context: dict[str, object], *, why: str, unsubscribe_url: str = ""
) -> Message:
    """Render `<template>_subject.txt`, `_body.txt` and `_body.html` with the footer that
    says why the mail came (`why`) and, for notifications, how to stop it in one click."""
    context = {"SITE_NAME": settings.SITE_NAME, "SITE_URL": settings.SITE_URL, **context}
    footer = {**context, "why": why, "unsubscribe_url": unsubscribe_url}
    subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
    text = render_to_string(f"{template}_body.txt", context).rstrip("\n")
    text += "\n\n" + render_to_string("core/email/footer.txt", footer)
    html = render_to_string(
        "core/email/message.html",
        {
            **footer,
            "subject": subject,
            "body": mark_safe(render_to_string(f"{template}_body.html", context)),
        },
    )
    headers = {}
    if unsubscribe_url:
        headers["List-Unsubscribe"] = f"<{unsubscribe_url}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    return Message(subject=subject, text=text, html=html, headers=headers)


def mail_enqueue(to: str, message: Message, key: str = "") -> str:
    """Queue one message to one address; returns its idempotency key. The same key sends at
    most once, however often it is queued (a notification can use a key of its own)."""
    key = key or f"mail:{uuid.uuid4().hex}"
    mail_deliver.enqueue(key, to, message.subject, message.text, message.html, message.headers)
    return key


def message_id(key: str) -> str:
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2].strip("> ") or "localhost"
    return f"<{hashlib.sha256(key.encode()).hexdigest()[:32]}@{domain}>"


@task()
def mail_deliver(
    key: str, to: str, subject: str, text: str, html: str, headers: dict[str, str]
) -> bool:
    """Hand one message to the mail server unless it already took it; returns whether it
    sent. Raises when the server does not take it, so that the queue tries again."""
    if SentMail.objects.filter(key=key).exists():
        return False
    mid = message_id(key)
    message = EmailMultiAlternatives(
        subject, text, None, [to], headers={**headers, "Message-ID": mid}
    )
    message.attach_alternative(html, "text/html")
    message.send()
    try:
        with transaction.atomic():
            SentMail.objects.create(key=key, to=to[:254], subject=subject[:255], message_id=mid)
    except IntegrityError:
        # Another run of this job got there first; the Message-ID lets receivers drop ours.
        pass
    return True


def mail_send_many(items: Sequence[tuple[str, str, Message]]) -> int:
    """Send many messages, each `(key, to, message)`, over one connection to the mail server,
    skipping the keys it already took; returns how many it sent. For a job that mails a batch
    (notifications of an update): one SMTP session for the batch instead of one a message.
    Raises, after recording what was sent, when the server stops taking them, so that the
    job's retry sends only the rest."""
    done = set(
        SentMail.objects.filter(key__in=[key for key, _to, _m in items]).values_list(
            "key", flat=True
        )
    )
    sent: list[SentMail] = []
    try:
        with get_connection() as connection:
            for key, to, message in items:
                if key in done:
                    continue
                mid = message_id(key)
                mail = EmailMultiAlternatives(
                    message.subject,
                    message.text,
                    None,
                    [to],
                    headers={**message.headers, "Message-ID": mid},
                    connection=connection,
                )
                mail.attach_alternative(message.html, "text/html")
                mail.send()
                done.add(key)
                sent.append(
                    SentMail(key=key, to=to[:254], subject=message.subject[:255], message_id=mid)
                )
    finally:
        SentMail.objects.bulk_create(sent, ignore_conflicts=True)
    return len(sent)
