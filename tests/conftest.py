"""The standard cast every permission test names: who is looking."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser, Group

from ficarchive.accounts.models import User
from tests.factories import UserFactory


@pytest.fixture
def author(db: None) -> User:
    return UserFactory(username="author")


@pytest.fixture
def other_user(db: None) -> User:
    return UserFactory(username="reader")


@pytest.fixture
def guest() -> AnonymousUser:
    return AnonymousUser()


@pytest.fixture
def wrangler(db: None) -> User:
    user = UserFactory(username="wrangler")
    group, _ = Group.objects.get_or_create(name="wranglers")
    user.groups.add(group)
    return user


@pytest.fixture
def admin(db: None) -> User:
    return UserFactory(username="admin", is_staff=True, is_superuser=True)
