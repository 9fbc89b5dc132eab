"""The inbox and comment mail: who gets a comment, the unread count in the header, marking
read, filtering by work, approving and replying from the inbox, and mail as each user chose
(never for their own comment)."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client

from ficarchive.accounts.models import Mute, Notification, NotificationMail, Preference, User
from ficarchive.accounts.notifications import digest_send
from ficarchive.social.comments import Commenter, comment_post
from ficarchive.social.models import Comment, InboxItem
from ficarchive.works.models import Work
from tests.factories import WorkFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def work(author: User) -> Work:
    return WorkFactory.create(creators=[author.default_pseud()], title="Harbour Lights")


def _post(work: Work, user: User, text: str, parent: Comment | None = None) -> Comment:
    return comment_post(
        Work.objects.get(pk=work.pk),
        Commenter(user=user, pseud=user.default_pseud()),
        text,
        parent=parent,
    )


def _mails_to(user: User) -> list[str]:
    return [str(message.subject) for message in mail.outbox if user.email in message.to]


def test_a_comment_reaches_the_creators_inbox_and_a_reply_the_commenters(
    work: Work, author: User, other_user: User
) -> None:
    top = _post(work, other_user, "Lovely.")
    reply = _post(work, author, "Thanks!", parent=top)
    assert list(InboxItem.objects.filter(user=author).values_list("comment", flat=True)) == [top.pk]
    assert list(InboxItem.objects.filter(user=other_user).values_list("comment", flat=True)) == [
        reply.pk
    ]


def test_mail_goes_at_once_by_default_and_never_for_ones_own_comment(
    work: Work, author: User, other_user: User
) -> None:
    mail.outbox.clear()
    top = _post(work, other_user, "Lovely.")
    assert _mails_to(author) == [
        f"{other_user.default_pseud().byline} left a comment on Harbour Lights"
    ]
    _post(work, author, "My own note.")
    _post(work, author, "Thanks!", parent=top)
    assert len(_mails_to(author)) == 1
    assert len(_mails_to(other_user)) == 1
    assert "replied to your comment" in _mails_to(other_user)[0]


def test_mail_follows_the_digest_and_never_preferences(
    work: Work, author: User, other_user: User
) -> None:
    Preference.objects.update_or_create(
        user=author, defaults={"notification_mail": NotificationMail.DIGEST}
    )
    Preference.objects.update_or_create(
        user=other_user, defaults={"notification_mail": NotificationMail.NEVER}
    )
    mail.outbox.clear()
    top = _post(work, other_user, "Lovely.")
    _post(work, author, "Thanks!", parent=top)
    assert mail.outbox == []
    assert Notification.objects.filter(user=author, kind="comment").count() == 1
    assert digest_send(author) == 1
    assert len(_mails_to(author)) == 1
    assert _mails_to(other_user) == []


def test_an_anonymous_creators_reply_is_mailed_as_anonymous_creator(
    author: User, other_user: User
) -> None:
    work = WorkFactory.create(creators=[author.default_pseud()], anonymous=True)
    top = _post(work, other_user, "Who are you?")
    mail.outbox.clear()
    _post(work, author, "Nobody.", parent=top)
    (subject,) = _mails_to(other_user)
    assert subject.startswith("Anonymous creator replied")
    assert author.username not in mail.outbox[-1].body


def test_a_muted_users_comments_stay_out_of_the_inbox(
    work: Work, author: User, other_user: User
) -> None:
    Mute.objects.create(user=author, muted=other_user)
    _post(work, other_user, "Hello?")
    assert not InboxItem.objects.filter(user=author).exists()


def test_the_header_counts_unread_and_mark_all_read_clears_it(
    client: Client, work: Work, author: User, other_user: User
) -> None:
    _post(work, other_user, "One.")
    _post(work, other_user, "Two.")
    client.force_login(author)
    assert "(2<span" in client.get("/inbox").content.decode()
    response = client.post("/inbox/update", {"action": "all_read", "next": "/inbox"})
    assert response["Location"] == "/inbox"
    page = client.get("/inbox?shown=unread").content.decode()
    assert "unread-count" not in page
    assert "One." not in page
    assert "One." in client.get("/inbox?shown=read").content.decode()


def test_marking_chosen_items_read_and_unread(
    client: Client, work: Work, author: User, other_user: User
) -> None:
    first = _post(work, other_user, "One.")
    _post(work, other_user, "Two.")
    item = InboxItem.objects.get(user=author, comment=first)
    client.force_login(author)
    client.post("/inbox/update", {"action": "read", "items": [item.pk]})
    assert list(InboxItem.objects.filter(read=True).values_list("pk", flat=True)) == [item.pk]
    client.post("/inbox/update", {"action": "unread", "items": [item.pk]})
    assert not InboxItem.objects.filter(read=True).exists()
    # Nobody marks another's items.
    other = Client()
    other.force_login(other_user)
    other.post("/inbox/update", {"action": "read", "items": [item.pk]})
    assert not InboxItem.objects.filter(read=True).exists()


def test_the_inbox_filters_by_work(
    client: Client, work: Work, author: User, other_user: User
) -> None:
    second = WorkFactory.create(creators=[author.default_pseud()], title="Second Sight")
    _post(work, other_user, "On the first work.")
    _post(second, other_user, "On the second work.")
    client.force_login(author)
    page = client.get(f"/inbox?work={second.pk}").content.decode()
    assert "On the second work." in page and "On the first work." not in page
    assert "Harbour Lights" in page  # offered in the filter
    assert client.get("/inbox?work=nonsense").status_code == 200


def test_approving_and_replying_from_the_inbox(
    client: Client, work: Work, author: User, other_user: User
) -> None:
    Work.objects.filter(pk=work.pk).update(comments_moderated=True)
    held = _post(work, other_user, "Waiting for you.")
    client.force_login(author)
    page = client.get("/inbox").content.decode()
    assert "waiting for your approval" in page
    assert f"/comments/{held.pk}/approve" in page
    client.post(f"/comments/{held.pk}/approve", {"next": "/inbox"})
    held.refresh_from_db()
    assert held.state == "published"
    page = client.get("/inbox").content.decode()
    assert f'hx-get="/comments/{held.pk}/reply"' in page
    reply = client.post(
        f"/comments/{held.pk}/reply",
        {"text": "Approved, thanks.", "pseud": author.default_pseud().pk},
        headers={"HX-Request": "true"},
    )
    assert "Approved, thanks." in reply.content.decode()
    # The commenter hears of the reply, and of nothing before their comment was approved.
    assert InboxItem.objects.filter(user=other_user, comment__text="Approved, thanks.").exists()


def test_the_inbox_hides_comments_on_works_its_reader_may_no_longer_open(
    client: Client, work: Work, author: User, other_user: User
) -> None:
    top = _post(work, other_user, "Lovely.")
    _post(work, author, "Thanks!", parent=top)
    Work.objects.filter(pk=work.pk).update(hidden_by_admin=True)
    client.force_login(other_user)
    assert "Thanks!" not in client.get("/inbox").content.decode()


def test_guests_have_no_inbox(client: Client) -> None:
    assert client.get("/inbox").status_code == 302
