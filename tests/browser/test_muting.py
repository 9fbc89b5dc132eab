"""Muting in a real browser: a reader mutes a user and a tag, their listings lose those works
with a line saying how many, and one click shows them once."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from ficarchive.accounts.models import User
from ficarchive.tags.models import TagType
from tests.browser.test_posting import _axe_blocking
from tests.factories import TagFactory, UserFactory, WorkFactory, add_tags

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "correct horse battery staple"


def _titles(page: Page) -> list[str]:
    return page.locator("li.work.blurb h4.heading > a:first-child").all_inner_texts()


@pytest.fixture
def reader() -> User:
    fandom = TagFactory.create(name="Harbour Lights", type=TagType.FANDOM, canonical=True)
    angst = TagFactory.create(name="Angst", type=TagType.FREEFORM, canonical=True)
    loud = UserFactory.create(username="loudwriter")
    calm = UserFactory.create(username="calmwriter")
    add_tags(WorkFactory.create(title="A Loud Work", creators=[loud.default_pseud()]), fandom)
    add_tags(WorkFactory.create(title="A Sad Work", creators=[calm.default_pseud()]), angst)
    add_tags(WorkFactory.create(title="A Calm Work", creators=[calm.default_pseud()]), fandom)
    reader = UserFactory.create(username="muter")
    reader.set_password(PASSWORD)
    reader.save()
    return reader


def _log_in(page: Page, login: str) -> None:
    page.goto("/login")
    page.get_by_label("Login or email address:").fill(login)
    page.get_by_label("Password:").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def test_a_reader_mutes_a_user_and_a_tag_and_shows_them_once(
    page: Page, reader: User, screenshot: Callable[[Page, str], Path]
) -> None:
    _log_in(page, "muter")
    page.goto("/")
    assert sorted(_titles(page)) == ["A Calm Work", "A Loud Work", "A Sad Work"]

    page.goto("/users/loudwriter/works")
    page.get_by_role("button", name="Mute loudwriter").click()
    expect(page.get_by_role("button", name="Unmute loudwriter")).to_be_visible()

    page.goto("/tags/Angst/works")
    page.get_by_role("button", name="Mute this tag").click()
    expect(page.get_by_role("button", name="Unmute this tag")).to_be_visible()

    page.goto("/")
    assert _titles(page) == ["A Calm Work"]
    expect(page.locator("p.listing-count")).to_contain_text("1 – 1 of 1 work")
    notice = page.locator("p.reader-hidden")
    expect(notice).to_contain_text("hid 2 works here")
    screenshot(page, "muted")
    notice.get_by_role("link", name="Show them this once").click()
    assert sorted(_titles(page)) == ["A Calm Work", "A Loud Work", "A Sad Work"]
    page.get_by_role("link", name="Hide them again").click()
    assert _titles(page) == ["A Calm Work"]

    # The filters page lists the muted tag and unmutes it.
    page.goto("/account/filters")
    page.get_by_role("button", name="Unmute Angst").click()
    page.goto("/")
    assert sorted(_titles(page)) == ["A Calm Work", "A Sad Work"]
    # And a search finds no work of the muted user either.
    page.get_by_role("search", name="Site").get_by_role("searchbox").fill("work")
    page.get_by_role("search", name="Site").get_by_role("button", name="Search").click()
    expect(page.locator("p.listing-count")).to_contain_text("of 2 works")
    assert "A Loud Work" not in _titles(page)


def test_the_reader_control_pages_pass_axe(page: Page, reader: User, axe_source: str) -> None:
    _log_in(page, "muter")
    page.goto("/users/loudwriter/works")
    page.get_by_role("button", name="Mute loudwriter").click()
    blocking = {}
    for url in ("/", "/account/filters", "/account/muted", "/users/loudwriter/works"):
        page.goto(url)
        blocking[url] = _axe_blocking(page, axe_source)
    assert not any(blocking.values()), blocking


def test_a_reader_sets_complete_only_as_a_default_filter(page: Page, reader: User) -> None:
    WorkFactory.create(title="An Unfinished Work", complete=False)
    _log_in(page, "muter")
    page.goto("/account/filters")
    page.get_by_label("Show complete works only, unless I ask for others").check()
    page.get_by_role("button", name="Save default filters").click()
    expect(page.get_by_text("Your default filters were saved.")).to_be_visible()
    page.goto("/")
    assert "An Unfinished Work" not in _titles(page)
    expect(page.locator("p.reader-hidden")).to_contain_text("hid 1 work here")
