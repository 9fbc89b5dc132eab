"""Orphaning one work from its page: only its creators may, they choose the name, and no page
or search leads from the work to them afterwards."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from ficarchive.accounts.models import Pseud, User
from ficarchive.core.models import ChangeLog
from ficarchive.tags.models import TagType
from ficarchive.works.models import Work
from ficarchive.works.orphaning import work_orphan
from tests.conftest import make_user
from tests.factories import PseudFactory, TagFactory, WorkFactory, add_tags

pytestmark = pytest.mark.django_db

LOGIN, PSEUD = "quillfeather", "Moth Lantern"


@pytest.fixture
def creator(db: None) -> User:
    return make_user(LOGIN)


@pytest.fixture
def work(creator: User) -> Work:
    pseud = PseudFactory.create(user=creator, name=PSEUD)
    work = WorkFactory.create(creators=[pseud], title="Salt Roads")
    add_tags(work, TagFactory.create(name="Lighthouse Keepers", type=TagType.FREEFORM))
    return work


def _pages(work: Work, *, orphaned: bool = True) -> dict[str, str]:
    """Every page a guest could find the work on, by name."""
    client = Client()
    urls = {
        "work": reverse("works:work_detail", args=[work.pk]),
        "navigate": reverse("works:work_navigate", args=[work.pk]),
        "home": "/",
        "tag": "/tags/Lighthouse%20Keepers/works",
        "search": reverse("search:work_search") + "?q=salt",
    }
    if orphaned:
        urls["orphan account"] = "/users/orphan_account/works"
    pages = {}
    for name, url in urls.items():
        response = client.get(url)
        assert response.status_code == 200, name
        pages[name] = response.content.decode()
    return pages


def _search(text: str) -> str:
    return Client().get(reverse("search:work_search"), {"q": text}).content.decode()


def test_orphaning_keeping_the_pseud_name_leaves_no_trace_of_the_login(
    client: Client, creator: User, work: Work, django_capture_on_commit_callbacks: Any
) -> None:
    before = _pages(work, orphaned=False)
    assert LOGIN in before["work"] and "Salt Roads" in before["home"]  # the check can fail
    client.force_login(creator)
    page = client.get(reverse("works:work_detail", args=[work.pk])).content.decode()
    assert f'href="{reverse("works:work_orphan", args=[work.pk])}"' in page
    confirm = client.get(reverse("works:work_orphan", args=[work.pk])).content.decode()
    assert "Keep my pseud name on it" in confirm and "Use the name orphan_account" in confirm
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("works:work_orphan", args=[work.pk]), {"name": "keep"}, follow=True
        )
    assert response.redirect_chain[-1][0] == reverse("works:work_detail", args=[work.pk])
    assert "was orphaned" in response.content.decode()
    assert not work.is_by(creator)
    assert ChangeLog.objects.filter(work_id=work.pk, reason="orphaned").exists()

    for name, content in _pages(work).items():
        assert LOGIN not in content, name
        assert "Salt Roads" in content, name
    assert f"{PSEUD} (orphan_account)" in _pages(work)["work"]
    assert "Salt Roads" not in _search(LOGIN)
    assert "Salt Roads" not in Client().get(f"/users/{LOGIN}/works").content.decode()
    assert "Salt Roads" not in client.get(reverse("accounts:my_works")).content.decode()
    assert client.get(reverse("works:work_edit", args=[work.pk])).status_code == 404


def test_orphaning_under_orphan_account_removes_the_pseud_name_too(
    creator: User, work: Work, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        assert work_orphan(creator, work, keep_pseud_name=False)
    for name, content in _pages(work).items():
        assert LOGIN not in content, name
        assert PSEUD not in content, name
    assert "Salt Roads" not in _search(f'"{PSEUD}"')
    assert "Salt Roads" in _search("orphan_account")
    assert not Pseud.objects.filter(name=PSEUD).exclude(user=creator).exists()


def test_a_cached_listing_blurb_does_not_keep_the_old_byline(
    creator: User, work: Work, django_capture_on_commit_callbacks: Any
) -> None:
    # The home page caches the blurb, which the tag page (not cached as a page yet) reuses.
    assert LOGIN in Client().get("/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        work_orphan(creator, work, keep_pseud_name=True)
    assert LOGIN not in Client().get("/tags/Lighthouse%20Keepers/works").content.decode()


def test_only_the_works_creators_may_orphan_it(
    client: Client, work: Work, other_user: User, admin: User
) -> None:
    url = reverse("works:work_orphan", args=[work.pk])
    assert Client().get(url).status_code == 302  # to log in
    for user in (other_user, admin):
        client.force_login(user)
        assert client.get(url).status_code == 404
        assert client.post(url, {"name": "keep"}).status_code == 404
    assert work.creatorships.get().pseud.user.username == LOGIN


def test_co_creators_keep_their_part(
    client: Client, creator: User, author: User, django_capture_on_commit_callbacks: Any
) -> None:
    work = WorkFactory.create(creators=[creator.default_pseud(), author.default_pseud()])
    client.force_login(creator)
    client.post(reverse("works:work_orphan", args=[work.pk]), {"name": "remove"})
    assert work.is_by(author) and not work.is_by(creator)
    assert "orphan_account" in [p.user.username for p in work.creator_pseuds()]
