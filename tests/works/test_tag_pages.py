"""Tag pages: `/tags/<name>/works` lists a tag's works, with the largest archive's escaping of
names in URLs."""

from __future__ import annotations

import pytest
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from ficarchive.accounts.models import User
from ficarchive.tags.models import TagType
from ficarchive.tags.names import FORBIDDEN_CHARACTERS
from ficarchive.tags.urlnames import tag_name_from_url, tag_url_name
from ficarchive.works.listing import WORKS_PER_PAGE
from ficarchive.works.templatetags.reading import tag_works_url
from tests.factories import TagFactory, WorkFactory, add_tags, fixed_tag
from tests.html import parse

pytestmark = pytest.mark.django_db


def listed(client: Client, url: str) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return [li.attrs["id"] for li in parse(response.content).find_all("li", "work blurb group")]


def test_a_tag_page_lists_exactly_the_works_with_the_tag(client: Client) -> None:
    tag, other = TagFactory.create(name="Slow Burn"), TagFactory.create(name="Fluff")
    tagged, untagged = WorkFactory.create(), WorkFactory.create()
    add_tags(tagged, tag)
    add_tags(untagged, other)
    assert listed(client, "/tags/Slow%20Burn/works") == [f"work_{tagged.pk}"]


def test_a_rating_has_a_tag_page_too(client: Client) -> None:
    explicit = WorkFactory.create(rating="Explicit", text="Adult words.")
    WorkFactory.create(rating="General Audiences")
    response = client.get("/tags/Explicit/works")
    assert listed(client, "/tags/Explicit/works") == [f"work_{explicit.pk}"]
    assert "Adult words." not in response.content.decode()


@pytest.mark.parametrize(
    ("name", "url_name"),
    [
        ("Enjolras/Grantaire", "Enjolras*s*Grantaire"),
        ("Combeferre & Courfeyrac", "Combeferre%20*a*%20Courfeyrac"),
        ("Harry Potter - J. K. Rowling", "Harry%20Potter%20-%20J*d*%20K*d*%20Rowling"),
        ("What If?", "What%20If*q*"),
        ("#1 Fan", "*h*1%20Fan"),
        ("Café Musain", "Caf%C3%A9%20Musain"),
        ("Sure? No/Yes & Maybe. #2", None),
    ],
)
def test_tag_names_with_special_characters_round_trip_through_their_urls(
    client: Client, name: str, url_name: str | None
) -> None:
    tag = TagFactory.create(name=name, type=TagType.FREEFORM)
    work = WorkFactory.create()
    add_tags(work, tag)
    url = tag_works_url(name)
    if url_name is not None:
        assert url == f"/tags/{url_name}/works"
    assert listed(client, url) == [f"work_{work.pk}"]
    # And the blurb links to this same page.
    assert url in client.get(url).content.decode()


@given(st.text(min_size=1, max_size=40).filter(lambda s: not set(s) & set(FORBIDDEN_CHARACTERS)))
def test_escaping_tag_names_is_reversible(name: str) -> None:
    assert "/" not in tag_url_name(name)
    assert tag_name_from_url(tag_url_name(name)) == name


def test_another_spelling_of_the_name_redirects_to_the_tag_page(client: Client) -> None:
    TagFactory.create(name="Slow Burn")
    response = client.get("/tags/slow%20burn/works")
    assert response.status_code == 302
    assert response["Location"] == "/tags/Slow%20Burn/works"


def test_a_synonym_tag_page_redirects_to_its_canonical_tag(client: Client) -> None:
    canonical = TagFactory.create(name="Slow Burn", canonical=True)
    TagFactory.create(name="slowburn", merger=canonical)
    response = client.get("/tags/slowburn/works")
    assert response.status_code == 302
    assert response["Location"] == "/tags/Slow%20Burn/works"


@pytest.mark.parametrize(
    "url", ["/tags/Nothing%20Here/works", "/tags/%ZZ/works", "/tags/%00/works"]
)
def test_an_unknown_tag_is_not_found(client: Client, url: str) -> None:
    assert client.get(url).status_code == 404


def test_a_tag_page_is_paginated(client: Client) -> None:
    tag = fixed_tag("Gen")
    for work in WorkFactory.create_batch(WORKS_PER_PAGE + 1):
        add_tags(work, tag)
    assert len(listed(client, "/tags/Gen/works")) == WORKS_PER_PAGE
    assert len(listed(client, "/tags/Gen/works?page=2")) == 1


def test_guests_do_not_see_restricted_works_on_a_tag_page(client: Client, other_user: User) -> None:
    tag = TagFactory.create(name="Slow Burn")
    work = WorkFactory.create(restricted=True)
    add_tags(work, tag)
    assert listed(client, "/tags/Slow%20Burn/works") == []
    client.force_login(other_user)
    assert listed(client, "/tags/Slow%20Burn/works") == [f"work_{work.pk}"]
