"""Bookmarks in a real browser: bookmarking a work from its page, the message for notes that
are too long (the text stays), the user's bookmarks page with its filters, and axe-core on
the new pages."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from ficarchive.social.bookmarks import BookmarkFields, bookmark_create
from ficarchive.social.models import Bookmark
from ficarchive.works.models import SerialWork, Series
from tests.browser.test_comments import _log_in
from tests.browser.test_posting import _axe_blocking
from tests.factories import UserFactory, WorkFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_bookmarking_a_work_and_the_users_bookmarks(page: Page, axe_source: str) -> None:
    author = UserFactory.create(username="bookauthor")
    reader = UserFactory.create(username="bookreader")
    work = WorkFactory.create(title="The Harbour Light", creators=[author.default_pseud()])
    other = WorkFactory.create(title="The Inland Road", creators=[author.default_pseud()])
    series = Series.objects.create(title="Harbour Tales")
    SerialWork.objects.create(series=series, work=other, position=1)
    bookmark_create(reader, series, BookmarkFields(pseud=reader.default_pseud(), rec=True))

    _log_in(page, "bookreader")
    page.goto(f"/works/{work.pk}")
    expect(page.locator("#bookmarks")).to_contain_text("Bookmarks (0)")
    page.locator("#bookmarks").get_by_role("link", name="Bookmark").click()
    notes = page.get_by_label("Notes")
    notes.fill("x" * 5001)
    page.get_by_label("Your tags").fill("harbours, night reading")
    page.get_by_role("button", name="Create bookmark").click()
    expect(page.get_by_text("at most 5,000 characters")).to_be_visible()
    # The text stayed in the form.
    expect(page.get_by_label("Your tags")).to_have_value("harbours, night reading")
    notes = page.get_by_label("Notes")
    notes.fill("A lighthouse keeper's <em>quiet</em> story.")
    page.get_by_label("Rec (recommend it to others)").check()
    page.get_by_role("button", name="Create bookmark").click()
    expect(page.get_by_text("Your bookmark was saved.")).to_be_visible()
    bookmark = Bookmark.objects.get(work=work)
    expect(page.locator(f"#bookmark_{bookmark.pk}")).to_contain_text("The Harbour Light")
    expect(page.locator(f"#bookmark_{bookmark.pk} .notes em")).to_have_text("quiet")

    page.goto(f"/works/{work.pk}")
    expect(page.locator("#bookmarks")).to_contain_text("Bookmarks (1)")
    page.goto("/users/bookreader/bookmarks")
    expect(page.get_by_role("heading", name="2 Bookmarks by bookreader")).to_be_visible()
    page.get_by_label("Bookmarker's tags").fill("harbours")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_role("heading", name="1 Bookmarks by bookreader")).to_be_visible()
    expect(page.locator(".bookmark.blurb")).to_contain_text("The Harbour Light")

    blocking = {}
    for url in [
        "/users/bookreader/bookmarks",
        f"/works/{work.pk}/bookmarks",
        f"/series/{series.pk}/bookmarks",
        f"/bookmarks/{bookmark.pk}/edit",
        f"/bookmarks/{bookmark.pk}/delete",
        "/bookmarks/external/new",
        "/tags/harbours/bookmarks",
        f"/works/{work.pk}",
    ]:
        page.goto(url)
        blocking[url] = _axe_blocking(page, axe_source)
    assert all(not problems for problems in blocking.values()), blocking
