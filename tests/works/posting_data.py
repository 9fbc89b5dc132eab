"""Form data for the posting forms, and quick ways to post through them."""

from __future__ import annotations

from typing import Any

from django.test import Client

from ficarchive.accounts.models import User
from ficarchive.works.models import Language, Work

TEXT = "The lantern swung in the wind above the harbour.\n\nMorning came slowly."


def work_data(user: User, **overrides: Any) -> dict[str, Any]:
    """A valid work form: General Audiences, no warnings apply, one new fandom, some text."""
    data: dict[str, Any] = {
        "title": "Harbour Lights",
        "pseuds": [str(user.default_pseud().pk)],
        "cocreators": "",
        "rating": "General Audiences",
        "warnings": ["No Archive Warnings Apply"],
        "categories": ["Gen"],
        "fandoms": "Lighthouse Keepers (TV)",
        "relationships": "",
        "characters": "Mara Quill, Tobias Fenn",
        "freeforms": "Fluff, Found Family",
        "language": str(Language.objects.get(code="en").pk),
        "summary": "Two keepers and one storm.",
        "notes": "",
        "endnotes": "",
        "expected_chapters": "1",
        "published_on": "",
        "publish_at": "",
        "chapter_title": "",
        "text": TEXT,
        "action": "post",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def chapter_data(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "chapter_title": "The Second Night",
        "chapter_summary": "",
        "chapter_notes": "",
        "chapter_endnotes": "",
        "text": "The second night was quieter than the first one.",
        "expected_chapters": "",
        "action": "save",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def post_work(client: Client, user: User, **overrides: Any) -> Work:
    """Post a work through the form as `user` (already logged in) and return it."""
    before = set(Work.objects.values_list("pk", flat=True))
    response = client.post("/works/new", work_data(user, **overrides))
    assert response.status_code == 302, response.content.decode()[:3000]
    (new,) = set(Work.objects.values_list("pk", flat=True)) - before
    return Work.objects.get(pk=new)
