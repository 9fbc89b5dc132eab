"""Listings on a phone and a desktop: a "Filters" button at the top of the results that opens
the filters above them on a phone, and page links above and below the works."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, ViewportSize, expect

from ficarchive.search.query import PER_PAGE
from tests.browser.conftest import DESKTOP
from tests.factories import WorkFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PHONE_390: ViewportSize = {"width": 390, "height": 844}


@pytest.fixture
def many_works() -> None:
    for number in range(PER_PAGE + 1):
        WorkFactory.create(title=f"Listed Work {number}", summary="A short summary.")


def test_on_a_phone_the_filters_open_from_a_button_at_the_top(
    new_page: Callable[..., Page], many_works: None
) -> None:
    page = new_page(viewport=PHONE_390)
    page.goto("/")
    filters = page.locator("aside.listing-filters")
    expect(filters).to_be_hidden()
    button = page.get_by_role("link", name="Filters", exact=True)
    expect(button).to_be_visible()
    box = button.bounding_box()
    assert box is not None and box["y"] < PHONE_390["height"]  # on the first screen
    button.click()
    expect(filters).to_be_visible()
    # The filters open above the results, not under all of them.
    first_blurb = page.locator("li.work.blurb").first
    assert filters.evaluate("node => node.offsetTop") < first_blurb.evaluate(
        "node => node.offsetTop"
    )
    page.get_by_label("Sort by").select_option("title")
    page.get_by_role("button", name="Sort and Filter").first.click()
    expect(page.locator("li.work.blurb h4 a").first).to_have_text("Listed Work 0")
    page.get_by_role("link", name="Filters", exact=True).click()
    page.get_by_role("link", name="Close filters").click()
    expect(filters).to_be_hidden()


def test_on_a_desktop_the_filters_stand_beside_the_results(
    new_page: Callable[..., Page], many_works: None
) -> None:
    page = new_page(viewport=DESKTOP)
    page.goto("/")
    expect(page.locator("aside.listing-filters")).to_be_visible()
    expect(page.get_by_role("link", name="Filters", exact=True)).to_be_hidden()
    expect(page.get_by_role("link", name="Close filters")).to_be_hidden()


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE_390], ids=["desktop", "phone"])
def test_page_links_are_above_and_below_the_works(
    new_page: Callable[..., Page], many_works: None, viewport: ViewportSize
) -> None:
    page = new_page(viewport=viewport)
    page.goto("/")
    top = page.get_by_role("navigation", name="Pages, top")
    bottom = page.get_by_role("navigation", name="Pages", exact=True)
    expect(top).to_be_visible()
    expect(bottom).to_be_visible()
    blurbs = page.locator("li.work.blurb")
    assert top.evaluate("node => node.getBoundingClientRect().top") < blurbs.first.evaluate(
        "node => node.getBoundingClientRect().top"
    )
    assert bottom.evaluate("node => node.getBoundingClientRect().top") > blurbs.last.evaluate(
        "node => node.getBoundingClientRect().top"
    )
    top.get_by_role("link", name="Next →").click()
    expect(page.locator("li.work.blurb")).to_have_count(1)
