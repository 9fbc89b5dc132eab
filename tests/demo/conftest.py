"""Fixtures for the demo generator's tests: a corpus large enough for its shares to settle."""

from __future__ import annotations

import pytest
from django.core.management import call_command


@pytest.fixture
def corpus_body_words() -> int:
    """The cap on words of prose per chapter in the `corpus` fixture."""
    return 150


@pytest.fixture
def corpus(db: None, corpus_body_words: int) -> int:
    """A demo corpus of 2,000 works with short bodies; returns the number of works."""
    works = 2000
    call_command("demo", works=works, body_words=corpus_body_words, verbosity=0)
    return works
