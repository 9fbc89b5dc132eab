"""Changing the address: it changes only when a link mailed to the new one is followed."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client

from ficarchive.accounts.models import User
from tests.accounts.mail import last_link

pytestmark = pytest.mark.django_db


def test_the_address_changes_when_the_link_is_followed(
    client: Client, author: User, django_capture_on_commit_callbacks: object
) -> None:
    client.force_login(author)
    client.post(
        "/account/email", {"email": "new@example.org", "password": "a long test passphrase"}
    )
    author.refresh_from_db()
    assert author.email == "author@example.org"
    link = last_link("new@example.org")
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        assert client.get(link).status_code == 302
    author.refresh_from_db()
    assert author.email == "new@example.org"
    # The old address is told.
    assert any(message.to == ["author@example.org"] for message in mail.outbox)
    # The link works once: the address it came from has changed.
    assert client.get(link).status_code == 400


def test_the_password_is_needed_and_the_address_must_be_free(
    client: Client, author: User, other_user: User
) -> None:
    client.force_login(author)
    wrong = client.post("/account/email", {"email": "new@example.org", "password": "nope"})
    assert "That is not your password." in wrong.content.decode()
    taken = client.post(
        "/account/email", {"email": "READER@example.org", "password": "a long test passphrase"}
    )
    assert "Another account uses that address." in taken.content.decode()
    assert not mail.outbox


def test_a_forged_link_changes_nothing(client: Client, author: User) -> None:
    response = client.get("/account/email/forged-token")
    assert response.status_code == 400
    assert "not valid any more" in response.content.decode()
