"""Comment services: threading, the work's settings, moderation, freezing, deleting, blocking,
guests, anonymous works, spam, the count and the bad input of the issue."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import override_settings

from ficarchive.accounts.models import Block, Mute, User
from ficarchive.core.models import ChangeLog
from ficarchive.social.comments import (
    Commenter,
    CommentError,
    DuplicateComment,
    comment_approve,
    comment_delete,
    comment_edit,
    comment_hide,
    comment_mark_spam,
    comment_post,
    thread_freeze,
)
from ficarchive.social.models import Comment, CommentState, InboxItem
from ficarchive.social.spam import SpamCandidate
from ficarchive.social.threads import Viewer, comments_page, thread_html
from ficarchive.works.models import CommentPermission, Work
from tests.factories import WorkFactory, add_chapter

pytestmark = pytest.mark.django_db


@pytest.fixture
def work(author: User) -> Work:
    return WorkFactory.create(creators=[author.default_pseud()])


def as_user(user: User) -> Commenter:
    return Commenter(user=user, pseud=user.default_pseud(), ip_address="192.0.2.9")


def as_guest(name: str = "Wanderer", email: str = "wanderer@example.com") -> Commenter:
    return Commenter(guest_name=name, guest_email=email, ip_address="192.0.2.10")


def post(work: Work, who: Commenter | User, text: str, parent: Comment | None = None) -> Comment:
    author = as_user(who) if isinstance(who, User) else who
    return comment_post(Work.objects.get(pk=work.pk), author, text, parent=parent)


def count(work: Work) -> int:
    work.refresh_from_db(fields=["comments_count"])
    return work.comments_count


# Threading.


def test_replies_know_their_thread_and_depth(work: Work, other_user: User, author: User) -> None:
    top = post(work, other_user, "Loved the ending.")
    reply = post(work, author, "Thank you!", parent=top)
    deeper = post(work, other_user, "You're welcome.", parent=reply)
    assert (top.thread_id, top.depth) == (top.pk, 0)
    assert (reply.thread_id, reply.depth, reply.parent_id) == (top.pk, 1, top.pk)
    assert (deeper.thread_id, deeper.depth) == (top.pk, 2)
    assert count(work) == 3


def test_a_comment_on_a_chapter_stays_on_it_and_replies_follow(
    work: Work, other_user: User
) -> None:
    second = add_chapter(work, "More words.")
    top = comment_post(work, as_user(other_user), "On the second.", chapter=second)
    reply = post(work, other_user, "And more.", parent=top)
    assert top.chapter_id == second.pk
    assert reply.chapter_id == second.pk


def test_threads_nest_to_depth_five_then_continue_flat(work: Work, other_user: User) -> None:
    parent = None
    chain = []
    for level in range(8):
        parent = post(work, other_user, f"Level {level} words.", parent=parent)
        chain.append(parent)
    viewer = Viewer(AnonymousUser(), Work.objects.for_reading().get(pk=work.pk))
    html = str(comments_page(viewer.work, viewer, whole_work=True).html)
    # Five nested lists below the top level, none deeper.
    assert html.count('<ol class="thread">') == 6
    assert "Level 7 words." in html
    # The flat ones say whom they answer.
    assert html.count('class="in-reply-to"') == 2


def test_a_thread_page_shows_one_comment_and_its_replies(work: Work, other_user: User) -> None:
    first = post(work, other_user, "First thread.")
    post(work, other_user, "Second thread.")
    post(work, other_user, "A reply in the first.", parent=first)
    viewer = Viewer(AnonymousUser(), Work.objects.for_reading().get(pk=work.pk))
    html = str(thread_html(viewer.work, viewer, first))
    assert "First thread." in html and "A reply in the first." in html
    assert "Second thread." not in html


# The work's settings.


def test_nobody_may_comment_when_the_creator_turned_comments_off(
    work: Work, other_user: User
) -> None:
    Work.objects.filter(pk=work.pk).update(comment_permission=CommentPermission.NOBODY)
    with pytest.raises(CommentError, match="turned comments off"):
        post(work, other_user, "Hello?")


def test_guests_may_not_comment_where_only_users_may(work: Work) -> None:
    Work.objects.filter(pk=work.pk).update(comment_permission=CommentPermission.USERS)
    with pytest.raises(CommentError, match="Only logged-in users"):
        post(work, as_guest(), "Hello!")


def test_restricted_works_take_comments_from_logged_in_users_only(
    work: Work, other_user: User
) -> None:
    Work.objects.filter(pk=work.pk).update(restricted=True)
    with pytest.raises(CommentError):
        post(work, as_guest(), "Hello!")
    assert post(work, other_user, "Hello!").is_published


def test_a_guest_comments_with_a_name_and_an_address(work: Work) -> None:
    comment = post(work, as_guest(), "A guest's words.")
    assert (comment.guest_name, comment.guest_email, comment.user_id) == (
        "Wanderer",
        "wanderer@example.com",
        None,
    )
    with pytest.raises(CommentError, match="name and an e-mail"):
        post(work, as_guest(name=" "), "No name.")


def test_one_can_only_comment_as_ones_own_pseud(work: Work, other_user: User, author: User) -> None:
    with pytest.raises(CommentError, match="your own pseuds"):
        comment_post(work, Commenter(user=other_user, pseud=author.default_pseud()), "Hi.")


# Moderation.


def test_on_a_moderated_work_comments_wait_for_the_creator(
    work: Work, author: User, other_user: User
) -> None:
    Work.objects.filter(pk=work.pk).update(comments_moderated=True)
    comment = post(work, other_user, "Please approve me.")
    assert comment.state == CommentState.HELD
    assert count(work) == 0
    assert InboxItem.objects.filter(user=author, comment=comment).exists()
    with pytest.raises(CommentError):
        comment_approve(comment, other_user)
    comment_approve(comment, author)
    comment.refresh_from_db()
    assert comment.state == CommentState.PUBLISHED
    assert count(work) == 1


def test_the_creators_own_comments_are_not_held(work: Work, author: User) -> None:
    Work.objects.filter(pk=work.pk).update(comments_moderated=True)
    assert post(work, author, "A note from me.").is_published


def test_a_held_comment_is_seen_by_its_writer_and_the_creator_only(
    work: Work, author: User, other_user: User
) -> None:
    Work.objects.filter(pk=work.pk).update(comments_moderated=True)
    post(work, other_user, "Waiting words.")
    fresh = Work.objects.for_reading().get(pk=work.pk)
    for user, shown in [(AnonymousUser(), False), (other_user, True), (author, True)]:
        html = str(comments_page(fresh, Viewer(user, fresh), whole_work=True).html)
        assert ("Waiting words." in html) is shown


def test_too_many_links_send_a_comment_to_the_spam_queue(work: Work, other_user: User) -> None:
    links = " ".join(f"https://example.com/{n}" for n in range(5))
    comment = post(work, other_user, f"Look: {links}")
    assert comment.state == CommentState.SPAM
    assert count(work) == 0
    assert not InboxItem.objects.filter(comment=comment).exists()


def test_a_known_spam_phrase_sends_a_comment_to_moderation(work: Work) -> None:
    assert post(work, as_guest(), "Casino   BONUS for you").state == CommentState.SPAM


def _always_doubtful(candidate: SpamCandidate) -> str | None:
    return "always"


@override_settings(COMMENT_SPAM_CHECK="tests.social.test_comments._always_doubtful")
def test_the_spam_check_is_the_callable_the_setting_names(work: Work, other_user: User) -> None:
    assert post(work, other_user, "Plain words.").state == CommentState.SPAM


def test_an_admin_approves_a_comment_held_as_spam_and_only_then_the_creator_hears(
    work: Work, author: User, other_user: User, admin: User
) -> None:
    comment = post(work, other_user, "buy cheap tickets to my show")
    with pytest.raises(CommentError):
        comment_approve(comment, author)
    comment_approve(comment, admin)
    assert count(work) == 1
    assert InboxItem.objects.filter(user=author, comment=comment).exists()


def test_the_creator_marks_a_comment_as_spam(work: Work, author: User, other_user: User) -> None:
    comment = post(work, other_user, "Hmm.")
    comment_mark_spam(comment, author)
    comment.refresh_from_db()
    assert comment.state == CommentState.SPAM
    assert count(work) == 0
    with pytest.raises(CommentError):
        comment_mark_spam(comment, other_user)


def test_an_admin_hides_a_comment_with_a_reason_and_its_replies_stay(
    work: Work, other_user: User, author: User, admin: User
) -> None:
    top = post(work, other_user, "Rude words.")
    post(work, author, "A calm reply.", parent=top)
    with pytest.raises(CommentError):
        comment_hide(top, author, "no")
    comment_hide(top, admin, "Harassment.")
    fresh = Work.objects.for_reading().get(pk=work.pk)
    html = str(comments_page(fresh, Viewer(AnonymousUser(), fresh), whole_work=True).html)
    assert "Rude words." not in html
    assert "hidden by an administrator" in html
    assert "A calm reply." in html
    own = str(comments_page(fresh, Viewer(other_user, fresh), whole_work=True).html)
    assert "Harassment." in own and "Rude words." in own
    assert count(work) == 1


# Freezing, editing, deleting.


def test_a_frozen_thread_takes_no_more_replies(work: Work, author: User, other_user: User) -> None:
    top = post(work, other_user, "Top.")
    reply = post(work, author, "Reply.", parent=top)
    with pytest.raises(CommentError):
        thread_freeze(top, other_user)
    assert thread_freeze(top, author) == 2
    for parent in (top, reply):
        with pytest.raises(CommentError, match="frozen"):
            post(work, other_user, "More?", parent=Comment.objects.get(pk=parent.pk))
    thread_freeze(top, author, frozen=False)
    assert post(work, other_user, "More!", parent=Comment.objects.get(pk=reply.pk)).is_published


def test_editing_shows_last_edited_and_only_the_writer_may(
    work: Work, author: User, other_user: User
) -> None:
    comment = post(work, other_user, "Frist!")
    with pytest.raises(CommentError):
        comment_edit(comment, author, "Changed by someone else")
    edited = comment_edit(comment, other_user, "First!")
    assert edited.edited_at is not None
    assert "First!" in edited.html


def test_a_deleted_comment_with_replies_keeps_its_thread(
    work: Work, author: User, other_user: User
) -> None:
    top = post(work, other_user, "Soon gone.")
    post(work, author, "Still here.", parent=top)
    comment_delete(top, other_user)
    top.refresh_from_db()
    assert top.deleted and top.text == "" and top.html == ""
    fresh = Work.objects.for_reading().get(pk=work.pk)
    html = str(comments_page(fresh, Viewer(AnonymousUser(), fresh), whole_work=True).html)
    assert "(Previous comment deleted.)" in html and "Still here." in html
    assert "Soon gone." not in html
    assert count(work) == 1
    with pytest.raises(CommentError, match="deleted"):
        post(work, other_user, "Reply to nothing.", parent=top)


def test_a_comment_without_replies_is_gone_once_deleted(work: Work, other_user: User) -> None:
    comment = post(work, other_user, "Alone.")
    comment_delete(comment, other_user)
    assert not Comment.objects.filter(pk=comment.pk).exists()
    assert count(work) == 0


def test_a_creator_deletes_comments_on_their_own_work_and_nobody_else_can(
    work: Work, author: User, other_user: User
) -> None:
    stranger = User.objects.create(username="stranger")
    stranger.pseuds.create(name="stranger", is_default=True)
    comment = post(work, other_user, "Words.")
    with pytest.raises(CommentError):
        comment_delete(comment, stranger)
    comment_delete(comment, author)
    assert not Comment.objects.filter(pk=comment.pk).exists()


# Blocking and muting.


def test_a_blocked_user_cannot_comment_on_the_blockers_works(
    work: Work, author: User, other_user: User
) -> None:
    Block.objects.create(user=author, blocked=other_user)
    with pytest.raises(CommentError, match="blocked"):
        post(work, other_user, "Let me in.")


def test_a_blocked_user_cannot_reply_to_the_blockers_comments_elsewhere(
    author: User, other_user: User
) -> None:
    elsewhere = WorkFactory.create()
    top = post(elsewhere, author, "My opinion.")
    Block.objects.create(user=author, blocked=other_user)
    with pytest.raises(CommentError, match="blocked you"):
        post(elsewhere, other_user, "A reply.", parent=top)
    assert post(elsewhere, other_user, "A comment of my own.").is_published


def test_a_reader_who_muted_a_user_does_not_see_their_comments_and_counts_stay(
    work: Work, author: User, other_user: User
) -> None:
    muter = User.objects.create(username="muter")
    Mute.objects.create(user=muter, muted=other_user)
    top = post(work, other_user, "Muted words.")
    post(work, author, "The creator's reply.", parent=top)
    post(work, other_user, "Lonely muted words.")
    fresh = Work.objects.for_reading().get(pk=work.pk)
    html = str(comments_page(fresh, Viewer(muter, fresh), whole_work=True).html)
    assert "Muted words." not in html and "Lonely muted words." not in html
    assert "The creator's reply." in html
    assert "user you muted" in html
    other = str(comments_page(fresh, Viewer(author, fresh), whole_work=True).html)
    assert "Muted words." in other
    assert count(work) == 3


# Anonymous works.


def test_the_creators_replies_on_an_anonymous_work_say_anonymous_creator(
    author: User, other_user: User, admin: User
) -> None:
    work = WorkFactory.create(creators=[author.default_pseud()], anonymous=True)
    top = post(work, other_user, "Who wrote this?")
    post(work, author, "Someone.", parent=top)
    fresh = Work.objects.for_reading().get(pk=work.pk)
    for user in (AnonymousUser(), other_user):
        html = str(comments_page(fresh, Viewer(user, fresh), whole_work=True).html)
        assert "Anonymous creator" in html
        assert author.username not in html
    html = str(comments_page(fresh, Viewer(admin, fresh), whole_work=True).html)
    assert author.username in html


# Counts and search.


def test_comment_counts_reach_search_for_the_range_and_the_sort(
    work: Work, other_user: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ficarchive.search.engine import search_works
    from ficarchive.search.query import NumberRange, Sort, WorkQuery

    monkeypatch.setattr("ficarchive.core.changes.COUNTER_FLUSH_SECONDS", 0.0)
    quiet = WorkFactory.create()
    search_works(WorkQuery(), other_user)
    ChangeLog.objects.all().delete()
    post(work, other_user, "One.")
    post(work, other_user, "Two.")
    assert ChangeLog.objects.filter(work_id=work.pk, reason="counters").exists()
    wanted = WorkQuery(ranges={"comments": NumberRange(2, None)})
    found = search_works(wanted, other_user, facets=False)
    assert [hit.pk for hit in found.works] == [work.pk]
    ranked = search_works(WorkQuery(sort=Sort.COMMENTS), other_user, facets=False)
    assert [hit.pk for hit in ranked.works][:2] == [work.pk, quiet.pk]


# Bad input.


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty"),
        (" \n\t ", "empty"),
        ("x" * 10_001, "at most 10,000"),
        ("<script>alert(1)</script>", "Nothing would be left"),
    ],
)
def test_bad_comment_text_is_refused_with_a_clear_message(
    work: Work, other_user: User, text: str, message: str
) -> None:
    with pytest.raises(CommentError, match=message):
        post(work, other_user, text)
    assert not Comment.objects.exists()


@pytest.mark.parametrize("change", [{"posted": False}, {"hidden_by_admin": True}])
def test_no_comment_on_a_draft_or_hidden_work(
    work: Work, author: User, other_user: User, change: dict[str, Any]
) -> None:
    Work.objects.filter(pk=work.pk).update(**change)
    for user in (other_user, author):
        with pytest.raises(CommentError, match="posted works"):
            post(work, user, "Hello.")


def test_the_same_comment_twice_within_seconds_is_kept_once(work: Work, other_user: User) -> None:
    first = post(work, other_user, "Double click.")
    with pytest.raises(DuplicateComment) as raised:
        post(work, other_user, "Double click.")
    assert raised.value.comment.pk == first.pk
    assert Comment.objects.count() == 1
    assert count(work) == 1


def test_sanitising_keeps_allowed_html_and_drops_the_rest(work: Work, other_user: User) -> None:
    text = '<em>Lovely</em> <a href="javascript:x()">x</a> <img src=x onerror=y>'
    comment = post(work, other_user, text)
    assert "<em>Lovely</em>" in comment.html
    assert "javascript:" not in comment.html and "onerror" not in comment.html


def test_comments_outlive_a_deleted_pseud_and_a_deleted_account(
    work: Work, other_user: User
) -> None:
    from ficarchive.accounts.pseuds import pseud_delete
    from ficarchive.works.account_deletion import account_delete
    from tests.factories import PseudFactory

    extra = PseudFactory.create(user=other_user, name="Lamplighter")
    comment_post(work, Commenter(user=other_user, pseud=extra), "Under another name.")
    pseud_delete(extra)
    fresh = Work.objects.for_reading().get(pk=work.pk)
    html = str(comments_page(fresh, Viewer(AnonymousUser(), fresh), whole_work=True).html)
    assert "Under another name." in html and other_user.username in html
    account_delete(other_user, "orphan")
    html = str(comments_page(fresh, Viewer(AnonymousUser(), fresh), whole_work=True).html)
    assert "Under another name." in html and "(Deleted account)" in html
    assert count(work) == 1
