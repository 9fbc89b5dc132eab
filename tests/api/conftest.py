"""Clients of the API: a guest, and readers signed in with personal access tokens."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from ficarchive.accounts.apitokens import api_token_create
from ficarchive.accounts.models import TokenScope, User


class ApiClient:
    """A test client that speaks JSON to /api/v1 with a token (or none, as a guest)."""

    def __init__(self, token: str | None = None) -> None:
        self.client = Client()
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    def get(self, path: str, **headers: str) -> Any:
        return self.client.get(f"/api/v1{path}", headers={**self.headers, **headers})

    def send(self, method: str, path: str, body: Any = None, **headers: str) -> Any:
        import json

        data = body if isinstance(body, str | bytes) else json.dumps(body)
        call = getattr(self.client, method.lower())
        return call(
            f"/api/v1{path}",
            data=data,
            content_type="application/json",
            headers={**self.headers, **headers},
        )


def token_for(user: User, scope: str = TokenScope.READ) -> str:
    return api_token_create(user, f"test {scope}", scope)[1]


@pytest.fixture
def api() -> ApiClient:
    return ApiClient()


@pytest.fixture
def reader_api(other_user: User) -> ApiClient:
    return ApiClient(token_for(other_user, TokenScope.WRITE))


@pytest.fixture
def author_api(author: User) -> ApiClient:
    return ApiClient(token_for(author, TokenScope.WRITE))
