"""Signing up, confirming the address, and the sign-up modes."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.test import Client

from ficarchive.accounts.models import Invitation, User
from ficarchive.accounts.orphans import orphan_account
from tests.accounts.mail import last_link

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


def signup_data(**overrides: str) -> dict[str, str]:
    data = {
        "username": "newwriter",
        "email": "newwriter@example.org",
        "password1": PASSWORD,
        "password2": PASSWORD,
    }
    data.update(overrides)
    return data


def test_signing_up_makes_an_inactive_account_and_mails_a_link(client: Client) -> None:
    response = client.post("/signup", signup_data())
    assert response.status_code == 302 and response["Location"] == "/signup/done"
    user = User.objects.get(username="newwriter")
    assert not user.is_active and user.confirmed_at is None
    assert user.password.startswith("argon2")
    assert user.default_pseud().name == "newwriter"
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["newwriter@example.org"]
    assert "newwriter@example.org" in client.get("/signup/done").content.decode()


def test_the_mailed_link_confirms_the_account_once(client: Client) -> None:
    client.post("/signup", signup_data())
    link = last_link("newwriter@example.org")
    assert client.get(link).status_code == 302
    user = User.objects.get(username="newwriter")
    assert user.is_active and user.confirmed_at is not None
    assert client.get(link).status_code == 400
    assert client.login(username="newwriter", password=PASSWORD)


def test_a_tampered_link_confirms_nothing(client: Client) -> None:
    client.post("/signup", signup_data())
    link = last_link("newwriter@example.org")
    assert client.get(link[:-3] + "xyz").status_code == 400
    assert client.get("/signup/confirm/!!!/abc").status_code == 400
    assert not User.objects.get(username="newwriter").is_active


def test_logging_in_before_confirming_says_to_confirm(client: Client) -> None:
    client.post("/signup", signup_data())
    response = client.post("/login", {"username": "newwriter", "password": PASSWORD})
    assert response.status_code == 200
    assert "Please confirm your email address first" in response.content.decode()
    wrong = client.post("/login", {"username": "newwriter", "password": "not it at all"})
    assert "Please confirm" not in wrong.content.decode()


def test_the_link_can_be_sent_again(client: Client) -> None:
    client.post("/signup", signup_data())
    mail.outbox.clear()
    client.post("/signup/resend", {"email": "NewWriter@example.org"})
    assert len(mail.outbox) == 1
    client.get(last_link("newwriter@example.org"))
    assert User.objects.get(username="newwriter").is_active
    # For an unknown or confirmed address, the same answer and no mail.
    mail.outbox.clear()
    response = client.post("/signup/resend", {"email": "nobody@example.org"}, follow=True)
    assert "If an account with that address" in response.content.decode()
    assert not mail.outbox


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"username": "ab"}, "at least 3 characters"),
        ({"username": "has space"}, "A login uses letters"),
        ({"username": "orphan_account"}, "That login is reserved"),
        ({"username": "author"}, "That login is already taken"),
        ({"username": "AUTHOR"}, "That login is already taken"),
        ({"email": "author@example.org"}, "An account already uses this address"),
        ({"email": "not an address"}, "Enter a valid email address"),
        ({"password1": "short", "password2": "short"}, "too short"),
        ({"password1": "12345678901", "password2": "12345678901"}, "entirely numeric"),
        ({"password2": "something else entirely"}, "didn’t match"),
    ],
)
def test_a_refused_sign_up_says_why(
    client: Client, author: User, overrides: dict[str, str], message: str
) -> None:
    response = client.post("/signup", signup_data(**overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not User.objects.filter(email="newwriter@example.org").exists()


def test_the_orphan_account_login_cannot_be_taken_even_before_it_exists(client: Client) -> None:
    client.post("/signup", signup_data(username="Orphan_Account"))
    assert not User.objects.filter(username__iexact="orphan_account").exists()
    assert orphan_account().has_usable_password() is False


def test_closed_sign_up_refuses_politely(client: Client, settings: Any) -> None:
    settings.ACCOUNT_SIGNUP = "closed"
    response = client.post("/signup", signup_data())
    assert response.status_code == 403
    assert "Sign-up is closed" in response.content.decode()
    assert not User.objects.filter(username="newwriter").exists()


def test_invite_mode_needs_an_invitation_that_works_once(client: Client, settings: Any) -> None:
    settings.ACCOUNT_SIGNUP = "invite"
    assert client.get("/signup")["Location"] == "/invitations"
    client.post("/signup", signup_data())
    assert not User.objects.exists()
    invitation = Invitation.objects.create(token="t0ken-for-test", email="newwriter@example.org")
    page = client.get("/signup?invitation=t0ken-for-test").content.decode()
    assert 'value="newwriter@example.org"' in page
    response = client.post("/signup", {**signup_data(), "invitation": "t0ken-for-test"})
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.used_by == User.objects.get(username="newwriter")
    again = client.post(
        "/signup",
        {**signup_data(username="second", email="b@example.org"), "invitation": "t0ken-for-test"},
    )
    assert again["Location"] == "/invitations"
    assert not User.objects.filter(username="second").exists()


def test_the_header_offers_sign_up_or_an_invitation(client: Client, settings: Any) -> None:
    assert 'href="/signup"' in client.get("/login").content.decode()
    settings.ACCOUNT_SIGNUP = "invite"
    page = client.get("/login").content.decode()
    assert 'href="/invitations"' in page and 'href="/signup"' not in page
