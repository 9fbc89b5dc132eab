"""Guests' pages come from the cache for a short while; logged-in readers always get a fresh
page, and hits count on every visit either way."""

from __future__ import annotations

import gzip

import pytest
from django.test import Client
from pytest_django import DjangoAssertNumQueries

from ficarchive.accounts.models import User
from ficarchive.works.models import Work
from tests.factories import WorkFactory

pytestmark = pytest.mark.django_db


@pytest.mark.usefixtures("local_cache")
def test_a_guests_work_page_comes_from_the_cache_and_still_counts_hits(
    client: Client, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    work = WorkFactory.create(text="Cached words.")
    first = client.get(f"/works/{work.pk}", REMOTE_ADDR="192.0.2.1")
    # Another guest: the page comes from the cache; one query asks the visibility rule whether
    # guests may still read it (tests/visibility), the other counts their hit.
    with django_assert_max_num_queries(2):
        second = client.get(f"/works/{work.pk}", REMOTE_ADDR="192.0.2.2")
    assert second.content == first.content
    assert Work.objects.get(pk=work.pk).hits == 2


def test_a_cached_gate_counts_no_hit_and_does_not_let_the_guest_through(client: Client) -> None:
    work = WorkFactory.create(rating="Explicit", text="Adult words.")
    Client().get(f"/works/{work.pk}", REMOTE_ADDR="192.0.2.1")
    response = client.get(f"/works/{work.pk}", REMOTE_ADDR="192.0.2.2")
    assert "Adult words." not in response.content.decode()
    assert Work.objects.get(pk=work.pk).hits == 0


def test_a_guest_who_proceeded_never_gets_the_cached_gate(client: Client) -> None:
    work = WorkFactory.create(rating="Explicit", text="Adult words.")
    Client().get(f"/works/{work.pk}")  # caches the gate for guests
    client.get(f"/works/{work.pk}?view_adult=true")
    assert "Adult words." in client.get(f"/works/{work.pk}").content.decode()


def test_logged_in_readers_always_get_a_fresh_page(client: Client, other_user: User) -> None:
    work = WorkFactory.create(title="First Title")
    Client().get(f"/works/{work.pk}")
    Client().get("/")
    Work.objects.filter(pk=work.pk).update(title="Second Title")
    client.force_login(other_user)
    assert "Second Title" in client.get(f"/works/{work.pk}").content.decode()
    assert "Second Title" in client.get("/").content.decode()
    # Guests see the change when their cached copy expires.
    assert "First Title" in Client().get(f"/works/{work.pk}").content.decode()


def test_cached_blurbs_change_at_once_when_a_work_turns_anonymous_or_gets_hits(
    client: Client, author: User, other_user: User
) -> None:
    work = WorkFactory.create(creators=[author.default_pseud()])
    client.force_login(other_user)
    assert "/users/author/pseuds/author" in client.get("/").content.decode()
    Work.objects.filter(pk=work.pk).update(anonymous=True, hits=41)
    page = client.get("/").content.decode()
    assert "/users/author/pseuds/author" not in page
    assert "by Anonymous" in page
    assert '<dd class="hits">41</dd>' in page


def test_a_guest_with_a_message_waiting_gets_a_page_of_their_own(client: Client) -> None:
    from django.contrib.messages import constants
    from django.contrib.messages.storage.cookie import CookieStorage
    from django.http import HttpRequest, HttpResponse

    WorkFactory.create(title="Listed")
    client.get("/")  # now in the cache
    storage = CookieStorage(HttpRequest())
    response = HttpResponse()
    storage.add(constants.INFO, "Your account was deleted.")
    storage.update(response)
    client.cookies["messages"] = response.cookies["messages"].value
    page = client.get("/").content.decode()
    assert "Your account was deleted." in page
    client.cookies.pop("messages")
    assert "Your account was deleted." not in client.get("/").content.decode()


def test_a_browser_that_accepts_gzip_gets_the_cached_page_as_stored(client: Client) -> None:
    work = WorkFactory.create(text="Gzipped words.")
    for path in (f"/works/{work.pk}", "/"):
        fresh = Client().get(path)  # made and cached
        assert "Content-Encoding" not in fresh
        gzipped = client.get(path, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
        assert gzipped["Content-Encoding"] == "gzip"
        assert "Accept-Encoding" in gzipped["Vary"]
        assert gzip.decompress(gzipped.content) == fresh.content
        # A client that does not accept gzip gets the same page decompressed.
        plain = Client().get(path, HTTP_ACCEPT_ENCODING="identity")
        assert "Content-Encoding" not in plain
        assert plain.content == fresh.content


def test_a_visitors_second_page_of_the_day_writes_nothing(
    client: Client, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    """Without Redis the cache is the database, whose adds take the write lock that every
    worker queues for: a visitor counted today is answered by one read."""
    work = WorkFactory.create()
    client.get(f"/works/{work.pk}", REMOTE_ADDR="192.0.2.1")
    with django_assert_num_queries(3) as context:  # visibility, the cached page, the hit key
        client.get(f"/works/{work.pk}", REMOTE_ADDR="192.0.2.1")
    statements = [query["sql"].split()[0].upper() for query in context.captured_queries]
    assert statements == ["SELECT"] * 3
    assert Work.objects.get(pk=work.pk).hits == 1
