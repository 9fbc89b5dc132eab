"""What a reader and a writer see, at 1280 px and on a 390 px phone: every checkbox and radio
before its label on a line of its own (big enough for a finger on a phone), hidden warnings
that hide their square too, two different squares for "no warning given" and "No Archive
Warnings Apply", and statistics whose labels never wrap apart from their values."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, ViewportSize, expect

from ficarchive.accounts.models import Preference
from ficarchive.works.models import Work
from tests.browser.conftest import DESKTOP
from tests.factories import UserFactory, WorkFactory, add_tags, fixed_tag

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "a long test passphrase"  # UserFactory's
PHONE_390: ViewportSize = {"width": 390, "height": 844}
WIDTHS = pytest.mark.parametrize("viewport", [DESKTOP, PHONE_390], ids=["desktop", "phone"])


def _log_in(page: Page, login: str) -> None:
    page.goto("/login")
    page.get_by_label("Login or email address:").fill(login)
    page.get_by_label("Password:").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


# Each visible checkbox and radio of a form with the box of its label (a `for` label, or the
# label around it).
CHOICES_JS = """form => [...form.querySelectorAll('input[type=checkbox], input[type=radio]')]
  .filter(input => input.offsetParent !== null)
  .map(input => {
    const label = input.closest('label') || form.querySelector(`label[for="${input.id}"]`);
    const box = input.getBoundingClientRect();
    const range = document.createRange();
    range.selectNodeContents(label);
    if (label.contains(input)) range.setStartAfter(input);
    const text = range.getBoundingClientRect();
    return {name: label.textContent.trim(), box: [box.left, box.top, box.width, box.height],
            text: [text.left, text.top, text.width, text.height]};
  })"""


def _check_choices(page: Page, form_selector: str, phone: bool) -> list[str]:
    choices: list[dict[str, Any]] = page.locator(form_selector).first.evaluate(CHOICES_JS)
    assert choices, f"no checkboxes in {form_selector}"
    problems = []
    for index, choice in enumerate(choices):
        left, top, width, height = choice["box"]
        text_left, text_top, _, text_height = choice["text"]
        if left + width > text_left:
            problems.append(f"{choice['name']}: the box is not before its label")
        if abs((top + height / 2) - (text_top + text_height / 2)) > max(height, text_height) / 2:
            problems.append(f"{choice['name']}: the box and its label are not on one line")
        for other in choices[index + 1 :]:
            other_top, other_height = other["box"][1], other["box"][3]
            if other_top < top + height and top < other_top + other_height:
                problems.append(f"{choice['name']} and {other['name']} share a line")
        if phone and (width < 24 or height < 24):
            problems.append(f"{choice['name']}: the box is {width}x{height} px on a phone")
    return problems


@WIDTHS
def test_every_checkbox_and_radio_comes_before_its_label_on_its_own_line(
    new_page: Callable[..., Page], viewport: ViewportSize
) -> None:
    UserFactory.create(username="boxwriter")
    page = new_page(viewport=viewport)
    _log_in(page, "boxwriter")
    phone = viewport["width"] < 600
    problems = {}
    for url, form in [
        ("/works/new", "form.posting"),
        ("/account/preferences", "form.preferences"),
        ("/account/delete", "main form"),
    ]:
        page.goto(url)
        problems[url] = _check_choices(page, form, phone)
    assert not any(problems.values()), problems
    # The choices that were misread on the posting form each own their box.
    page.goto("/works/new")
    page.get_by_label("Only show this work to logged-in users").check()
    assert page.get_by_label("Only show this work to logged-in users").is_checked()
    assert not page.get_by_label("Post anonymously (the byline says Anonymous)").is_checked()


def _warned_work(title: str, *warnings: str) -> Work:
    work = WorkFactory.create(title=title)
    add_tags(work, *[fixed_tag(name) for name in warnings])
    return work


@WIDTHS
def test_hidden_warnings_hide_the_square_its_tooltip_and_its_text_until_shown(
    new_page: Callable[..., Page], viewport: ViewportSize
) -> None:
    reader = UserFactory.create(username="sparedreader")
    Preference.objects.create(user=reader, hide_warnings=True)
    work = _warned_work("Quiet Harbour", "Major Character Death")
    page = new_page(viewport=viewport)
    _log_in(page, "sparedreader")
    page.goto("/")
    blurb = page.locator(f"li#work_{work.pk}")
    expect(blurb.get_by_role("heading", name="Quiet Harbour")).to_be_visible()
    # Nothing a sighted reader, a mouse or a screen reader meets names the warning.
    expect(blurb.locator(".symbol.warnings")).to_be_hidden()
    assert "Major Character Death" not in blurb.aria_snapshot()
    titles = blurb.locator("[title]").evaluate_all(
        "nodes => nodes.filter(node => node.offsetParent !== null).map(node => node.title)"
    )
    assert titles and not [title for title in titles if "Death" in title], titles
    square = blurb.locator(".symbol.warning-hidden")
    expect(square).to_be_visible()
    expect(square).to_have_attribute("title", "Warnings hidden")

    blurb.get_by_text("Show warnings").click()
    expect(blurb.locator(".symbol.warnings")).to_be_visible()
    expect(blurb.locator(".symbol.warnings")).to_have_attribute("title", "Major Character Death")
    expect(square).to_be_hidden()
    assert "Major Character Death" in blurb.aria_snapshot()

    # A reader who hides nothing sees the square as it is.
    guest = new_page(viewport=viewport)
    guest.goto("/")
    expect(guest.locator(f"li#work_{work.pk} .symbol.warnings")).to_be_visible()
    expect(guest.locator(f"li#work_{work.pk} .symbol.warning-hidden")).to_be_hidden()


SQUARE_JS = """node => {
  const style = getComputedStyle(node);
  return {glyph: node.querySelector('.glyph').textContent, background: style.backgroundColor,
          outline: style.outlineStyle, title: node.title};
}"""


@WIDTHS
def test_no_warning_given_and_no_warnings_apply_have_different_squares(
    new_page: Callable[..., Page], viewport: ViewportSize
) -> None:
    none_apply = _warned_work("Calm Waters", "No Archive Warnings Apply")
    not_given = WorkFactory.create(title="Unlabelled Waters")
    page = new_page(viewport=viewport)
    page.goto("/")
    apply_square = page.locator(f"li#work_{none_apply.pk} .symbol.warnings")
    given_square = page.locator(f"li#work_{not_given.pk} .symbol.warnings")
    expect(apply_square).to_be_visible()
    expect(given_square).to_be_visible()
    apply_look = apply_square.evaluate(SQUARE_JS)
    given_look = given_square.evaluate(SQUARE_JS)
    assert apply_look["title"] == "No Archive Warnings Apply"
    assert given_look["title"] == "No archive warnings given"
    assert apply_look["glyph"] != given_look["glyph"]
    assert (apply_look["background"], apply_look["outline"]) != (
        given_look["background"],
        given_look["outline"],
    )


# Pairs whose label ends on another line than the one its value starts on.
SPLIT_PAIRS_JS = """() => [...document.querySelectorAll('dl.stats dt')].flatMap(dt => {
  const dd = dt.nextElementSibling;
  const label = [...dt.getClientRects()].pop();
  const value = dd.getClientRects()[0];
  return Math.abs(label.top - value.top) > 2 ? [dt.textContent + ' ' + dd.textContent] : [];
})"""


def test_stats_labels_never_wrap_apart_from_their_values(
    new_page: Callable[..., Page],
) -> None:
    for number in range(3):
        WorkFactory.create(
            title=f"Counted Work {number}",
            word_count=123_456 + number,
            kudos_count=9_876,
            hits=1_234_567,
            chapter_count=12,
            expected_chapters=40,
            complete=False,
        )
    page = new_page(viewport=PHONE_390)
    split = {}
    # Every width from a small phone to a desktop, so that some line ends fall inside pairs.
    for width in [*range(300, 480, 6), 768, 1024, 1280]:
        page.set_viewport_size({"width": width, "height": 844})
        page.goto("/")
        found = page.evaluate(SPLIT_PAIRS_JS)
        if found:
            split[width] = found
    work = Work.objects.get(title="Counted Work 0")
    for width in range(300, 480, 6):
        page.set_viewport_size({"width": width, "height": 844})
        page.goto(f"/works/{work.pk}")
        found = page.evaluate(SPLIT_PAIRS_JS)
        if found:
            split[-width] = found
    assert not split, split
