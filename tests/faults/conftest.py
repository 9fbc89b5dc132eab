"""The fault suite: the real `ficarchive serve` and its processes, with a process killed, a
service stopped or the disk full under a load loop (docs/security.md, "The fault suite")."""

from __future__ import annotations

import pytest

from ficarchive.accounts.models import User
from tests.factories import UserFactory, WorkFactory
from tests.faults.archive import PASSWORD


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/faults/" in str(item.path).replace("\\\\", "/"):
            item.add_marker(pytest.mark.faults)


@pytest.fixture
def cast() -> tuple[list[User], list[int]]:
    """Three writers who can log in, and works by someone else for them to read and kudos."""
    writers = [UserFactory.create(password=PASSWORD) for _ in range(3)]
    works = [WorkFactory.create(text="Words to read under load.").pk for _ in range(4)]
    return writers, works
