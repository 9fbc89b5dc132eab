"""Mail goes through the queue to a real SMTP server: both parts, the footer, once only, and
late rather than lost when the server is down."""

from __future__ import annotations

import re
import time
from email.message import EmailMessage

from django.test import Client

from ficarchive.accounts.models import User
from ficarchive.core.mail import mail_deliver, mail_enqueue, mail_render
from ficarchive.core.models import SentMail
from tests.core.tasks.drain import drain
from tests.core.tasks.smtp import SmtpServer
from tests.factories import UserFactory

PASSWORD = "a long test passphrase"


def parts(message: EmailMessage) -> tuple[str, str]:
    text = message.get_body(("plain",))
    html = message.get_body(("html",))
    assert text is not None and html is not None
    return str(text.get_content()), str(html.get_content())


def test_sign_up_mail_waits_for_the_worker_then_arrives_with_both_parts(
    backend: str, smtp: SmtpServer, client: Client
) -> None:
    client.post(
        "/signup",
        {
            "username": "newwriter",
            "email": "newwriter@example.org",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert smtp.to("newwriter@example.org") == []
    drain(backend)
    [message] = smtp.to("newwriter@example.org")
    text, html = parts(message)
    link = re.search(r"http://\S+/confirm/\S+", text)
    assert link is not None and link.group() in html
    assert "this address was used to sign up" in text and "this address was used to sign up" in html
    # Account mail says why it came, and cannot be unsubscribed from.
    assert message["List-Unsubscribe"] is None
    client.get(re.sub(r"^http://[^/]+", "", link.group()))
    assert User.objects.get(username="newwriter").is_active


def test_password_reset_mail_goes_through_the_queue(backend: str, smtp: SmtpServer) -> None:
    UserFactory.create(username="forgetful", email="forgetful@example.org")
    client = Client()
    assert client.post("/password/reset", {"email": "forgetful@example.org"}).status_code == 302
    drain(backend)
    [message] = smtp.to("forgetful@example.org")
    text, html = parts(message)
    assert "http://localhost:8000/password/reset/" in text
    assert "http://localhost:8000/password/reset/" in html
    assert "password reset was asked for" in text


def test_a_notification_carries_one_click_unsubscribe_headers(
    backend: str, smtp: SmtpServer
) -> None:
    message = mail_render(
        "accounts/email/invitation",
        {"link": "http://localhost:8000/signup"},
        why="You are getting this because you follow this work.",
        unsubscribe_url="http://localhost:8000/unsubscribe/abc",
    )
    mail_enqueue("reader@example.org", message)
    drain(backend)
    [received] = smtp.to("reader@example.org")
    assert received["List-Unsubscribe"] == "<http://localhost:8000/unsubscribe/abc>"
    assert received["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    text, html = parts(received)
    assert "http://localhost:8000/unsubscribe/abc" in text
    assert 'href="http://localhost:8000/unsubscribe/abc"' in html


def test_a_mail_job_run_twice_sends_once(backend: str, smtp: SmtpServer) -> None:
    message = mail_render("accounts/email/invitation", {"link": "http://x/"}, why="Why.")
    key = mail_enqueue("twice@example.org", message)
    drain(backend)
    # The same job again, as after a crash between sending and the job's end.
    args: tuple[str, str, str, str, str, dict[str, str]] = (
        key,
        "twice@example.org",
        message.subject,
        message.text,
        message.html,
        {},
    )
    assert mail_deliver.call(*args) is False
    mail_enqueue("twice@example.org", message, key=key)
    drain(backend)
    assert len(smtp.to("twice@example.org")) == 1
    assert SentMail.objects.filter(key=key).count() == 1


def test_mail_server_down_delays_mail_and_loses_none(backend: str, smtp: SmtpServer) -> None:
    smtp.stop()
    message = mail_render("accounts/email/invitation", {"link": "http://x/"}, why="Why.")
    mail_enqueue("patient@example.org", message)
    drain(backend)
    assert not SentMail.objects.exists()
    smtp.start()
    # The first retry waits TASKS_RETRY_SECONDS (RQ rounds it up to a second).
    deadline = time.monotonic() + 10
    while not smtp.to("patient@example.org") and time.monotonic() < deadline:
        time.sleep(0.3)
        drain(backend)
    assert len(smtp.to("patient@example.org")) == 1
    assert SentMail.objects.count() == 1
