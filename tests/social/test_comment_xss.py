"""Every known cross-site scripting vector, put into a comment (its text, and a guest's name),
leaves nothing that could run on any page that shows comments: the comments pages, the thread,
the reply and edit forms, a reply posted in place, the inbox, and a failed post's form."""

from __future__ import annotations

import pytest
from django.test import Client

from ficarchive.accounts.models import User
from ficarchive.core.forms import CONTROL_CHARACTERS
from ficarchive.social.models import Comment
from ficarchive.works.models import Work
from tests.factories import WorkFactory
from tests.security.checks import assert_no_script
from tests.security.xss_vectors import VECTORS

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("vector", VECTORS, ids=range(len(VECTORS)))
def test_no_vector_survives_in_a_comment_on_any_page(
    client: Client, author: User, other_user: User, vector: str
) -> None:
    vector = CONTROL_CHARACTERS.sub(" ", vector)
    work = WorkFactory.create(creators=[author.default_pseud()], title="Guarded Harbour")
    guest = Client()
    guest.post(
        f"/works/{work.pk}/comments/new",
        {"text": f"Words first: {vector}", "name": vector[:100], "email": "v@example.com"},
    )
    # A failed post comes back with the text in its form, harmless there too.
    failed = guest.post(f"/works/{work.pk}/comments/new", {"text": vector, "name": "", "email": ""})
    assert failed.status_code == 400
    assert_no_script(failed.content, "failed form")
    client.force_login(other_user)
    client.post(
        f"/works/{work.pk}/comments/new",
        {"text": f"A reader says: {vector}", "pseud": other_user.default_pseud().pk},
    )
    comments = list(Comment.objects.filter(work=work).order_by("pk"))
    assert comments, "no comment was stored"
    top = comments[-1]
    reply = client.post(
        f"/comments/{top.pk}/reply",
        {"text": f"Replying: {vector}", "pseud": other_user.default_pseud().pk},
        headers={"HX-Request": "true"},
    )
    assert_no_script(reply.content, "reply in place")
    urls = [
        f"/works/{work.pk}/comments",
        f"/comments/{top.pk}",
        f"/comments/{top.pk}/reply",
        f"/comments/{top.pk}/edit",
        f"/comments/{top.pk}/delete",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        assert_no_script(response.content, url)
    creator = Client()
    creator.force_login(author)
    for url in ["/inbox", f"/works/{work.pk}/comments"]:
        assert_no_script(creator.get(url).content, url)
    assert Work.objects.get(pk=work.pk).comments_count >= 1
