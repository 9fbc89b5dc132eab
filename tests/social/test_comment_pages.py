"""Comment pages: the work page's section, the comments and thread pages, posting, replying and
editing in place or as plain pages, and every failure coming back with the text intact."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from ficarchive.accounts.models import User
from ficarchive.social.comments import Commenter, comment_post
from ficarchive.social.models import Comment, CommentState
from ficarchive.works.models import CommentPermission, Work
from tests.factories import WorkFactory, add_chapter
from tests.html import parse

pytestmark = pytest.mark.django_db

HX = {"HX-Request": "true"}
LONG = "Every word of this comment was typed with care.\n\nAnd a second paragraph."


@pytest.fixture
def work(author: User) -> Work:
    return WorkFactory.create(creators=[author.default_pseud()], title="The Lighthouse")


def _post(work: Work, user: User, text: str, parent: Comment | None = None) -> Comment:
    return comment_post(
        Work.objects.get(pk=work.pk),
        Commenter(user=user, pseud=user.default_pseud()),
        text,
        parent=parent,
    )


def _guest_data(text: str = LONG, **fields: str) -> dict[str, str]:
    return {"text": text, "name": "Wanderer", "email": "wanderer@example.com", **fields}


def _textarea(response: bytes) -> str:
    return parse(response).find("textarea", name="text").text()


def test_the_work_page_shows_comments_n_and_loads_them_without_reading_them(
    client: Client, work: Work, other_user: User
) -> None:
    _post(work, other_user, "Hidden from the page itself.")
    html = client.get(f"/works/{work.pk}").content.decode()
    assert "Comments (1)" in html
    assert f'hx-get="/works/{work.pk}/comments"' in html
    assert "Hidden from the page itself." not in html
    assert 'dt class="comments"' in html


def test_each_chapter_links_to_its_own_comments(
    client: Client, work: Work, other_user: User
) -> None:
    second = add_chapter(work, "The second chapter.")
    comment_post(
        Work.objects.get(pk=work.pk),
        Commenter(user=other_user, pseud=other_user.default_pseud()),
        "On two.",
        chapter=second,
    )
    html = client.get(f"/works/{work.pk}/chapters/{second.pk}").content.decode()
    assert f"/works/{work.pk}/chapters/{second.pk}/comments" in html
    assert "Comments (1)" in html
    page = client.get(f"/works/{work.pk}/chapters/{second.pk}/comments").content.decode()
    assert "On two." in page
    first = work.chapters.get(position=1)
    assert (
        "On two."
        not in client.get(f"/works/{work.pk}/chapters/{first.pk}/comments").content.decode()
    )


def test_the_chapter_page_reads_no_more_queries_with_many_comments(
    client: Client, work: Work, other_user: User, local_cache: None
) -> None:
    client.force_login(other_user)
    _post(work, other_user, "The first.")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"/works/{work.pk}").status_code == 200
        return len(captured)

    queries()  # the first visit of a session reads more (its hits, its cookies)
    before = queries()
    for number in range(30):
        _post(work, other_user, f"Comment {number}.")
    assert queries() == before


def test_top_level_comments_are_paginated_oldest_or_newest_first(
    client: Client, work: Work, other_user: User
) -> None:
    for number in range(25):
        _post(work, other_user, f"Number {number:02d} here.")
    oldest = client.get(f"/works/{work.pk}/comments").content.decode()
    assert "Number 00 here." in oldest and "Number 24 here." not in oldest
    assert "Page 1 of 2" in oldest
    newest = client.get(f"/works/{work.pk}/comments?sort=newest").content.decode()
    assert "Number 24 here." in newest and "Number 00 here." not in newest
    second = client.get(f"/works/{work.pk}/comments?page=2").content.decode()
    assert "Number 24 here." in second


def test_a_guest_posts_a_comment_with_a_name_and_an_address(client: Client, work: Work) -> None:
    response = client.post(f"/works/{work.pk}/comments/new", _guest_data())
    assert response.status_code == 302
    comment = Comment.objects.get()
    assert response["Location"] == f"/comments/{comment.pk}#comment_{comment.pk}"
    page = client.get(response["Location"]).content.decode()
    assert "Comment posted." in page
    assert "Wanderer (Guest)" in page
    assert "wanderer@example.com" not in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (_guest_data(email="not an address"), "valid e-mail address"),
        (_guest_data(text="   \n  "), "empty"),
        (_guest_data(text="x" * 10_001), "10000"),
        (_guest_data(name=""), "Please give a name"),
    ],
)
def test_bad_input_comes_back_with_the_text_and_a_clear_message(
    client: Client, work: Work, data: dict[str, str], message: str
) -> None:
    response = client.post(f"/works/{work.pk}/comments/new", data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert _textarea(response.content).strip() == " ".join(data["text"].split()).strip() or (
        data["text"] in response.content.decode()
    )
    assert not Comment.objects.exists()


def test_a_refused_comment_keeps_its_text(client: Client, work: Work) -> None:
    Work.objects.filter(pk=work.pk).update(comment_permission=CommentPermission.USERS)
    response = client.post(f"/works/{work.pk}/comments/new", _guest_data())
    assert response.status_code == 400
    assert "Only logged-in users" in response.content.decode()
    assert "Every word of this comment" in _textarea(response.content)


def test_throttled_guests_get_429_with_their_text(
    client: Client, work: Work, settings: object
) -> None:
    setattr(settings, "COMMENT_GUEST_RATE", "2/10m")  # noqa: B010
    for number in range(2):
        client.post(f"/works/{work.pk}/comments/new", _guest_data(text=f"Words {number}."))
    response = client.post(f"/works/{work.pk}/comments/new", _guest_data())
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "Every word of this comment" in _textarea(response.content)
    assert Comment.objects.count() == 2


def test_a_double_submission_is_kept_once_with_a_message(
    client: Client, work: Work, other_user: User
) -> None:
    client.force_login(other_user)
    data = {"text": LONG, "pseud": other_user.default_pseud().pk}
    client.post(f"/works/{work.pk}/comments/new", data)
    again = client.post(f"/works/{work.pk}/comments/new", data, follow=True)
    assert "already posted this comment" in again.content.decode()
    assert Comment.objects.count() == 1


def test_a_comment_after_the_session_expired_comes_back_after_logging_in(
    author: User, work: Work
) -> None:
    client = Client()
    client.force_login(author)
    client.get(f"/works/{work.pk}/comments")  # names the writer in the signed cookie
    pseud = author.default_pseud().pk
    Session.objects.all().delete()
    url = f"/works/{work.pk}/comments/new"
    response = client.post(url, {"text": LONG, "pseud": pseud})
    assert response.status_code == 302
    assert response["Location"] == f"/login?next={url}"
    assert not Comment.objects.exists()
    client.post("/login", {"username": "author", "password": "a long test passphrase", "next": url})
    form = client.get(url)
    assert "Every word of this comment" in _textarea(form.content)
    assert "Nothing is saved yet" in form.content.decode()


def test_replying_in_place_with_htmx(client: Client, work: Work, other_user: User) -> None:
    top = _post(work, other_user, "The first word.")
    client.force_login(other_user)
    form = client.get(f"/comments/{top.pk}/reply", headers=HX)
    assert form.status_code == 200
    assert f'hx-target="#reply_{top.pk}"' in form.content.decode()
    assert "<html" not in form.content.decode()
    data = {"text": "A reply in place.", "pseud": other_user.default_pseud().pk}
    posted = client.post(f"/comments/{top.pk}/reply", data, headers=HX)
    assert posted.status_code == 200
    assert "A reply in place." in posted.content.decode()
    assert "Comment posted." in posted.content.decode()
    reply = Comment.objects.get(parent=top)
    assert reply.thread_id == top.pk and reply.depth == 1
    # A failed reply in place comes back into its form, text and all.
    failed = client.post(
        f"/comments/{top.pk}/reply", {"text": "y" * 10_001, "pseud": data["pseud"]}, headers=HX
    )
    assert failed.status_code == 200
    assert "y" * 10_001 in failed.content.decode()


def test_replying_without_javascript(client: Client, work: Work, other_user: User) -> None:
    top = _post(work, other_user, "The first word.")
    page = client.get(f"/comments/{top.pk}/reply")
    assert "The first word." in page.content.decode()
    response = client.post(f"/comments/{top.pk}/reply", _guest_data(text="A guest reply."))
    assert response.status_code == 302
    assert "A guest reply." in client.get(response["Location"]).content.decode()


def test_editing_in_place_shows_last_edited(client: Client, work: Work, other_user: User) -> None:
    comment = _post(work, other_user, "Tpyo.")
    client.force_login(other_user)
    form = client.get(f"/comments/{comment.pk}/edit", headers=HX)
    assert "Tpyo." in form.content.decode()
    done = client.post(f"/comments/{comment.pk}/edit", {"text": "Typo."}, headers=HX)
    assert "Typo." in done.content.decode() and "Last edited" in done.content.decode()


def test_only_the_writer_may_edit(
    client: Client, work: Work, other_user: User, author: User
) -> None:
    comment = _post(work, other_user, "Mine.")
    client.force_login(author)
    assert client.get(f"/comments/{comment.pk}/edit").status_code == 404
    assert client.post(f"/comments/{comment.pk}/edit", {"text": "Yours."}).status_code == 404


def test_the_creator_freezes_a_thread_and_the_reply_link_goes(
    client: Client, work: Work, other_user: User, author: User
) -> None:
    top = _post(work, other_user, "A heated thread.")
    client.force_login(author)
    response = client.post(f"/comments/{top.pk}/freeze", {"next": f"/works/{work.pk}/comments"})
    assert response["Location"] == f"/works/{work.pk}/comments"
    reader = Client()
    reader.force_login(other_user)
    html = reader.get(f"/comments/{top.pk}").content.decode()
    assert "This thread is frozen." in html
    assert f"/comments/{top.pk}/reply" not in html
    refused = reader.post(
        f"/comments/{top.pk}/reply", {"text": "More!", "pseud": other_user.default_pseud().pk}
    )
    assert refused.status_code == 400 and "frozen" in refused.content.decode()


def test_a_reader_cannot_freeze_or_approve(client: Client, work: Work, other_user: User) -> None:
    top = _post(work, other_user, "Words.")
    client.force_login(other_user)
    client.post(f"/comments/{top.pk}/freeze")
    top.refresh_from_db()
    assert not top.frozen


def test_deleting_from_the_confirmation_page(client: Client, work: Work, other_user: User) -> None:
    top = _post(work, other_user, "To go.")
    _post(work, other_user, "To stay.", parent=top)
    client.force_login(other_user)
    assert "Yes, delete it" in client.get(f"/comments/{top.pk}/delete").content.decode()
    response = client.post(f"/comments/{top.pk}/delete", follow=True)
    html = response.content.decode()
    assert "Comment deleted." in html and "(Previous comment deleted.)" in html
    assert "To stay." in html and "To go." not in html


def test_an_admin_hides_a_comment_from_its_page(
    client: Client, work: Work, other_user: User, admin: User
) -> None:
    top = _post(work, other_user, "Bad words.")
    client.force_login(admin)
    assert client.post(f"/comments/{top.pk}/hide", {"reason": ""}).status_code == 400
    client.post(f"/comments/{top.pk}/hide", {"reason": "Off topic."})
    top.refresh_from_db()
    assert top.state == CommentState.HIDDEN and top.hidden_reason == "Off topic."


@pytest.mark.parametrize("change", [{"posted": False}, {"hidden_by_admin": True}])
def test_comments_of_a_draft_or_hidden_work_are_not_found_by_readers(
    client: Client, work: Work, other_user: User, author: User, change: dict[str, bool]
) -> None:
    top = _post(work, other_user, "Before.")
    Work.objects.filter(pk=work.pk).update(**change)
    client.force_login(other_user)
    for url in (f"/works/{work.pk}/comments", f"/comments/{top.pk}", f"/comments/{top.pk}/reply"):
        assert client.get(url).status_code == 404, url
    # Its creator reaches the pages, and is told why there is no form.
    client.force_login(author)
    response = client.get(f"/works/{work.pk}/comments/new")
    assert "posted works" in response.content.decode()
    assert parse(response.content).find_all("textarea") == []


def test_guests_never_see_comments_of_a_restricted_work(
    client: Client, work: Work, other_user: User
) -> None:
    top = _post(work, other_user, "Members only.")
    Work.objects.filter(pk=work.pk).update(restricted=True)
    assert client.get(f"/works/{work.pk}/comments").status_code == 404
    assert client.get(f"/comments/{top.pk}").status_code == 404


def test_a_blocked_user_sees_no_form_and_no_reply_links(
    client: Client, work: Work, author: User, other_user: User
) -> None:
    from ficarchive.accounts.models import Block

    top = _post(work, author, "The creator speaks.")
    Block.objects.create(user=author, blocked=other_user)
    client.force_login(other_user)
    html = client.get(f"/works/{work.pk}/comments").content.decode()
    assert "blocked" in html
    assert f"/comments/{top.pk}/reply" not in html
    assert parse(html.encode()).find_all("textarea") == []


def test_spam_waits_in_the_admin_queue(client: Client, work: Work, admin: User) -> None:
    client.post(f"/works/{work.pk}/comments/new", _guest_data(text="free followers here"))
    spam = Comment.objects.get()
    assert spam.state == CommentState.SPAM
    assert "free followers" not in client.get(f"/works/{work.pk}/comments").content.decode()
    client.force_login(admin)
    queue = client.get("/admin/social/comment/?state__exact=spam").content.decode()
    assert "Wanderer" in queue
    client.post(
        "/admin/social/comment/",
        {"action": "approve", "_selected_action": [spam.pk]},
    )
    spam.refresh_from_db()
    assert spam.state == CommentState.PUBLISHED


def test_the_posting_form_sets_and_shows_the_comment_settings(client: Client, author: User) -> None:
    from tests.works.posting_data import post_work

    client.force_login(author)
    work = post_work(client, author, comment_permission="users", comments_moderated="on")
    assert (work.comment_permission, work.comments_moderated) == ("users", True)
    form = parse(client.get(f"/works/{work.pk}/edit").content)
    assert "selected" in form.find("option", value="users").attrs
    assert "checked" in form.find("input", name="comments_moderated").attrs
    # A form of before the choice existed leaves it out: anyone may comment, as then.
    assert post_work(client, author).comment_permission == CommentPermission.ANYONE
    refused = client.post(
        f"/works/{work.pk}/edit", {"comment_permission": "everybody", "title": "x"}
    )
    assert refused.status_code == 200
    assert "Select a valid choice" in refused.content.decode()


def test_comments_on_an_unposted_chapter_are_left_out_of_the_works_comments(
    client: Client, work: Work, other_user: User, author: User
) -> None:
    second = add_chapter(work, "Soon a draft chapter.")
    comment = comment_post(
        Work.objects.get(pk=work.pk),
        Commenter(user=other_user, pseud=other_user.default_pseud()),
        "On a chapter soon unposted.",
        chapter=second,
    )
    second.posted = False
    second.save(update_fields=["posted"])
    assert "soon unposted" not in client.get(f"/works/{work.pk}/comments").content.decode()
    assert client.get(f"/comments/{comment.pk}").status_code == 404
    client.force_login(author)
    assert "soon unposted" in client.get(f"/works/{work.pk}/comments").content.decode()


@pytest.mark.usefixtures("local_cache")
def test_a_guests_cached_work_page_counts_a_new_comment_at_once(
    client: Client, work: Work, other_user: User, django_capture_on_commit_callbacks: Any
) -> None:
    assert "Comments (0)" in client.get(f"/works/{work.pk}").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        _post(work, other_user, "Fresh.")
    assert "Comments (1)" in client.get(f"/works/{work.pk}").content.decode()
