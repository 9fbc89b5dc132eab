"""Creator pages: a user's works, a pseud's works, and the pseud page bylines link to."""

from __future__ import annotations

import pytest
from django.test import Client

from ficarchive.accounts.models import User
from tests.factories import PseudFactory, WorkFactory
from tests.html import parse

pytestmark = pytest.mark.django_db


def listed(client: Client, url: str) -> set[str]:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return {li.attrs["id"] for li in parse(response.content).find_all("li", "work blurb group")}


def ids(*works: object) -> set[str]:
    return {f"work_{work.pk}" for work in works}  # type: ignore[attr-defined]


def test_a_users_page_lists_the_works_of_all_their_pseuds(client: Client, author: User) -> None:
    other_pseud = PseudFactory.create(user=author, name="Second Name")
    first = WorkFactory.create(creators=[author.default_pseud()])
    second = WorkFactory.create(creators=[other_pseud])
    WorkFactory.create()
    assert listed(client, "/users/author/works") == ids(first, second)


def test_a_pseuds_page_lists_only_that_pseuds_works(client: Client, author: User) -> None:
    other_pseud = PseudFactory.create(user=author, name="Second Name")
    WorkFactory.create(creators=[author.default_pseud()])
    second = WorkFactory.create(creators=[other_pseud])
    assert listed(client, "/users/author/pseuds/Second%20Name/works") == ids(second)
    # The byline's link is the pseud page, which lists the same works.
    assert listed(client, "/users/author/pseuds/Second%20Name") == ids(second)


def test_bylines_link_to_the_pseud_page_with_rel_author(client: Client, author: User) -> None:
    pseud = PseudFactory.create(user=author, name="Second Name")
    work = WorkFactory.create(creators=[pseud])
    link = parse(client.get(f"/works/{work.pk}").content).find("a", rel="author")
    assert link.attrs["href"] == "/users/author/pseuds/Second%20Name"
    assert link.text() == "Second Name (author)"
    assert client.get(link.attrs["href"]).status_code == 200


def test_logins_and_pseuds_are_matched_without_regard_to_case(client: Client, author: User) -> None:
    work = WorkFactory.create(creators=[author.default_pseud()])
    assert listed(client, "/users/AUTHOR/pseuds/Author/works") == ids(work)


def test_anonymous_works_are_left_off_creator_pages_except_for_the_creator(
    client: Client, author: User, other_user: User
) -> None:
    pseud = author.default_pseud()
    named = WorkFactory.create(creators=[pseud])
    anonymous = WorkFactory.create(creators=[pseud], anonymous=True)
    for url in ("/users/author/works", "/users/author/pseuds/author/works"):
        assert listed(client, url) == ids(named)
    client.force_login(other_user)
    assert listed(client, "/users/author/works") == ids(named)
    client.force_login(author)
    assert listed(client, "/users/author/works") == ids(named, anonymous)


def test_guests_do_not_see_restricted_works_on_creator_pages(
    client: Client, author: User, other_user: User
) -> None:
    work = WorkFactory.create(creators=[author.default_pseud()], restricted=True)
    assert listed(client, "/users/author/works") == set()
    client.force_login(other_user)
    assert listed(client, "/users/author/works") == ids(work)


@pytest.mark.parametrize(
    "url",
    ["/users/nobody/works", "/users/author/pseuds/Nobody/works", "/users/author/pseuds/Nobody"],
)
def test_unknown_users_and_pseuds_are_not_found(client: Client, author: User, url: str) -> None:
    assert client.get(url).status_code == 404


def test_a_pseud_of_another_user_is_not_found_under_this_user(
    client: Client, author: User, other_user: User
) -> None:
    assert client.get("/users/author/pseuds/reader/works").status_code == 404
