"""Logging in and out, and the throttling of login, sign-up and password reset."""

from __future__ import annotations

import pytest
from django.test import Client

from ficarchive.accounts.models import User

pytestmark = pytest.mark.django_db

PASSWORD = "a long test passphrase"


def test_logging_in_by_login_or_by_address(client: Client, author: User) -> None:
    response = client.post("/login", {"username": "author", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/account").status_code == 200
    other = Client()
    assert (
        other.post("/login", {"username": "AUTHOR@example.org", "password": PASSWORD}).status_code
        == 302
    )


def test_a_wrong_password_says_so_without_saying_which_part(client: Client, author: User) -> None:
    response = client.post("/login", {"username": "author", "password": "wrong"})
    assert response.status_code == 200
    assert "do not match an account" in response.content.decode()


def test_logging_out_takes_a_post(client: Client, author: User) -> None:
    client.force_login(author)
    assert client.get("/logout").status_code == 405
    assert client.post("/logout").status_code == 302
    assert client.get("/account").status_code == 302


def test_the_sixth_login_within_the_window_is_refused_with_retry_after(
    client: Client, author: User
) -> None:
    for _ in range(5):
        assert client.post("/login", {"username": "author", "password": "no"}).status_code == 200
    response = client.post("/login", {"username": "author", "password": PASSWORD})
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 20
    assert "Too many tries" in response.content.decode()
    assert not client.session.get("_auth_user_id")


def test_login_is_limited_per_login_name_across_addresses(client: Client, author: User) -> None:
    for number in range(5):
        Client(REMOTE_ADDR=f"10.0.0.{number}").post(
            "/login", {"username": "Author", "password": "no"}
        )
    response = Client(REMOTE_ADDR="10.0.0.99").post(
        "/login", {"username": "author", "password": PASSWORD}
    )
    assert response.status_code == 429
    # Another name from another address still gets through.
    fresh = Client(REMOTE_ADDR="10.0.1.1").post("/login", {"username": "reader", "password": "x"})
    assert fresh.status_code == 200


def test_the_admin_login_is_limited_by_account_and_by_address(client: Client, admin: User) -> None:
    for _ in range(5):
        response = client.post("/admin/login/", {"username": "admin", "password": "no"})
        assert response.status_code == 200
    response = client.post("/admin/login/", {"username": "admin", "password": PASSWORD})
    assert response.status_code == 429
    assert not client.session.get("_auth_user_id")
    # The same account from another address, on the site's form: the tries added up.
    other = Client(REMOTE_ADDR="10.0.2.1")
    assert other.post("/login", {"username": "admin", "password": PASSWORD}).status_code == 429
    # Another account from the first address: the address is over its limit too.
    assert client.post("/admin/login/", {"username": "x", "password": "no"}).status_code == 429


def test_the_admin_login_still_logs_staff_in(client: Client, admin: User) -> None:
    response = client.post(
        "/admin/login/?next=/admin/", {"username": "admin", "password": PASSWORD, "next": "/admin/"}
    )
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_login_is_limited_per_address_across_names(client: Client, author: User) -> None:
    for number in range(5):
        client.post("/login", {"username": f"name{number}", "password": "no"})
    assert client.post("/login", {"username": "author", "password": PASSWORD}).status_code == 429


def test_reading_the_login_page_is_not_counted(client: Client, author: User) -> None:
    for _ in range(10):
        assert client.get("/login").status_code == 200
    assert client.post("/login", {"username": "author", "password": PASSWORD}).status_code == 302


@pytest.mark.parametrize(
    ("url", "field"),
    [("/signup", "email"), ("/password/reset", "email"), ("/signup/resend", "email")],
)
def test_sign_up_and_password_reset_are_throttled_too(client: Client, url: str, field: str) -> None:
    for number in range(5):
        assert client.post(url, {field: f"x{number}@example.org"}).status_code in {200, 302}
    response = client.post(url, {field: "last@example.org"})
    assert response.status_code == 429
    assert int(response["Retry-After"]) >= 1


def test_the_proxy_header_names_the_address_when_configured(author: User, settings: object) -> None:
    settings.CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"  # type: ignore[attr-defined]
    for number in range(5):
        Client(HTTP_X_FORWARDED_FOR=f"203.0.113.{number}").post(
            "/login", {"username": f"n{number}", "password": "no"}
        )
    # All from REMOTE_ADDR 127.0.0.1, but the proxy says they were different people.
    ok = Client(HTTP_X_FORWARDED_FOR="203.0.113.50").post(
        "/login", {"username": "author", "password": PASSWORD}
    )
    assert ok.status_code == 302
