"""The standard cast every permission test names: who is looking."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser, Group

from ficarchive.accounts.models import User
from tests.factories import UserFactory


def make_user(username: str, **fields: object) -> User:
    return UserFactory.create(username=username, **fields)


@pytest.fixture
def author(db: None) -> User:
    return make_user("author")


@pytest.fixture
def other_user(db: None) -> User:
    return make_user("reader")


@pytest.fixture
def guest() -> AnonymousUser:
    return AnonymousUser()


@pytest.fixture
def wrangler(db: None) -> User:
    user = make_user("wrangler")
    group, _ = Group.objects.get_or_create(name="wranglers")
    user.groups.add(group)
    return user


@pytest.fixture
def admin(db: None) -> User:
    return make_user("admin", is_staff=True, is_superuser=True)
