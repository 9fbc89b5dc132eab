"""A reader in a real browser: the home page, a General work, an Explicit work behind the gate,
the next chapter, a tag page, the theme and the creator's style, on a desktop and a phone."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import PHONE
from tests.browser.corpus import Corpus, reading_corpus
from tests.works.builders import MULTI_TEXT, SINGLE_TEXT

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

Screenshot = Callable[[Page, str], Path]


@pytest.fixture
def corpus(tmp_path: Path) -> Corpus:
    return reading_corpus(tmp_path)


def test_a_reader_opens_the_home_page_and_reads_a_general_work(
    page: Page, corpus: Corpus, screenshot: Screenshot
) -> None:
    page.goto("/")
    expect(page.get_by_role("heading", name="Newest works")).to_be_visible()
    expect(page.locator("li.work.blurb")).to_have_count(7)
    screenshot(page, "home")

    page.get_by_role("link", name="The Weight of Candlesticks").click()
    expect(page).to_have_url(f"/works/{corpus.general.pk}")
    expect(page.locator("h2.title.heading")).to_have_text("The Weight of Candlesticks")
    expect(page.locator("h3.byline.heading a[rel=author]")).to_have_text("Lark (larkspur)")
    expect(page.locator("dd.rating.tags a.tag")).to_have_text("General Audiences")
    expect(page.locator("div.userstuff.module[role=article]")).to_contain_text(SINGLE_TEXT)
    screenshot(page, "work-page")


def test_an_explicit_work_is_gated_then_read_chapter_by_chapter(
    page: Page, corpus: Corpus, screenshot: Screenshot
) -> None:
    page.goto("/")
    page.get_by_role("link", name="Barricade Weather").click()
    expect(page.get_by_role("heading", name="Adult Content Warning")).to_be_visible()
    assert page.locator("[role=article]").count() == 0
    assert not any(text in page.content() for text in MULTI_TEXT)
    screenshot(page, "gate")

    page.get_by_role("link", name="Yes, Continue").click()
    expect(page.locator("#chapter-1 div.userstuff.module")).to_contain_text(MULTI_TEXT[0])
    expect(page.locator("#chapter-2")).to_have_count(0)

    page.get_by_role("link", name="Next Chapter →").first.click()
    expect(page).to_have_url(f"/works/{corpus.explicit.pk}/chapters/{corpus.second_chapter().pk}")
    expect(page.locator("#chapter-2 div.userstuff.module")).to_contain_text(MULTI_TEXT[1])
    expect(page.get_by_role("link", name="← Previous Chapter").first).to_be_visible()
    screenshot(page, "chapter")


def test_the_chapter_menu_and_the_chapter_index_reach_every_chapter(
    page: Page, corpus: Corpus
) -> None:
    page.goto(f"/works/{corpus.explicit.pk}?view_adult=true")
    page.get_by_label("Chapter", exact=True).select_option(label="2. Wednesday")
    page.get_by_role("button", name="Go").click()
    expect(page.locator("#chapter-2")).to_be_visible()
    page.get_by_role("link", name="Chapter Index").first.click()
    expect(page.locator("ol.chapter.index.group li")).to_have_count(2)
    page.get_by_role("link", name="1. Tuesday").click()
    expect(page.locator("#chapter-1")).to_contain_text(MULTI_TEXT[0])


def test_a_reader_follows_a_tag_to_its_page(
    page: Page, corpus: Corpus, screenshot: Screenshot
) -> None:
    page.goto(f"/works/{corpus.general.pk}")
    page.locator("dd.relationship.tags a.tag", has_text="Jean Valjean & Cosette").click()
    expect(page).to_have_url("/tags/Jean%20Valjean%20*a*%20Cosette/works")
    expect(page.get_by_role("heading", name="Works in Jean Valjean & Cosette")).to_be_visible()
    expect(page.locator("li.work.blurb")).to_have_count(2)
    screenshot(page, "tag")


def test_the_theme_toggle_overrides_the_system_theme_and_is_remembered(
    new_page: Callable[..., Page], corpus: Corpus, screenshot: Screenshot
) -> None:
    page = new_page(color_scheme="light")
    page.goto(f"/works/{corpus.general.pk}")
    background = "getComputedStyle(document.body).backgroundColor"
    light = page.evaluate(background)
    toggle = page.locator("#theme-toggle")
    expect(toggle).to_have_text("Theme: system")
    toggle.click()  # light
    toggle.click()  # dark
    expect(toggle).to_have_text("Theme: dark")
    dark = page.evaluate(background)
    assert dark != light
    page.reload()
    assert page.evaluate(background) == dark
    screenshot(page, "dark")


def test_the_system_dark_theme_applies_without_javascript(
    browser: object, live_server: object, corpus: Corpus
) -> None:
    from playwright.sync_api import Browser

    assert isinstance(browser, Browser)
    context = browser.new_context(
        base_url=live_server.url,  # type: ignore[attr-defined]
        color_scheme="dark",
        java_script_enabled=False,
    )
    page = context.new_page()
    page.goto(f"/works/{corpus.general.pk}")
    # Without JavaScript the toggles stay hidden, and the page still follows the system.
    expect(page.locator("#theme-toggle")).to_be_hidden()
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(22, 23, 25)"
    context.close()


def test_a_reader_can_hide_the_creators_formatting(page: Page, corpus: Corpus) -> None:
    page.goto(f"/works/{corpus.general.pk}")
    button = page.get_by_role("button", name="Hide Creator's Style")
    expect(button).to_have_attribute("aria-pressed", "false")
    button.click()
    expect(button).to_have_attribute("aria-pressed", "true")
    assert page.evaluate("document.documentElement.dataset.creatorStyle") == "hidden"
    page.reload()
    assert page.evaluate("document.documentElement.dataset.creatorStyle") == "hidden"


@pytest.mark.parametrize(
    "which", ["home", "work", "chapter", "tag", "tag-page", "profile", "fandoms", "medium"]
)
def test_pages_fit_a_360_pixel_phone_without_sideways_scrolling(
    new_page: Callable[..., Page], corpus: Corpus, screenshot: Screenshot, which: str
) -> None:
    page = new_page(viewport=PHONE)
    urls = {
        "home": "/",
        "work": f"/works/{corpus.explicit_single.pk}?view_adult=true",
        "chapter": f"/works/{corpus.explicit.pk}/chapters/{corpus.second_chapter().pk}"
        "?view_adult=true",
        "tag": "/tags/Fluff/works",
        "tag-page": "/tags/Fluff",
        "profile": "/users/nightjar",
        "fandoms": "/media",
        "medium": "/media/Books *a* Literature/fandoms",
    }
    page.goto(urls[which])
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{which} is {width} pixels wide"
    screenshot(page, f"phone-{which}")


def test_keyboard_focus_is_visible(page: Page, corpus: Corpus) -> None:
    page.goto("/")
    page.keyboard.press("Tab")
    focused = page.evaluate(
        "(() => { const e = document.activeElement; const s = getComputedStyle(e);"
        " return [e.textContent, s.outlineStyle, s.outlineWidth]; })()"
    )
    assert focused[0] == "Skip to content"
    assert focused[1] != "none" and focused[2] != "0px"
