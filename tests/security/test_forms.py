"""Every form refuses control characters with a message and bounds its lengths and ids
(core.forms), and no address or query parameter with one reaches a view: no 500 on SQLite or
PostgreSQL (issue 17, findings 4 and 6)."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest
from django import forms
from django.test import Client

import ficarchive
from ficarchive.accounts.models import User
from ficarchive.core.forms import CONTROL_MESSAGE, ArchiveFormMixin
from ficarchive.tags.models import Tag
from ficarchive.works.models import Work
from tests.works.posting_data import work_data

pytestmark = pytest.mark.django_db

# Entry points that act when imported.
_NOT_IMPORTED = {"ficarchive.__main__", "ficarchive.wsgi"}


def _archive_form_classes() -> list[type[forms.BaseForm]]:
    found = []
    for module_info in pkgutil.walk_packages(ficarchive.__path__, "ficarchive."):
        if ".migrations" in module_info.name or module_info.name in _NOT_IMPORTED:
            continue
        module = importlib.import_module(module_info.name)
        for _name, value in inspect.getmembers(module, inspect.isclass):
            if (
                issubclass(value, forms.BaseForm)
                and value.__module__ == module.__name__
                and value.__module__ != "ficarchive.core.forms"
            ):
                found.append(value)
    return found


def test_every_form_of_the_archive_has_the_archive_checks() -> None:
    classes = _archive_form_classes()
    assert len(classes) > 15
    assert [cls.__qualname__ for cls in classes if not issubclass(cls, ArchiveFormMixin)] == []


def test_a_nul_in_a_tag_is_refused_with_a_message_and_the_text_kept(
    client: Client, author: User
) -> None:
    client.force_login(author)
    data = work_data(author, title="Kept Title", freeforms="Fluff, Bad\x00Tag")
    response = client.post("/works/new", data)
    assert response.status_code == 200
    page = response.content.decode()
    assert CONTROL_MESSAGE.split(" (")[0] in page
    assert "Kept Title" in page
    assert not Work.objects.exists()
    assert not [name for name in Tag.objects.values_list("name", flat=True) if "\x00" in name]


def test_a_long_login_name_is_refused_at_its_limit(client: Client) -> None:
    response = client.post("/login", {"username": "x" * 50_000, "password": "pass"})
    assert response.status_code == 200
    assert "at most 254 characters" in response.content.decode()


def test_an_out_of_range_pseud_id_is_an_unknown_choice_and_keeps_the_text(
    client: Client, author: User
) -> None:
    client.force_login(author)
    data = work_data(author, title="Still Here")
    data["pseuds"] = str(2**70)
    response = client.post("/works/new", data)
    assert response.status_code == 200
    assert "Still Here" in response.content.decode()
    assert not Work.objects.exists()


@pytest.mark.parametrize("path", ["/works/search?q=a%00b", "/works?tag=%01", "/login?next=%00"])
def test_a_query_with_a_control_character_answers_a_clear_400(client: Client, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 400
    assert "control character" in response.content.decode()


@pytest.mark.parametrize("path", ["/tags/Bad%00Tag", "/tags/Bad%00Tag/works", "/users/a%01b"])
def test_a_path_with_a_control_character_is_not_found(client: Client, path: str) -> None:
    # No tag, work or user can be named with one, so nothing is at such an address.
    assert client.get(path).status_code == 404
