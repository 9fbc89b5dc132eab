"""`ficarchive account`: accounts that log in at once, and the admin and wrangler roles."""

from __future__ import annotations

import io
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from ficarchive.accounts.models import User

pytestmark = pytest.mark.django_db

PASSWORD = "a demo passphrase of words"


def _account(*args: str, password: str = PASSWORD, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setattr("sys.stdin", io.StringIO(password + "\n"))
    out = StringIO()
    call_command("account", *args, stdout=out)
    return out.getvalue()


def test_create_makes_an_account_that_logs_in_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    out = _account("create", "demoreader", "--email", "reader@example.org", monkeypatch=monkeypatch)
    assert "Made the account demoreader" in out
    user = User.objects.get(username="demoreader")
    assert user.is_active and user.confirmed_at is not None
    assert user.default_pseud().name == "demoreader"
    assert not user.is_archive_admin and not user.is_wrangler
    client = Client()
    response = client.post("/login", {"username": "demoreader", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/account").status_code == 200


def test_create_with_roles_and_promote_and_demote(monkeypatch: pytest.MonkeyPatch) -> None:
    _account("create", "demoadmin", "--admin", monkeypatch=monkeypatch)
    admin = User.objects.get(username="demoadmin")
    assert admin.is_archive_admin and admin.is_staff
    _account("create", "sorter", monkeypatch=monkeypatch)
    assert "sorter is now wrangler" in _account(
        "promote", "sorter", "--wrangler", monkeypatch=monkeypatch
    )
    assert User.objects.get(username="sorter").is_wrangler
    _account("demote", "sorter", "--wrangler", monkeypatch=monkeypatch)
    assert not User.objects.get(username="sorter").is_wrangler


@pytest.mark.parametrize(
    ("args", "password", "message"),
    [
        (("create", "has space"), PASSWORD, "has space"),
        (("create", "shortpass"), "abc", "too short"),
        (("promote", "nobody", "--admin"), PASSWORD, "No account"),
        (("promote", "taken"), PASSWORD, "Name a role"),
        (("create", "TAKEN"), PASSWORD, "already taken"),
    ],
)
def test_bad_requests_are_refused_with_a_reason(
    monkeypatch: pytest.MonkeyPatch, args: tuple[str, ...], password: str, message: str
) -> None:
    _account("create", "taken", monkeypatch=monkeypatch)
    before = User.objects.count()
    with pytest.raises(CommandError, match=message):
        _account(*args, password=password, monkeypatch=monkeypatch)
    assert User.objects.count() == before
