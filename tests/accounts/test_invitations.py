"""The invitation queue (ACCOUNT_SIGNUP=invite) and `ficarchive invitations`."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client

from ficarchive.accounts.models import InviteRequest, User
from tests.accounts.mail import last_link

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def invite_only(settings: Any) -> None:
    settings.ACCOUNT_SIGNUP = "invite"
    settings.SITE_URL = "http://archive.example"


def test_joining_the_queue_tells_the_place(client: Client) -> None:
    client.post("/invitations", {"email": "first@example.org"})
    response = client.post("/invitations", {"email": "second@example.org"})
    assert "You are number 2 in the queue." in response.content.decode()
    again = client.post("/invitations", {"email": "FIRST@example.org"})
    assert "You are number 1 in the queue." in again.content.decode()
    assert InviteRequest.objects.count() == 2


def test_an_address_with_an_account_is_not_queued(client: Client, author: User) -> None:
    response = client.post("/invitations", {"email": "author@example.org"})
    assert "An account already uses this address" in response.content.decode()
    assert not InviteRequest.objects.exists()


def test_sending_invites_the_first_in_line_and_the_link_signs_up(client: Client) -> None:
    for name in ("first", "second", "third"):
        client.post("/invitations", {"email": f"{name}@example.org"})
    out = StringIO()
    call_command("invitations", "--send", "2", stdout=out)
    assert "sent 2 invitation(s)" in out.getvalue()
    assert sorted(message.to[0] for message in mail.outbox) == [
        "first@example.org",
        "second@example.org",
    ]
    link = last_link("first@example.org")
    assert link.startswith("/signup?invitation=")
    token = link.split("=", 1)[1]
    password = "correct horse battery staple"
    response = client.post(
        "/signup",
        {
            "username": "first",
            "email": "first@example.org",
            "password1": password,
            "password2": password,
            "invitation": token,
        },
    )
    assert response.status_code == 302
    assert User.objects.filter(username="first").exists()
    status = StringIO()
    call_command("invitations", stdout=status)
    assert "1 address(es) waiting" in status.getvalue()


def test_an_admin_can_print_a_link_for_one_address(client: Client) -> None:
    out = StringIO()
    call_command("invitations", "--invite", "friend@example.org", stdout=out)
    assert out.getvalue().startswith("http://archive.example/signup?invitation=")
