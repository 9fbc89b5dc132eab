"""Searching in a real browser: the search box, the filter sidebar updating the results in
place (htmx), and the same form working without JavaScript."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import DESKTOP
from tests.browser.corpus import Corpus, reading_corpus

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def corpus(tmp_path: Path) -> Corpus:
    return reading_corpus(tmp_path)


def _titles(page: Page) -> list[str]:
    return page.locator("li.work.blurb h4.heading > a:first-child").all_inner_texts()


def test_a_reader_searches_and_narrows_the_results_in_place(
    page: Page, corpus: Corpus, screenshot: Callable[[Page, str], Path]
) -> None:
    page.goto("/")
    page.get_by_role("search", name="Site").get_by_role("searchbox").fill("candlesticks")
    page.get_by_role("search", name="Site").get_by_role("button", name="Search").click()
    expect(page.locator("p.listing-count")).to_contain_text("of 2 works")
    assert sorted(_titles(page)) == ["The Weight of Candlesticks", "The Weight of Snow"]
    # Mark this document: an update in place keeps it, a full page load would not.
    page.evaluate("window.stillHere = true")
    filters = page.get_by_role("complementary", name="Filters")
    include = filters.get_by_role("group", name="Include")
    expect(include.locator("details.facet.rating")).to_have_attribute("open", "")
    include.get_by_label("General Audiences (1)").check()
    filters.get_by_role("button", name="Sort and Filter").first.click()
    expect(page.locator("p.listing-count")).to_contain_text("of 1 work")
    assert _titles(page) == ["The Weight of Candlesticks"]
    assert page.evaluate("window.stillHere === true")
    assert "include=" in page.url  # the filtered address can be shared and reloaded
    screenshot(page, "filtered")
    page.reload()
    assert _titles(page) == ["The Weight of Candlesticks"]


def test_the_sidebar_works_without_javascript(
    browser: Browser, live_server: Any, corpus: Corpus
) -> None:
    context = browser.new_context(
        base_url=live_server.url, viewport=DESKTOP, java_script_enabled=False
    )
    try:
        page = context.new_page()
        page.goto("/works/search?q=candlesticks")
        filters = page.get_by_role("complementary", name="Filters")
        exclude = filters.get_by_role("group", name="Exclude")
        exclude.locator("details.facet.rating summary").click()
        exclude.get_by_label("General Audiences (1)").check()
        filters.get_by_role("button", name="Sort and Filter").first.click()
        expect(page.locator("p.listing-count")).to_contain_text("of 1 work")
        assert _titles(page) == ["The Weight of Snow"]
        assert "exclude=" in page.url
    finally:
        context.close()
