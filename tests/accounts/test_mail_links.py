"""Links in mail point at SITE_URL, whatever Host the request that sent them carried."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from django.test import Client

from ficarchive.accounts.models import User
from tests.accounts.test_signup import signup_data

pytestmark = pytest.mark.django_db

SITE = "https://archive.example.org"


@pytest.fixture(autouse=True)
def site_url(settings: Any) -> None:
    settings.SITE_URL = SITE
    settings.SITE_NAME = "The Example Archive"


def links(to: str) -> list[str]:
    bodies = [str(message.body) for message in mail.outbox if to in message.to]
    assert bodies, [message.to for message in mail.outbox]
    return re.findall(r"https?://\S+", bodies[-1])


def test_the_confirmation_link_uses_the_site_address(client: Client) -> None:
    client.post("/signup", signup_data(), HTTP_HOST="127.0.0.1")
    assert links("newwriter@example.org")[0].startswith(f"{SITE}/signup/confirm/")


def test_the_password_reset_link_uses_the_site_address(client: Client, author: User) -> None:
    client.post("/password/reset", {"email": "author@example.org"}, HTTP_HOST="127.0.0.1")
    assert links("author@example.org")[0].startswith(f"{SITE}/password/reset/")
    assert mail.outbox[-1].subject == "Reset your password on The Example Archive"
    assert "your account at The Example Archive" in str(mail.outbox[-1].body)


def test_the_address_change_link_uses_the_site_address(client: Client, author: User) -> None:
    client.force_login(author)
    client.post(
        "/account/email",
        {"email": "new@example.org", "password": "a long test passphrase"},
        HTTP_HOST="127.0.0.1",
    )
    assert links("new@example.org")[0].startswith(f"{SITE}/account/email/")
