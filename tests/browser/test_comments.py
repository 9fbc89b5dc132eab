"""Comments in a real browser: the known XSS vectors, put into comments, run in no page (the
comments pages, a thread, the inbox, a reply posted in place); replying in place with htmx;
and axe-core finds no serious problem on a thread, the comments page and the inbox."""

from __future__ import annotations

import pytest
from playwright.sync_api import Dialog, Page, expect

from ficarchive.accounts.models import User
from ficarchive.social.comments import Commenter, comment_post
from ficarchive.social.models import Comment
from ficarchive.social.threads import TOP_LEVEL_PER_PAGE
from ficarchive.works.models import Work
from tests.browser.test_posting import _axe_blocking
from tests.factories import UserFactory, WorkFactory
from tests.security.xss_vectors import BROWSER_VECTORS

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


def _say(work: Work, user: User, text: str, parent: Comment | None = None) -> Comment:
    return comment_post(
        Work.objects.get(pk=work.pk),
        Commenter(user=user, pseud=user.default_pseud()),
        text,
        parent=parent,
    )


def test_xss_vectors_in_comments_run_in_no_page(page: Page) -> None:
    author = UserFactory.create(username="harbourmaster")
    reader = UserFactory.create(username="vectorreader")
    work = WorkFactory.create(creators=[author.default_pseud()], title="Vector Harbour")
    first = _say(work, reader, "A plain first comment.")
    for number, vector in enumerate(BROWSER_VECTORS):
        # Every other one as a reply, so that threads carry them too.
        parent = first if number % 2 else None
        _say(work, reader, f"Words {number}: {vector}", parent=parent)
    dialogs: list[str] = []

    def on_dialog(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    tops = Comment.objects.filter(work=work, depth=0).count()
    pages = -(-tops // TOP_LEVEL_PER_PAGE)
    urls = [f"/works/{work.pk}/comments?page={n}" for n in range(1, pages + 1)]
    urls += [f"/comments/{first.pk}", f"/works/{work.pk}"]

    def visit_all() -> None:
        for url in urls:
            page.goto(url)
            page.wait_for_load_state("networkidle")
            page.mouse.move(200, 300)
            page.mouse.move(400, 500)
            assert page.evaluate("() => window.__xss") is None, url

    visit_all()  # as a guest
    _log_in(page, "harbourmaster")
    urls.append("/inbox")
    visit_all()  # as the creator, with every moderation button and the inbox
    # A reply posted in place carries a vector too, and it runs neither.
    page.goto(f"/comments/{first.pk}")
    page.locator(f"#comment_{first.pk} > ul.actions").get_by_role("link", name="Reply").click()
    box = page.locator(f"#reply_{first.pk} textarea[name=text]")
    expect(box).to_be_visible()
    box.fill("In place: " + BROWSER_VECTORS[1])
    page.locator(f"#reply_{first.pk}").get_by_role("button", name="Post reply").click()
    expect(page.locator(f"#reply_{first.pk}")).to_contain_text("Comment posted.")
    assert page.evaluate("() => window.__xss") is None
    assert dialogs == []


def test_replying_and_editing_in_place(page: Page) -> None:
    author = UserFactory.create(username="lampwriter")
    reader = UserFactory.create(username="lampreader")
    work = WorkFactory.create(creators=[author.default_pseud()], title="Lamp Light")
    top = _say(work, reader, "What a lovely lamp.")
    _log_in(page, "lampwriter")
    page.goto(f"/works/{work.pk}")
    page.evaluate("window.stillHere = true")
    # The comments load into the work page when it is scrolled to them.
    page.locator("#comments").scroll_into_view_if_needed()
    comment = page.locator(f"#comment_{top.pk}")
    expect(comment).to_contain_text("What a lovely lamp.")
    comment.locator("> ul.actions").get_by_role("link", name="Reply").click()
    page.locator(f"#reply_{top.pk} textarea[name=text]").fill("Thank you, reader!")
    page.locator(f"#reply_{top.pk}").get_by_role("button", name="Post reply").click()
    expect(page.locator(f"#reply_{top.pk}")).to_contain_text("Thank you, reader!")
    assert page.evaluate("window.stillHere") is True
    reply = Comment.objects.get(parent=top)
    assert reply.user_id == author.pk
    # The writer edits their reply in place.
    page.goto(f"/comments/{top.pk}")
    page.locator(f"#comment_{reply.pk} > ul.actions").get_by_role("link", name="Edit").click()
    page.locator(f"#body_{reply.pk} textarea[name=text]").fill("Thank you, dear reader!")
    page.locator(f"#body_{reply.pk}").get_by_role("button", name="Update comment").click()
    expect(page.locator(f"#body_{reply.pk}")).to_contain_text("Last edited")
    expect(page.locator(f"#body_{reply.pk}")).to_contain_text("Thank you, dear reader!")


def test_axe_finds_no_serious_problem_on_a_thread_and_the_inbox(
    page: Page, axe_source: str
) -> None:
    author = UserFactory.create(username="axewriter")
    reader = UserFactory.create(username="axereader")
    work = WorkFactory.create(creators=[author.default_pseud()], title="Careful Steps")
    parent = _say(work, reader, "The first step.")
    top = parent
    for depth in range(7):
        who = author if depth % 2 == 0 else reader
        parent = _say(work, who, f"Step {depth + 2}.", parent=parent)
    _say(work, reader, "Another thread.")
    blocking = {}
    for login, urls in [
        ("axereader", [f"/comments/{top.pk}", f"/works/{work.pk}/comments"]),
        ("axewriter", ["/inbox", f"/comments/{top.pk}", f"/comments/{top.pk}/reply"]),
    ]:
        _log_in(page, login)
        for url in urls:
            page.goto(url)
            blocking[f"{login} {url}"] = _axe_blocking(page, axe_source)
        page.get_by_role("button", name="Log out").click()
    assert all(not problems for problems in blocking.values()), blocking
