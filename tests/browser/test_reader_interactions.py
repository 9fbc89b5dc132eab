"""Readers and creators in a real browser: kudos updating in place, blocking a reader from
their creator page, orphaning a work, and an admin hiding one."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from ficarchive.accounts.models import Block, User
from ficarchive.works.models import Work
from tests.factories import PseudFactory, UserFactory, WorkFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "a long test passphrase"  # UserFactory's


def _log_in(page: Page, login: str) -> None:
    page.goto("/login")
    page.get_by_label("Login or email address:").fill(login)
    page.get_by_label("Password:").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


@pytest.fixture
def author() -> User:
    return UserFactory.create(username="quillfeather")


@pytest.fixture
def reader() -> User:
    return UserFactory.create(username="lanternreader")


@pytest.fixture
def work(author: User) -> Work:
    pseud = PseudFactory.create(user=author, name="Moth Lantern")
    return WorkFactory.create(creators=[pseud], title="Salt Roads")


def test_a_reader_leaves_kudos_and_the_count_updates_in_place(
    page: Page, work: Work, reader: User
) -> None:
    _log_in(page, "lanternreader")
    page.goto(f"/works/{work.pk}")
    page.evaluate("window.stillHere = true")
    page.get_by_role("button", name="Kudos ♥").click()
    expect(page.locator("#kudos .kudos-message")).to_have_text("Thank you for leaving kudos!")
    expect(page.locator("#kudos .kudos-total")).to_have_text("1")
    expect(page.locator("#kudos .kudos-list")).to_have_text(
        "lanternreader left kudos on this work!"
    )
    assert page.evaluate("window.stillHere === true")  # updated in place, no page load
    page.get_by_role("button", name="Kudos ♥").click()
    expect(page.locator("#kudos .kudos-message")).to_contain_text("already left kudos")
    expect(page.locator("#kudos .kudos-total")).to_have_text("1")
    work.refresh_from_db()
    assert work.kudos_count == 1


def test_the_author_blocks_a_reader_who_then_cannot_leave_kudos(
    new_page: Callable[..., Page], work: Work, author: User, reader: User
) -> None:
    reader_page = new_page()
    _log_in(reader_page, "lanternreader")
    reader_page.goto(f"/works/{work.pk}")
    expect(reader_page.get_by_role("button", name="Kudos ♥")).to_be_visible()

    author_page = new_page()
    _log_in(author_page, "quillfeather")
    author_page.goto("/users/lanternreader/works")
    author_page.get_by_role("link", name="Block", exact=True).click()
    expect(author_page.get_by_text("can no longer")).to_be_visible()
    author_page.get_by_role("button", name="Yes, block lanternreader").click()
    expect(author_page.get_by_text("You have blocked lanternreader")).to_be_visible()
    expect(author_page.get_by_role("button", name="Unblock")).to_be_visible()
    assert Block.objects.filter(user=author, blocked=reader).exists()

    # The reader's open page still has the button: the server refuses in place.
    reader_page.get_by_role("button", name="Kudos ♥").click()
    expect(reader_page.locator("#kudos .kudos-message")).to_contain_text(
        "you have been blocked by one or more of this work's creators"
    )
    expect(reader_page.locator("#kudos .kudos-total")).to_have_text("0")
    reader_page.reload()
    expect(reader_page.get_by_role("button", name="Kudos ♥")).to_have_count(0)

    author_page.goto("/account/blocked")
    author_page.get_by_role("button", name="Unblock lanternreader").click()
    expect(author_page.get_by_text("You have not blocked anyone.")).to_be_visible()
    reader_page.reload()
    expect(reader_page.get_by_role("button", name="Kudos ♥")).to_be_visible()


def test_the_author_orphans_a_work_keeping_the_pseud_name(
    new_page: Callable[..., Page], work: Work, author: User
) -> None:
    page = new_page()
    _log_in(page, "quillfeather")
    page.goto(f"/works/{work.pk}")
    expect(page.locator("h3.byline")).to_have_text("Moth Lantern (quillfeather)")
    page.get_by_role("link", name="Orphan", exact=True).click()
    page.get_by_label("Keep my pseud name on it").check()
    page.get_by_role("button", name="Yes, orphan this work").click()
    expect(page.get_by_text("was orphaned")).to_be_visible()
    expect(page.locator("h3.byline")).to_have_text("Moth Lantern (orphan_account)")
    expect(page.get_by_role("link", name="Edit", exact=True)).to_have_count(0)

    guest = new_page()
    guest.goto(f"/works/{work.pk}")
    expect(guest.locator("h3.byline")).to_have_text("Moth Lantern (orphan_account)")
    assert "quillfeather" not in guest.content()
    hrefs = guest.locator("a").evaluate_all("links => links.map(link => link.href)")
    assert not [href for href in hrefs if "quillfeather" in href]
    guest.get_by_role("link", name="Moth Lantern (orphan_account)").click()
    expect(guest.get_by_role("link", name="Salt Roads")).to_be_visible()
    assert "quillfeather" not in guest.content()


def test_an_admin_hides_a_work_and_only_its_creator_sees_why(
    new_page: Callable[..., Page], work: Work, author: User, reader: User
) -> None:
    UserFactory.create(username="moderator", is_staff=True, is_superuser=True)
    guest = new_page()
    guest.goto("/works/search?q=salt")
    expect(guest.get_by_role("link", name="Salt Roads")).to_be_visible()

    admin_page = new_page()
    _log_in(admin_page, "moderator")
    admin_page.goto(f"/works/{work.pk}")
    admin_page.get_by_text("Hide work").click()
    admin_page.get_by_label("Reason (the creators will see it)").fill("Copied from elsewhere")
    admin_page.get_by_role("button", name="Hide this work").click()
    expect(admin_page.get_by_text("is hidden")).to_be_visible()
    expect(admin_page.get_by_role("button", name="Unhide")).to_be_visible()

    author_page = new_page()
    _log_in(author_page, "quillfeather")
    author_page.goto(f"/works/{work.pk}")
    expect(
        author_page.get_by_text("Hidden by an administrator: Copied from elsewhere")
    ).to_be_visible()
    author_page.goto("/account/works")
    expect(
        author_page.get_by_text("Hidden by an administrator: Copied from elsewhere")
    ).to_be_visible()

    reader_page = new_page()
    _log_in(reader_page, "lanternreader")
    response = reader_page.goto(f"/works/{work.pk}")
    assert response is not None and response.status == 404
    response = guest.goto(f"/works/{work.pk}")
    assert response is not None and response.status == 404
    guest.goto("/works/search?q=salt")
    expect(guest.get_by_role("link", name="Salt Roads")).to_have_count(0)
