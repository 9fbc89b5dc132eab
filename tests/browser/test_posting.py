"""A creator in a real browser: sign up, confirm the address from the mail, post a two-chapter
work with new tags, find it on its page and the home page, edit chapter 2, post a draft later,
delete a work; XSS vectors that would fire in Chromium do not; hidden warnings are revealed
with a click."""

from __future__ import annotations

import re
import time

import pytest
from django.core import mail
from playwright.sync_api import Dialog, Page, expect

from ficarchive.accounts.models import Preference, User
from ficarchive.core.models import ChangeLog
from ficarchive.works.models import Language, Work
from ficarchive.works.posting import ChapterFields, WorkFields, work_create
from tests.conftest import DEADLINE_SECONDS
from tests.factories import UserFactory
from tests.security.xss_vectors import BROWSER_VECTORS

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "correct horse battery staple"


def _mailed_link(to: str) -> str:
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        for message in reversed(mail.outbox):
            if to in message.to:
                found = re.search(r"https?://\S+", str(message.body))
                assert found, message.body
                return re.sub(r"^https?://[^/]+", "", found.group())
        time.sleep(0.05)
    raise AssertionError(f"no mail to {to}")


def _log_in(page: Page, login: str, password: str = PASSWORD) -> None:
    page.goto("/login")
    page.get_by_label("Login or email address:").fill(login)
    page.get_by_label("Password:").fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def _fill_work(page: Page, title: str, text: str) -> None:
    page.get_by_label("General Audiences").check()
    page.get_by_label("No Archive Warnings Apply").check()
    page.get_by_label("Fandoms:").fill("Tidewater Chronicles")
    page.get_by_label("Characters:").fill("Wren Alder, Juniper Hale")
    page.get_by_label("Additional Tags:").fill("Lamplight, Brand New Tag")
    page.get_by_label("Title:", exact=True).fill(title)
    page.get_by_label("Text:", exact=True).fill(text)


def test_a_new_creator_signs_up_posts_edits_drafts_and_deletes(page: Page) -> None:
    page.goto("/")
    page.get_by_role("link", name="Sign up").click()
    page.get_by_label("Login:", exact=True).fill("lamplighter")
    page.get_by_label("Email address:").fill("lamplighter@example.org")
    page.get_by_label("Password:", exact=True).fill(PASSWORD)
    page.get_by_label("Password confirmation:").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", name=re.compile("confirm your email"))).to_be_visible()

    page.goto(_mailed_link("lamplighter@example.org"))
    expect(page.get_by_text("Your address is confirmed")).to_be_visible()
    _log_in(page, "lamplighter")

    # A two-chapter work with new tags.
    page.get_by_role("link", name="Post new work").click()
    _fill_work(page, "The Lamplighter", "The first lamp was lit at dusk by the harbour wall.")
    page.get_by_label("Chapters planned:").fill("2")
    page.get_by_role("button", name="Post", exact=True).click()
    expect(page.locator("h2.title.heading")).to_have_text("The Lamplighter")
    expect(page.locator("dd.freeform.tags")).to_contain_text("Brand New Tag")
    work = Work.objects.get(title="The Lamplighter")

    page.get_by_role("link", name="Add Chapter").first.click()
    page.get_by_label("Chapter title:").fill("Second Lamp")
    page.get_by_label("Text:", exact=True).fill("The second lamp flickered and then held steady.")
    page.get_by_role("button", name="Post chapter").click()
    expect(page.locator("#chapter-2")).to_contain_text("The second lamp flickered")
    expect(page.locator("dd.chapters").first).to_have_text("2/2")

    page.goto("/")
    blurb = page.locator(f"li#work_{work.pk}")
    expect(blurb).to_contain_text("The Lamplighter")
    expect(blurb.locator("li.freeforms")).to_contain_text(["Lamplight", "Brand New Tag"])
    expect(blurb.locator("dd.chapters")).to_have_text("2/2")

    # Edit chapter 2.
    second = work.chapters.get(position=2)
    page.goto(f"/works/{work.pk}/chapters/{second.pk}")
    page.get_by_role("link", name="Edit Chapter").click()
    page.get_by_label("Text:", exact=True).fill(
        "The second lamp, rewritten, burned all night long."
    )
    page.get_by_role("button", name="Update").click()
    expect(page.locator("#chapter-2")).to_contain_text("rewritten, burned all night")

    # A draft, posted later from the dashboard.
    page.get_by_role("link", name="Post new work").click()
    _fill_work(page, "Unfinished Lantern", "A draft about a lantern that nobody lit yet.")
    page.get_by_role("button", name="Save as draft").click()
    expect(page.get_by_text("Your draft was saved")).to_be_visible()
    draft = Work.objects.get(title="Unfinished Lantern")
    assert not draft.posted
    page.goto("/")
    expect(page.locator(f"li#work_{draft.pk}")).to_have_count(0)
    page.get_by_role("link", name="My works").click()
    page.locator(f"#draft_{draft.pk}").get_by_role("button", name=re.compile("Post now")).click()
    expect(page.get_by_text("Your work was posted.")).to_be_visible()
    page.goto("/")
    expect(page.locator(f"li#work_{draft.pk}")).to_have_count(1)

    # Delete a work, after confirming.
    page.goto(f"/works/{draft.pk}")
    page.get_by_role("link", name="Delete", exact=True).click()
    expect(
        page.get_by_role("heading", name=re.compile("Delete “Unfinished Lantern”"))
    ).to_be_visible()
    page.get_by_role("button", name="Yes, delete the work").click()
    expect(page.get_by_text("“Unfinished Lantern” was deleted.")).to_be_visible()
    assert not Work.objects.filter(pk=draft.pk).exists()

    # Every change reached the search index's change log.
    reasons = list(ChangeLog.objects.filter(work_id=work.pk).values_list("reason", flat=True))
    assert reasons == ["posted", "chapter added", "chapter edited"]
    draft_reasons = ChangeLog.objects.filter(work_id=draft.pk).values_list("reason", flat=True)
    assert list(draft_reasons) == ["draft saved", "posted", "deleted"]


