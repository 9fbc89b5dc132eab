"""Bad addresses and parameters get a 404 page that looks like the site, never a 500."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.test import Client, RequestFactory

from ficarchive.accounts.models import User
from ficarchive.core.views import permission_denied, server_error
from tests.factories import WorkFactory
from tests.html import parse
from tests.works.builders import chapter, chaptered_work

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    [
        "/works/abc",
        "/works/99999999999999999999",
        "/works/9223372036854775808",
        "/works/0",
        "/works/-1",
        "/works/1/chapters/abc",
        "/works/1/chapters/99999999999999999999",
        "/works/1/navigate",
        "/tags/%ZZ/works",
        "/tags/%FF%FE/works",
        "/tags/" + "x" * 500 + "/works",
        "/users/nobody/works",
        "/users/%00/works",
        "/users/" + "x" * 300 + "/pseuds/y/works",
        "/no/such/page",
    ],
)
def test_bad_addresses_are_not_found(client: Client, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 404
    page = parse(response.content)
    assert page.find("h1", "heading site-name").text() == "ficarchive"
    assert "Page not found" in page.find("main").text()


@pytest.mark.parametrize(
    "query",
    [
        "?page=-1",
        "?page=x",
        "?page=99999999999999999999",
        "?view_full_work=maybe",
        "?selected_id=1",
    ],
)
def test_bad_parameters_on_reading_pages_do_not_fail(client: Client, query: str) -> None:
    work = chaptered_work(2)
    for url in ("/", f"/works/{work.pk}", f"/works/{work.pk}/chapters/{chapter(work, 2).pk}"):
        assert client.get(url + query).status_code == 200, url + query
    WorkFactory.create()
    assert client.get("/tags/Gen/works" + query).status_code in (200, 404)


@pytest.mark.parametrize("query", ["?page=%00", "?view_adult=%00", "?selected_id=%00", "?q=a%01b"])
def test_a_control_character_in_a_parameter_is_a_bad_request_with_a_message(
    client: Client, query: str
) -> None:
    work = chaptered_work(2)
    for url in ("/", f"/works/{work.pk}", f"/works/{work.pk}/chapters", "/works/search"):
        response = client.get(url + query)
        assert response.status_code == 400, url + query
        assert "control character" in parse(response.content).find("main").text()


@pytest.mark.parametrize("selected", ["abc", "", "99999999999999999999999", "-3"])
def test_a_bad_chapter_choice_is_not_found(client: Client, selected: str) -> None:
    work = chaptered_work(2)
    assert client.get(f"/works/{work.pk}/chapters?selected_id={selected}").status_code == 404


def test_the_server_error_page_looks_like_the_site() -> None:
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert parse(response.content).find("h1", "heading site-name").text() == "ficarchive"


def test_the_forbidden_page_looks_like_the_site_and_keeps_the_views_reason(
    client: Client, author: User
) -> None:
    client.force_login(author)
    response = client.get("/tags/wrangle")
    assert response.status_code == 403
    page = parse(response.content)
    assert page.find("h1", "heading site-name").text() == "ficarchive"
    main = page.find("main").text()
    assert "403: Not allowed" in main
    assert "Only tag wranglers can wrangle tags." in main


def test_a_guest_on_the_forbidden_page_is_offered_the_login() -> None:
    request = RequestFactory().get("/tags/wrangle")
    request.user = AnonymousUser()
    response = permission_denied(request, PermissionDenied())
    assert response.status_code == 403
    page = parse(response.content)
    assert "You do not have permission to see this page." in page.find("main").text()
    assert page.find("a", href="/login?next=/tags/wrangle") is not None
