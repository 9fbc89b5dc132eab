"""The pages work under the content policy: no violation on a work page, the posting form and
search, as a reader logged in; a work's remote image is the one thing the policy blocks."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from ficarchive.accounts.models import User
from tests.factories import UserFactory, WorkFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "a long test passphrase"
PIXEL = "https://tracker.example.invalid/pixel.png"
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(`${event.violatedDirective} ${event.blockedURI}`);
});
"""


def _violations(page: Page) -> list[str]:
    page.wait_for_load_state("load")
    found: list[str] = page.evaluate("window.__violations")
    return found


def test_no_policy_violations_on_the_work_page_posting_form_and_search(page: Page) -> None:
    reader: User = UserFactory.create(username="policyreader")
    work = WorkFactory.create(
        title="Lamplight Policy",
        text=f'Words before the picture.\n\n<img src="{PIXEL}" alt="a picture">\n\nAfter.',
    )
    page.add_init_script(RECORD_VIOLATIONS)
    console = []
    page.on("console", lambda message: console.append(message.text))
    page.goto("/login")
    page.get_by_label("Login or email address:").fill(reader.username)
    page.get_by_label("Password:").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    assert _violations(page) == []

    page.goto(f"/works/{work.pk}")
    expect(page.get_by_text("Words before the picture.")).to_be_visible()
    # The remote image is blocked (its alt text shows), and nothing else is.
    assert _violations(page) == [f"img-src {PIXEL}"]

    page.goto("/works/new")
    expect(page.get_by_label("Title:", exact=True)).to_be_visible()
    page.get_by_label("Title:", exact=True).fill("Typed")
    assert _violations(page) == []

    page.goto("/works/search?q=Lamplight")
    expect(page.get_by_role("link", name="Lamplight Policy")).to_be_visible()
    assert _violations(page) == []
    assert [
        text for text in console if "Content Security Policy" in text and PIXEL not in text
    ] == []
