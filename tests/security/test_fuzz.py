"""Generated input to every route of the archive (its URL patterns, enumerated), as a guest
and as a logged-in creator, by GET and by POST, with every form's field names and every query
parameter the listings read: whatever comes, the answer is never a 500.

CI runs Hypothesis's default number of examples per test; `--hypothesis-profile=fuzz-long`
(tests/security/conftest.py) runs thousands.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest
from django import forms
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ficarchive.accounts.models import User
from ficarchive.social.comments import Commenter, comment_post
from tests.factories import TagFactory, WorkFactory
from tests.security.test_forms import _archive_form_classes

pytestmark = pytest.mark.django_db

_PARAMETER = re.compile(r"<(?:(\w+):)?(\w+)>|\(\?P<(\w+)>[^)]*\)")


def _routes(patterns: list[Any] | None = None, prefix: str = "") -> Iterator[str]:
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            yield from _routes(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern)


# Django's admin is Django's to fuzz; its login (the archive's throttle) is in the list.
ROUTES = sorted(
    {"/" + r.strip("^$") for r in _routes() if not r.startswith("admin/")} | {"/admin/login/"}
)
FIELD_NAMES = sorted(
    {name for form in _archive_form_classes() for name in getattr(form, "base_fields", {})}
    | {"username", "password", "email", "q", "page", "sort", "tags", "include", "exclude"}
    | {"action", "next", "rating", "language", "words", "hits", "updated", "view_full_work"}
    | {"items", "shown", "work", "name", "pseud", "reason"}
)

_any_text = st.text(max_size=300)
_numbers = st.sampled_from(["0", "-1", "1", "9" * 19, str(2**63), str(2**70), "1e5", " 7 "])
VALUES = st.one_of(_any_text, _numbers, st.just(""), st.text("\x00\x01\x1f\x7f\u200b", max_size=5))
SEGMENT = st.one_of(
    st.text(string.ascii_letters + string.digits + "-_.~ %", min_size=1, max_size=40),
    st.text(min_size=1, max_size=20).filter(lambda s: "/" not in s),
    _numbers,
)


@pytest.fixture
def world(db: None, author: User) -> dict[str, str]:
    """Something real for the routes' ids and names to hit, besides generated ones."""
    work = WorkFactory.create(creators=[author.default_pseud()], title="Fuzzed Work")
    tag = TagFactory.create(name="Fuzz Tag")
    comment = comment_post(
        work, Commenter(user=author, pseud=author.default_pseud()), "A fuzzed comment."
    )
    return {
        "comment_id": str(comment.pk),
        "id": str(work.pk),
        "chapter": str(work.chapters.values_list("pk", flat=True).first()),
        "tag": tag.name,
        "tag_id": str(tag.pk),
        "login": author.username,
        "pseud": author.default_pseud().name,
    }


def _path(route: str, real: dict[str, str], draw: Any) -> str:
    def fill(match: re.Match[str]) -> str:
        kind, name = match[1], match[2] or match[3]
        if draw(st.booleans()):
            guess = {"work_id": "id", "chapter_id": "chapter", "tag_name": "tag"}.get(name, name)
            value = real.get(guess) or real.get("id", "1")
            if name == "tag_id" or (kind == "id" and name == "pseud_id"):
                value = real["tag_id"] if name == "tag_id" else real["id"]
            if name in {"login"}:
                value = real["login"]
            if name == "pseud_name":
                value = real["pseud"]
        elif kind == "id" or name.endswith("_id"):
            value = draw(st.integers(0, 10**18 - 1).map(str))
        else:
            value = draw(SEGMENT)
        return quote(value, safe="")

    return _PARAMETER.sub(fill, route)


@st.composite
def requests(draw: Any, real: dict[str, str]) -> tuple[str, str, dict[str, Any]]:
    route = draw(st.sampled_from(ROUTES))
    method = draw(st.sampled_from(["GET", "POST"]))
    names = draw(st.lists(st.sampled_from(FIELD_NAMES), max_size=8, unique=True))
    data = {
        name: draw(st.one_of(VALUES, st.lists(VALUES, min_size=1, max_size=3))) for name in names
    }
    return method, _path(route, real, draw), data


def _fuzz(client: Client, request: tuple[str, str, dict[str, Any]]) -> None:
    method, path, data = request
    send = client.get if method == "GET" else client.post
    response = send(path, data)
    assert response.status_code < 500, f"{method} {path} {data!r}: {response.status_code}"


FUZZ_SETTINGS = settings(
    deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)


def test_the_routes_are_all_there() -> None:
    assert len(ROUTES) > 50
    assert "/works/<id:work_id>/chapters/<id:chapter_id>/edit" in ROUTES
    assert {"title", "text", "freeforms", "pseuds"} <= set(FIELD_NAMES)
    assert all(issubclass(form, forms.BaseForm) for form in _archive_form_classes())


@FUZZ_SETTINGS
@given(data=st.data())
def test_no_input_answers_500_to_a_guest(world: dict[str, str], data: st.DataObject) -> None:
    _fuzz(Client(raise_request_exception=False), data.draw(requests(world)))


@FUZZ_SETTINGS
@given(data=st.data())
def test_no_input_answers_500_to_a_logged_in_creator(
    world: dict[str, str], author: User, data: st.DataObject
) -> None:
    client = Client(raise_request_exception=False)
    client.force_login(author)
    _fuzz(client, data.draw(requests(world)))


# What the fuzz suite found, kept as plain tests.


def test_a_next_address_that_looks_like_a_view_name_is_followed_as_an_address(
    client: Client, author: User, other_user: User
) -> None:
    client.force_login(author)
    response = client.post(f"/users/{other_user.username}/mute", {"next": "0"})
    assert response.status_code == 302
    assert response["Location"] == "0"
