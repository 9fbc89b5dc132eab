"""The home page: the newest works as blurbs, paginated."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from pytest_django import DjangoAssertNumQueries

from ficarchive.accounts.models import User
from ficarchive.works.listing import WORKS_PER_PAGE
from ficarchive.works.models import Work
from tests.factories import WorkFactory
from tests.html import parse
from tests.works.builders import tagged_work

pytestmark = pytest.mark.django_db


def test_a_blurb_shows_title_creators_tags_summary_and_stats(client: Client, author: User) -> None:
    work = tagged_work(
        title="Barricade Weather",
        creators=[author.default_pseud()],
        summary="It has <b>rained</b> for three days.",
        hits=678,
        kudos_count=9,
        complete=False,
        expected_chapters=None,
        revised_at=timezone.now() - timedelta(days=400),
    )
    Work.objects.filter(pk=work.pk).update(word_count=12345)
    blurb = parse(client.get("/").content).find("li", "work blurb group", id=f"work_{work.pk}")
    heading = blurb.find("h4", "heading")
    assert heading.find("a").attrs["href"] == f"/works/{work.pk}"
    assert heading.find("a", rel="author").text() == "author"
    assert [a.text() for a in blurb.find("h5", "fandoms heading").find_all("a", "tag")] == [
        "Les Misérables - Victor Hugo"
    ]
    # Tags in type order: warnings, relationships, characters, additional tags.
    assert [a.text() for a in blurb.find("ul", "tags commas").find_all("a", "tag")] == [
        "Graphic Depictions Of Violence",
        "Enjolras/Grantaire",
        "Enjolras",
        "Slow Burn",
    ]
    assert blurb.find("blockquote", "userstuff summary").find("b").text() == "rained"
    stats = blurb.find("dl", "stats")
    assert stats.find("dd", "language").text() == "English"
    assert stats.find("dd", "words").text() == "12,345"
    assert stats.find("dd", "chapters").text() == "1/?"
    assert stats.find("dd", "kudos").text() == "9"
    assert stats.find("dd", "hits").text() == "678"
    assert blurb.find("p", "datetime").text() == timezone.localdate(work.revised_at).strftime(
        "%-d %b %Y"
    )


def test_blurb_symbols_say_in_words_what_they_show(client: Client) -> None:
    work = tagged_work(rating="Explicit", complete=False)
    blurb = parse(client.get("/").content).find("li", id=f"work_{work.pk}")
    symbols = blurb.find("ul", "required-tags").find_all("span", None)
    spans = {span.attrs.get("class"): span for span in symbols}
    assert spans["rating-explicit rating symbol"].find("span", "text").text() == "Explicit"
    assert (
        spans["warning-yes warnings symbol"].find("span", "text").text()
        == "Graphic Depictions Of Violence"
    )
    assert spans["category-slash category symbol"].find("span", "text").text() == "M/M"
    assert spans["complete-no iswip symbol"].find("span", "text").text() == "Work in Progress"
    # The glyphs are decoration: screen readers read the text instead.
    assert all(g.attrs["aria-hidden"] == "true" for g in blurb.find_all("span", "glyph"))


def test_home_lists_the_most_recently_updated_works_first(client: Client) -> None:
    now = timezone.now()
    old = WorkFactory.create(revised_at=now - timedelta(days=3))
    new = WorkFactory.create(revised_at=now - timedelta(days=1))
    middle = WorkFactory.create(revised_at=now - timedelta(days=2))
    blurbs = parse(client.get("/").content).find_all("li", "work blurb group")
    assert [b.attrs["id"] for b in blurbs] == [f"work_{w.pk}" for w in (new, middle, old)]


def test_adult_works_show_their_blurb_on_home_but_never_their_text(client: Client) -> None:
    work = WorkFactory.create(rating="Explicit", summary="A summary.", text="Secret chapter words.")
    page = client.get("/").content.decode()
    assert f'id="work_{work.pk}"' in page
    assert "A summary." in page
    assert "Secret chapter words." not in page


def test_guests_do_not_see_restricted_works_on_home_but_users_do(
    client: Client, other_user: User
) -> None:
    work = WorkFactory.create(restricted=True)
    assert f'id="work_{work.pk}"' not in client.get("/").content.decode()
    client.force_login(other_user)
    assert f'id="work_{work.pk}"' in client.get("/").content.decode()


def test_drafts_and_hidden_works_are_not_on_home(client: Client) -> None:
    draft = WorkFactory.create(posted=False)
    hidden = WorkFactory.create(hidden_by_admin=True)
    page = client.get("/").content.decode()
    assert f'id="work_{draft.pk}"' not in page
    assert f'id="work_{hidden.pk}"' not in page


def test_an_anonymous_work_says_anonymous_and_links_to_no_creator(
    client: Client, author: User
) -> None:
    work = WorkFactory.create(anonymous=True, creators=[author.default_pseud()])
    heading = parse(client.get("/").content).find("li", id=f"work_{work.pk}").find("h4")
    assert heading.text().endswith("by Anonymous")
    assert not heading.find_all("a", rel="author")
    assert "/users/author" not in client.get("/").content.decode()


def test_home_is_paginated_with_links_to_the_next_page(client: Client) -> None:
    WorkFactory.create_batch(WORKS_PER_PAGE + 3)
    first = parse(client.get("/").content)
    assert len(first.find_all("li", "work blurb group")) == WORKS_PER_PAGE
    assert first.find("a", rel="next").attrs["href"] == "?page=2"
    assert f"1 – {WORKS_PER_PAGE} of {WORKS_PER_PAGE + 3} works" in first.text()
    second = parse(client.get("/?page=2").content)
    assert len(second.find_all("li", "work blurb group")) == 3
    assert second.find("span", "current").text() == "2"


@pytest.mark.parametrize("page", ["-1", "0", "x", "2.5", "99999999999999999999", "٣"])
def test_a_nonsense_page_number_shows_a_page_instead_of_failing(client: Client, page: str) -> None:
    WorkFactory.create()
    response = client.get("/", {"page": page})
    assert response.status_code == 200
    assert parse(response.content).find_all("li", "work blurb group")


@pytest.mark.usefixtures("local_cache")
def test_home_queries_do_not_grow_with_the_number_of_works_shown(
    client: Client, other_user: User, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    for _ in range(WORKS_PER_PAGE):
        tagged_work(summary="Words.")
    client.force_login(other_user)
    client.get("/")  # builds the test's search index
    # Session and user, the search indexes' pending changes (tests apply them inline: a
    # cursor and the log for the works' index, the same for the bookmarks'), works,
    # then taggings, creatorships and series prefetched, and the names of the facets' tags
    # and languages; and the reader's permissions, user and group (the header's staff links
    # ask whether the reader wrangles); and the header's counts of unread comments and of
    # unread updates. The media of the welcome come from the cache.
    with django_assert_max_num_queries(16):
        response = client.get("/")
    assert len(parse(response.content).find_all("li", "work blurb group")) == WORKS_PER_PAGE


@pytest.mark.usefixtures("local_cache")
def test_guests_get_the_first_pages_from_the_cache_for_a_while(
    client: Client, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    WorkFactory.create(title="Cached Title")
    first = client.get("/")
    with django_assert_num_queries(0):
        again = client.get("/")
    assert again.content == first.content
