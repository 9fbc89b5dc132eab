"""The reader's library in a real browser: series navigation from part to part, subscribing
in place with htmx, history with "continue reading", and axe-core on the new pages."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from ficarchive.works.series import SeriesFields, series_add_work, series_create
from tests.browser.test_comments import _log_in
from tests.browser.test_posting import _axe_blocking
from tests.factories import UserFactory, WorkFactory, add_chapter

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_series_subscribe_and_history(page: Page, axe_source: str) -> None:
    author = UserFactory.create(username="seriesauthor")
    UserFactory.create(username="libraryreader")
    series = series_create(author, SeriesFields(title="The Beacon Cycle", summary="Three nights."))
    works = [
        WorkFactory.create(title=title, creators=[author.default_pseud()])
        for title in ("First Beacon", "Second Beacon")
    ]
    for work in works:
        series_add_work(series, work, author)
    add_chapter(works[1], "The second night, continued.", title="Later")

    _log_in(page, "libraryreader")
    page.goto(f"/works/{works[0].pk}")
    expect(page.locator(".series-navigation")).to_contain_text("Part 1 of The Beacon Cycle")
    page.get_by_role("link", name="Next Work: Second Beacon →").click()
    expect(page.get_by_role("heading", name="Second Beacon")).to_be_visible()
    # Subscribing in place (htmx swaps the button).
    page.locator(f"#subscribe-work-{works[1].pk}").get_by_role("button", name="Subscribe").click()
    expect(page.locator(".subscription-message")).to_contain_text("You are now subscribed")
    expect(page.get_by_role("button", name="Unsubscribe")).to_be_visible()
    # History: the second chapter read, then "continue reading" from the history page.
    chapter = works[1].chapters.order_by("position").last()
    assert chapter is not None
    page.goto(f"/works/{works[1].pk}/chapters/{chapter.pk}")
    page.goto("/account/history")
    page.get_by_role("link", name="Continue reading: Chapter 2").first.click()
    expect(page).to_have_url(f"/works/{works[1].pk}/chapters/{chapter.pk}")

    blocking = {}
    for url in [
        f"/series/{series.pk}",
        f"/users/{author.username}/series",
        "/account/subscriptions",
        "/account/history",
        "/account/later",
        "/inbox/updates",
        f"/works/{works[1].pk}",
    ]:
        page.goto(url)
        blocking[url] = _axe_blocking(page, axe_source)
    assert all(not problems for problems in blocking.values()), blocking
