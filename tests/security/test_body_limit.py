"""The request body a posting form takes matches its fields' limits in bytes of UTF-8, and a
body that is too large answers 413 with the form page and a message (issue 17, finding 5)."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from ficarchive.accounts.models import User
from ficarchive.core.bodylimit import DEFAULT_BODY_BYTES, form_body_bytes
from ficarchive.works.forms.chapter import ChapterForm
from ficarchive.works.forms.fields import CONTENT_MAX
from ficarchive.works.forms.work import WorkForm
from ficarchive.works.models import Work
from tests.html import parse
from tests.works.posting_data import work_data

pytestmark = pytest.mark.django_db

# Japanese text: 3 bytes of UTF-8 a character, 9 once percent-encoded in a form post.
JAPANESE = "灯台の光が海を照らしていた。"


def test_a_long_japanese_chapter_within_the_field_limit_is_posted(
    client: Client, author: User
) -> None:
    text = (JAPANESE * (300_000 // len(JAPANESE) + 1))[:300_000]
    client.force_login(author)
    response = client.post("/works/new", work_data(author, text=text))
    assert response.status_code == 302
    assert Work.objects.get().chapters.get().text == text


def test_every_posting_limit_holds_its_fields_and_stays_under_the_ceiling() -> None:
    for form in (WorkForm, ChapterForm):
        limit = form_body_bytes(form)
        assert limit >= CONTENT_MAX * 12
        assert limit <= settings.DATA_UPLOAD_MAX_MEMORY_SIZE


def test_a_body_too_large_answers_413_with_the_form_and_a_message(
    client: Client, author: User
) -> None:
    client.force_login(author)
    data: dict[str, Any] = work_data(author, title="Too Big")
    data["text"] = "x" * (form_body_bytes(WorkForm) + 1)
    response = client.post("/works/new", data)
    assert response.status_code == 413
    page = parse(response.content)
    assert page.find_all("form")
    assert page.find_all("textarea", name="text")
    assert "nothing was saved" in response.content.decode()
    assert not Work.objects.exists()


def test_other_routes_keep_the_default_limit(client: Client) -> None:
    response = client.post("/login", {"username": "x", "password": "y" * DEFAULT_BODY_BYTES})
    assert response.status_code == 413
    assert "nothing was saved" in response.content.decode()
