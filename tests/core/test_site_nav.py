"""The site's header names the staff pages to the staff only: wrangling to wranglers (and
admins), the admin to admins."""

from __future__ import annotations

import pytest
from django.test import Client

from ficarchive.accounts.models import User
from tests.html import parse


def _nav_links(client: Client) -> dict[str, str]:
    nav = parse(client.get("/").content).find("nav", id="site-nav")
    return {link.text(): link.attrs["href"] for link in nav.find_all("a")}


@pytest.mark.parametrize(
    ("who", "wrangling", "admin_link"),
    [("author", False, False), ("wrangler", True, False), ("admin", True, True)],
)
def test_staff_links_show_to_the_staff_they_serve(
    client: Client, request: pytest.FixtureRequest, who: str, wrangling: bool, admin_link: bool
) -> None:
    user: User = request.getfixturevalue(who)
    client.force_login(user)
    links = _nav_links(client)
    assert (links.get("Wrangling") == "/tags/wrangle") is wrangling
    assert (links.get("Admin") == "/admin/") is admin_link


def test_guests_see_no_staff_links(client: Client, db: None) -> None:
    links = _nav_links(client)
    assert "Wrangling" not in links and "Admin" not in links
