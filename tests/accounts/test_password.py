"""Resetting a forgotten password by mail, and changing it."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client

from ficarchive.accounts.models import User
from tests.accounts.mail import last_link

pytestmark = pytest.mark.django_db

NEW = "a brand new passphrase"


def test_a_reset_link_sets_a_new_password(client: Client, author: User) -> None:
    response = client.post("/password/reset", {"email": "author@example.org"})
    assert response["Location"] == "/password/reset/sent"
    link = last_link("author@example.org")
    form = client.get(link, follow=True)
    assert "Choose a new password" in form.content.decode()
    done = client.post(form.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW})
    assert done["Location"] == "/password/reset/done"
    assert Client().login(username="author", password=NEW)


def test_no_mail_for_an_unknown_address_and_the_same_answer(client: Client) -> None:
    response = client.post("/password/reset", {"email": "nobody@example.org"})
    assert response["Location"] == "/password/reset/sent"
    assert not mail.outbox


def test_changing_the_password_needs_the_old_one(client: Client, author: User) -> None:
    client.force_login(author)
    wrong = client.post(
        "/account/password",
        {"old_password": "wrong", "new_password1": NEW, "new_password2": NEW},
    )
    assert "Your old password was entered incorrectly" in wrong.content.decode()
    right = client.post(
        "/account/password",
        {"old_password": "a long test passphrase", "new_password1": NEW, "new_password2": NEW},
    )
    assert right.status_code == 302
    assert Client().login(username="author", password=NEW)
    # The session that changed it stays logged in.
    assert client.get("/account").status_code == 200
