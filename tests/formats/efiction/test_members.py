"""Imported members: logging in with the old eFiction password through the login page, the
hash upgraded to plain Argon2 at that login; members without a usable address unclaimed."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from ficarchive.accounts.hashers import md5_wrapped
from ficarchive.accounts.models import LOGIN_PATTERN, User
from ficarchive.formats.efiction.people import login_for
from ficarchive.formats.efiction.report import Report
from tests.formats.efiction.archive import Archive, md5
from tests.formats.efiction.conftest import kept_for_module, run_import


def _archive() -> Archive:
    archive = Archive()
    archive.add(
        "authors",
        uid=1,
        penname="Nightjar",
        email="nightjar@example.org",
        password=md5("old secret"),
    )
    archive.add("authors", uid=2, penname="No Mail", email="", password=md5("x"))
    archive.add("authors", uid=3, penname="Bad Mail", email="not an address", password=md5("x"))
    archive.add(
        "authors", uid=4, penname="Same Mail", email="NIGHTJAR@example.org", password=md5("x")
    )
    archive.add("authors", uid=5, penname="nightjar", email="other@example.org", password=md5("x"))
    archive.add("authors", uid=6, penname="Zoë & Ann!", email="zoe@example.org", password="bad")
    archive.add("authors", uid=7, penname="é", email="e@example.org", password=md5("x"))
    return archive


@pytest.fixture(scope="module")
def members_report(
    django_db_setup: None, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Report]:
    with kept_for_module(django_db_blocker):
        yield run_import(_archive(), tmp_path_factory.mktemp("members"))


@pytest.fixture
def report(members_report: Report, db: None) -> Report:
    return members_report


def test_member_logs_in_with_the_old_password_and_the_hash_is_upgraded(report: Report) -> None:
    user = User.objects.get(username="Nightjar")
    assert user.password.startswith("argon2_md5$argon2id$v=19$m=19456,t=2,p=1$")
    assert md5("old secret") not in user.password
    client = Client()
    wrong = client.post(reverse("accounts:login"), {"username": "Nightjar", "password": "nope"})
    assert wrong.status_code == 200 and "_auth_user_id" not in client.session
    response = client.post(
        reverse("accounts:login"), {"username": "Nightjar", "password": "old secret"}
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)
    user.refresh_from_db()
    # Django's own Argon2 settings from now on.
    assert user.password.startswith("argon2$argon2id$v=19$m=102400,t=2,p=8$")
    assert user.check_password("old secret")


def test_members_without_a_usable_address_are_unclaimed(report: Report) -> None:
    for login in ["No_Mail", "Bad_Mail", "Same_Mail"]:
        user = User.objects.get(username=login)
        assert user.email == "" and not user.has_usable_password()
        name = user.default_pseud().name
        assert any(f"{name!r} is an unclaimed account" in note for note in report.notes)


def test_logins_are_made_free_and_valid_and_pseuds_keep_the_pen_name(report: Report) -> None:
    assert User.objects.get(username="nightjar_2").default_pseud().name == "nightjar"
    zoe = User.objects.get(username="Zoe_Ann")
    assert zoe.default_pseud().name == "Zoë Ann"
    assert not zoe.has_usable_password()  # not an MD5 digest: the member resets it
    assert "member 6: the password is not an MD5 digest; reset" in report.notes
    assert User.objects.get(username="member_7").default_pseud().name == "é"


def test_login_for_keeps_to_the_length_limit_and_the_login_rule() -> None:
    taken = {"a" * 40}
    assert login_for("a" * 50, 1, taken) == "a" * 38 + "_2"
    assert login_for("b" * 39 + " c", 2, set()) == "b" * 39
    assert login_for("c" * 37 + " d", 3, {"c" * 37 + "_d"}) == "c" * 37 + "_2"
    for login in taken:
        assert LOGIN_PATTERN.match(login)


def test_only_md5_digests_are_wrapped() -> None:
    assert md5_wrapped("0") is None
    assert md5_wrapped("z" * 32) is None
    assert (md5_wrapped(md5("x").upper()) or "").startswith("argon2_md5$")
