"""A reader finds their way in a real Chromium: from the home page to a medium's fandoms, to a
fandom's works, to a tag's page and a creator's profile; a wrangler ticks a whole bin at once."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from ficarchive.accounts.models import User
from ficarchive.tags.models import TagType
from tests.browser.conftest import PHONE
from tests.browser.corpus import Corpus, reading_corpus
from tests.browser.test_wrangling import _log_in
from tests.factories import TagFactory, WorkFactory, add_tags

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

Screenshot = Callable[[Page, str], Path]


@pytest.fixture
def corpus(tmp_path: Path) -> Corpus:
    return reading_corpus(tmp_path)


def test_a_reader_goes_from_the_home_page_to_a_fandom_a_tag_and_a_profile(
    page: Page, corpus: Corpus, screenshot: Screenshot
) -> None:
    page.goto("/")
    expect(page.get_by_role("heading", name="Welcome to ficarchive")).to_be_visible()
    screenshot(page, "home")
    page.get_by_role("navigation", name="Fandoms").get_by_role(
        "link", name="Books & Literature"
    ).click()
    expect(page.get_by_role("heading", name="Books & Literature (1 fandom)")).to_be_visible()
    fandom = page.get_by_role("link", name="Les Misérables - Victor Hugo")
    # A guest's count: the works a guest may list (one of the three is restricted).
    expect(fandom.locator("xpath=..")).to_contain_text("(2)")
    fandom.click()
    heading = "Works in Les Misérables - Victor Hugo"
    expect(page.get_by_role("heading", name=heading)).to_be_visible()
    expect(page.locator("li.work.blurb")).to_have_count(2)

    page.get_by_role("link", name="About this tag").click()
    expect(page.locator("dd.status")).to_contain_text("Canonical")
    expect(page.get_by_role("link", name="Books & Literature")).to_be_visible()
    screenshot(page, "tag-page")

    page.goto("/works/" + str(corpus.explicit.pk) + "?view_adult=true")
    page.locator("h3.byline a[rel=author]").first.click()
    page.get_by_text("A pseud of").get_by_role("link", name="nightjar").click()
    expect(page.get_by_role("heading", name="nightjar", exact=True)).to_be_visible()
    expect(page.locator("ul.pseuds")).to_contain_text("Nightjar")
    screenshot(page, "profile")


def test_the_fandoms_page_on_a_phone(
    new_page: Callable[..., Page], corpus: Corpus, screenshot: Screenshot
) -> None:
    page = new_page(viewport=PHONE)
    page.goto("/media")
    expect(page.get_by_role("link", name="Books & Literature")).to_be_visible()
    screenshot(page, "phone-fandoms")
    page.goto("/works")
    expect(page.get_by_role("link", name="Filters")).to_be_visible()
    screenshot(page, "phone-listing")


def test_a_wrangler_ticks_every_tag_of_a_bin_with_one_box(
    page: Page, wrangler: User, live_server: Any
) -> None:
    fandom = TagFactory.create(name="Harbour Lights", type=TagType.FANDOM, canonical=True)
    names = ["Mira", "Okafor", "The Keeper"]
    for name in names:
        add_tags(
            WorkFactory.create(creators=[wrangler.default_pseud()]),
            fandom,
            TagFactory.create(name=name, type=TagType.CHARACTER),
        )
    _log_in(page, wrangler, live_server)
    page.goto(f"/tags/{fandom.pk}/wrangle?type=character")
    every = page.get_by_role("checkbox", name="All")
    page.get_by_role("checkbox", name="Mira").check()
    assert page.evaluate("document.getElementById('select-all').indeterminate")
    every.check()
    for name in names:
        expect(page.get_by_role("checkbox", name=name, exact=True)).to_be_checked()
    every.uncheck()
    for name in names:
        expect(page.get_by_role("checkbox", name=name, exact=True)).not_to_be_checked()
    every.check()
    page.get_by_role("button", name="Make canonical in Harbour Lights").click()
    expect(page.get_by_role("status")).to_contain_text("Wrangled 3 tags.")
    expect(page.get_by_text("Nothing left to wrangle here.")).to_be_visible()