def _vector_work(author: User, vector: str, number: int) -> Work:
    fields = WorkFields(
        title=f"Vector {number} {vector}"[:255],
        language=Language.objects.get(code="en"),
        rating="General Audiences",
        warnings=["No Archive Warnings Apply"],
        fandoms=["Test Fandom"],
        pseuds=[author.default_pseud()],
        summary=vector,
        notes=vector,
        endnotes=vector,
    )
    return work_create(author, fields, ChapterFields(text=vector + " and some text."), post=True)


def test_xss_vectors_do_not_fire_in_chromium(page: Page) -> None:
    author = UserFactory.create(username="vectors")
    works = [_vector_work(author, vector, n) for n, vector in enumerate(BROWSER_VECTORS)]
    dialogs: list[str] = []

    def on_dialog(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    for url in ["/", "/users/vectors/works", *[f"/works/{work.pk}" for work in works]]:
        page.goto(url)
        page.wait_for_load_state("load")
        page.mouse.move(200, 300)
        page.mouse.move(400, 500)
        assert page.evaluate("() => window.__xss") is None, url
    # A link whose javascript: URL was stripped goes nowhere when clicked.
    link_work = works[
        BROWSER_VECTORS.index('<a id="xss-link" href="javascript:window.__xss=1">click</a>')
    ]
    page.goto(f"/works/{link_work.pk}")
    page.locator("#chapters a", has_text="click").first.click()
    assert page.evaluate("() => window.__xss") is None
    assert dialogs == []

    # And in the preview, through the form.
    _log_in(page, "vectors", "a long test passphrase")
    page.goto("/works/new")
    _fill_work(page, "Preview Vectors", " ".join(BROWSER_VECTORS) + " and some words")
    page.get_by_label("Summary:").fill(BROWSER_VECTORS[1])
    page.get_by_role("button", name="Preview").click()
    expect(page.locator("section.preview")).to_be_visible()
    assert page.evaluate("() => window.__xss") is None
    assert dialogs == []


def test_hidden_warnings_are_revealed_with_a_click(page: Page) -> None:
    reader = UserFactory.create(username="careful")
    Preference.objects.create(user=reader, hide_warnings=True)
    author = UserFactory.create(username="teller")
    fields = WorkFields(
        title="Stormy Crossing",
        language=Language.objects.get(code="en"),
        rating="Teen And Up Audiences",
        warnings=["Major Character Death"],
        fandoms=["Test Fandom"],
        characters=["Ferry Pilot"],
        pseuds=[author.default_pseud()],
    )
    work = work_create(
        author, fields, ChapterFields(text="The ferry left in the storm."), post=True
    )
    _log_in(page, "careful", "a long test passphrase")
    page.goto("/")
    blurb = page.locator(f"li#work_{work.pk}")
    expect(blurb.locator("li.warnings")).to_be_hidden()
    expect(blurb.locator("li.characters")).to_be_visible()
    blurb.get_by_text("Show warnings").click()
    expect(blurb.locator("li.warnings")).to_be_visible()
    expect(blurb.locator("li.warnings")).to_have_text("Major Character Death")


def test_the_account_and_posting_forms_have_no_serious_accessibility_problem(
    page: Page, axe_source: str
) -> None:
    UserFactory.create(username="checker")
    blocking = {}
    for url in ["/signup", "/login", "/password/reset"]:
        page.goto(url)
        blocking[url] = _axe_blocking(page, axe_source)
    _log_in(page, "checker", "a long test passphrase")
    for url in [
        "/works/new",
        "/account",
        "/account/preferences",
        "/account/pseuds",
        "/account/works",
        "/account/delete",
    ]:
        page.goto(url)
        blocking[url] = _axe_blocking(page, axe_source)
    assert all(not problems for problems in blocking.values()), blocking


def _axe_blocking(page: Page, source: str) -> list[str]:
    # Through the debugger, which the content policy does not govern (an inline script tag
    # would be refused: no page allows inline script).
    page.evaluate(source + "\n;undefined")
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{violation['id']}: {[node['target'] for node in violation['nodes']]}"
        for violation in result["violations"]
        if violation["impact"] in {"serious", "critical"}
    ]


def test_a_posted_work_is_found_by_search_while_the_indexer_runs(
    page: Page, running_indexer: None
) -> None:
    """With the real indexer in the background, as `ficarchive serve` runs it."""
    UserFactory.create(username="searcher", password=PASSWORD)
    _log_in(page, "searcher")
    page.get_by_role("link", name="Post new work").click()
    _fill_work(page, "The Semaphore Tower", "Signals flashed from the semaphore tower at noon.")
    page.get_by_role("button", name="Post", exact=True).click()
    expect(page.locator("h2.title.heading")).to_have_text("The Semaphore Tower")
    posted = time.monotonic()
    box = page.get_by_role("search", name="Site")
    box.get_by_role("searchbox").fill("semaphore")
    box.get_by_role("button", name="Search").click()
    while page.locator("li.work.blurb").count() == 0:
        assert time.monotonic() - posted < DEADLINE_SECONDS, "not searchable"
        page.reload()
    print(f"found by search {(time.monotonic() - posted) * 1000:.0f} ms after posting")
    expect(page.locator("li.work.blurb h4.heading")).to_contain_text("The Semaphore Tower")
