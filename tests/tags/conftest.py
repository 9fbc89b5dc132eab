"""Helpers for the wrangling tests: tags by type and works tagged with them."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from ficarchive.accounts.models import User
from ficarchive.tags.models import Tag, TagType
from ficarchive.works.models import Work
from tests.factories import TagFactory, WorkFactory, add_tags

MakeTag = Callable[..., Tag]
MakeWork = Callable[..., Work]


@pytest.fixture
def make_tag(db: None) -> MakeTag:
    """`make_tag(name, type="freeform", canonical=False, merger=None)`."""

    def make(
        name: str, type: str = TagType.FREEFORM, canonical: bool = False, merger: Tag | None = None
    ) -> Tag:
        return TagFactory.create(name=name, type=type, canonical=canonical, merger=merger)

    return make


@pytest.fixture
def make_work(author: User) -> MakeWork:
    """`make_work(*tags, **fields)`: a posted work by `author` with these tags and its filter
    tags."""
    pseud = author.default_pseud()

    def make(*tags: Tag, **fields: object) -> Work:
        fields.setdefault("creators", [pseud])
        work = WorkFactory.create(**fields)
        add_tags(work, *tags)
        work.refresh_from_db()
        return work

    return make
