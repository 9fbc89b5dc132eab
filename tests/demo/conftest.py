"""Fixtures for the demo generator's tests: a corpus large enough for its shares to settle."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.management import call_command
from django.db import transaction

CORPUS_WORKS = 2000
CORPUS_BODY_WORDS = 150


@pytest.fixture
def corpus_body_words() -> int:
    """The cap on words of prose per chapter in the `corpus` fixture."""
    return CORPUS_BODY_WORDS


@pytest.fixture(scope="module")
def corpus(django_db_setup: None, django_db_blocker: object) -> Iterator[int]:
    """A demo corpus of 2,000 works with short bodies, made once for a module's tests (each
    used to make its own: most of the suite's time on PostgreSQL); returns the number of works.

    It is made in a transaction that is rolled back after the module's last test, and each
    test (marked django_db, so that pytest-django sets the test database up) runs in a
    savepoint inside it, so no test sees another's changes and nothing is left for the next
    module.
    """
    with django_db_blocker.unblock(), transaction.atomic():  # type: ignore[attr-defined]
        call_command("demo", works=CORPUS_WORKS, body_words=CORPUS_BODY_WORDS, verbosity=0)
        yield CORPUS_WORKS
        transaction.set_rollback(True)
