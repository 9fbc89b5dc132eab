"""Personal access tokens: the settings page makes one (shown once, kept as a digest), lists and
revokes them, and the OPDS catalogue takes a live one as `Authorization: Bearer`."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from ficarchive.accounts.apitokens import api_token_create, token_digest, user_for_token
from ficarchive.accounts.models import API_TOKENS_MAX, ApiToken, TokenScope, User
from tests.factories import WorkFactory

pytestmark = pytest.mark.django_db


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_settings_page_makes_a_token_and_shows_it_once(author: User) -> None:
    client = _client(author)
    response = client.post("/account/tokens", {"name": "My  e-reader", "scope": "read"})
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    html = response.content.decode()
    token = re.search(r'<code class="token">(fa_[\w-]+)</code>', html)
    assert token is not None
    row = ApiToken.objects.get(user=author)
    assert row.name == "My e-reader"
    assert row.token_hash == token_digest(token.group(1))
    assert token.group(1) not in row.token_hash
    listing = client.get("/account/tokens").content.decode()
    assert token.group(1) not in listing
    assert row.prefix in listing and "My e-reader" in listing


def test_the_settings_page_needs_a_login() -> None:
    response = Client().get("/account/tokens")
    assert response.status_code == 302
    assert "/login" in response["Location"]


def test_a_token_is_refused_past_the_limit(author: User) -> None:
    for number in range(API_TOKENS_MAX):
        api_token_create(author, f"token {number}")
    response = _client(author).post("/account/tokens", {"name": "one more", "scope": "read"})
    assert f"at most {API_TOKENS_MAX} tokens" in response.content.decode()
    assert ApiToken.objects.filter(user=author).count() == API_TOKENS_MAX


def test_a_bad_form_keeps_the_name_and_says_why(author: User) -> None:
    response = _client(author).post("/account/tokens", {"name": "kept name", "scope": "admin"})
    html = response.content.decode()
    assert "kept name" in html
    assert "Select a valid choice" in html
    assert not ApiToken.objects.exists()


def test_the_catalogue_takes_a_live_token_and_refuses_a_revoked_one(author: User) -> None:
    WorkFactory.create(title="Members only", restricted=True)
    row, token = api_token_create(author, "reader app")
    headers = {"Authorization": f"Bearer {token}"}
    response = Client().get("/opds/new", headers=headers)
    assert response.status_code == 200
    assert b"Members only" in response.content
    row.refresh_from_db()
    assert row.last_used_at is not None

    revoked = _client(author).post(f"/account/tokens/{row.pk}/revoke")
    assert revoked.status_code == 302
    response = Client().get("/opds/new", headers=headers)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert b"Members only" not in response.content
    assert (
        Client().get("/opds/new", headers={"Authorization": "Bearer fa_wrong"}).status_code == 401
    )


def test_nobody_revokes_another_users_token(author: User, other_user: User) -> None:
    row, token = api_token_create(author, "mine")
    response = _client(other_user).post(f"/account/tokens/{row.pk}/revoke", follow=True)
    assert "no such token" in response.content.decode()
    assert user_for_token(token) == author


def test_a_read_token_does_not_write_and_an_inactive_users_token_does_not_sign_in(
    author: User,
) -> None:
    _row, read = api_token_create(author, "read", TokenScope.READ)
    _row, write = api_token_create(author, "write", TokenScope.WRITE)
    assert user_for_token(read, TokenScope.WRITE) is None
    assert user_for_token(write, TokenScope.WRITE) == author
    author.is_active = False
    author.save()
    assert user_for_token(read) is None
