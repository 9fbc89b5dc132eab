"""No text lost: generated submissions to every form that keeps a writer's text (a new work, an
edit, a new or edited chapter, a comment, a reply, an edited comment, a new or edited bookmark).
A submission that fails (a field missing or too long, a control character, a bad id, a failed
CSRF check, a session that expired or went missing) never answers 500 and leaves the writer's
text either in the form drawn again or kept for them (core.recovery), where it is when they log
in and open the form; one that succeeds stores the text.

CI runs a quarter of Hypothesis's default examples per form; `--hypothesis-profile=fuzz-long`
runs a quarter of the profile's (1,250 per form).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils.html import escape
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ficarchive.accounts.models import User
from ficarchive.social.bookmarks import BookmarkFields, bookmark_create
from ficarchive.social.comments import Commenter, comment_post
from ficarchive.social.models import BOOKMARK_NOTES_MAX, COMMENT_MAX, Bookmark, Comment
from ficarchive.works.models import TITLE_MAX, Chapter, SerialWork, Series
from tests.factories import WorkFactory
from tests.works.posting_data import chapter_data, work_data

pytestmark = pytest.mark.django_db

# The profile loaded (Hypothesis's default, or fuzz-long) sets how many.
_LOADED = settings.default
assert _LOADED is not None
EXAMPLES = max(10, _LOADED.max_examples // 4)
KEPT_SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# What a writer types: any characters but control characters and surrogates (the forms refuse
# the first; no browser sends the second), after a few words, so that a chapter has its ten.
_TYPED = st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=200)
WRITTEN = _TYPED.map(lambda typed: "Typed by hand: " + typed)
CONTROL = st.sampled_from(["\x00", "\x01", "\x08", "\x1b", "\x7f", "\x85", "\x9f"])
# Ids a tampered form could send for a pseud.
BAD_IDS = st.sampled_from(["0", "-1", "abc", "9" * 19, str(2**63), "1e5", "", "1.5"])
# The fields a writer types in, of all the forms (a control character goes in one of them).
_TYPED_FIELDS = ["text", "title", "summary", "freeforms", "characters", "chapter_title"]
_TYPED_FIELDS += ["chapter_summary", "chapter_notes", "pseud", "notes", "tags", "creator"]
FAULTS = [
    "none",
    "missing",
    "too_long",
    "control",
    "bad_id",
    "csrf",
    "expired",
    "no_session",
]


@dataclass
class Form:
    """One form that keeps text: where it is, valid data around the writer's text, the field a
    tampered id goes in, and how to find a stored submission."""

    name: str
    path: str
    data: Callable[[str], dict[str, Any]]
    required: str | None
    long_field: str
    long_limit: int
    id_field: str | None
    stored: Callable[[str], bool]
    text_field: str = "text"


def _world(author: User) -> dict[str, Form]:
    pseud = author.default_pseud()
    work = WorkFactory.create(creators=[pseud], title="A Work to Edit")
    chapter = work.chapters.get()
    comment = comment_post(work, Commenter(user=author, pseud=pseud), "A comment to edit.")
    to_bookmark = WorkFactory.create(title="A Work to Bookmark")
    series = Series.objects.create(title="A Series to Bookmark")
    SerialWork.objects.create(series=series, work=to_bookmark, position=1)
    bookmark = bookmark_create(author, work, BookmarkFields(pseud=pseud, notes="To edit."))

    def a_work(text: str) -> dict[str, Any]:
        return work_data(author, text=text)

    def a_comment(text: str) -> dict[str, Any]:
        return {"text": text, "pseud": str(pseud.pk)}

    def work_stored(text: str) -> bool:
        return Chapter.objects.filter(text=text).exists()

    def comment_stored(text: str) -> bool:
        return Comment.objects.filter(text=text).exists()

    def a_bookmark(text: str) -> dict[str, Any]:
        return {"notes": text, "pseud": str(pseud.pk), "tags": "kept, tags"}

    def an_external_bookmark(text: str) -> dict[str, Any]:
        return {
            **a_bookmark(text),
            "url": "https://example.org/elsewhere",
            "title": "Elsewhere",
            "creator": "someone",
            "fandoms": "Harbourtown",
        }

    def bookmark_stored(text: str) -> bool:
        return Bookmark.objects.filter(notes=text).exists()

    def bookmark_form(name: str, path: str, data: Callable[[str], dict[str, Any]]) -> Form:
        return Form(
            name,
            path,
            data,
            "pseud",
            "notes",
            BOOKMARK_NOTES_MAX,
            "pseud",
            bookmark_stored,
            text_field="notes",
        )

    def comment_form(name: str, path: str) -> Form:
        return Form(name, path, a_comment, "pseud", "text", COMMENT_MAX, "pseud", comment_stored)

    return {
        form.name: form
        for form in [
            Form(
                "work_new",
                "/works/new",
                a_work,
                "rating",
                "title",
                TITLE_MAX,
                "pseuds",
                work_stored,
            ),
            Form(
                "work_edit",
                f"/works/{work.pk}/edit",
                a_work,
                "language",
                "title",
                TITLE_MAX,
                "pseuds",
                work_stored,
            ),
            Form(
                "chapter_new",
                f"/works/{work.pk}/chapters/new",
                lambda text: chapter_data(text=text),
                None,
                "chapter_title",
                TITLE_MAX,
                None,
                work_stored,
            ),
            Form(
                "chapter_edit",
                f"/works/{work.pk}/chapters/{chapter.pk}/edit",
                lambda text: chapter_data(text=text),
                None,
                "chapter_title",
                TITLE_MAX,
                None,
                work_stored,
            ),
            comment_form("comment_new", f"/works/{work.pk}/comments/new"),
            comment_form(
                "chapter_comment_new", f"/works/{work.pk}/chapters/{chapter.pk}/comments/new"
            ),
            comment_form("comment_reply", f"/comments/{comment.pk}/reply"),
            Form(
                "comment_edit",
                f"/comments/{comment.pk}/edit",
                lambda text: {"text": text},
                None,
                "text",
                COMMENT_MAX,
                None,
                comment_stored,
            ),
            bookmark_form(
                "work_bookmark_new", f"/works/{to_bookmark.pk}/bookmarks/new", a_bookmark
            ),
            bookmark_form("series_bookmark_new", f"/series/{series.pk}/bookmarks/new", a_bookmark),
            bookmark_form("external_bookmark_new", "/bookmarks/external/new", an_external_bookmark),
            bookmark_form("bookmark_edit", f"/bookmarks/{bookmark.pk}/edit", a_bookmark),
        ]
    }


FORM_NAMES = [
    "work_new",
    "work_edit",
    "chapter_new",
    "chapter_edit",
    "comment_new",
    "chapter_comment_new",
    "comment_reply",
    "comment_edit",
    "work_bookmark_new",
    "series_bookmark_new",
    "external_bookmark_new",
    "bookmark_edit",
]


def _recoverable_views(patterns: list[Any] | None = None) -> set[str]:
    names: set[str] = set()
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            names |= _recoverable_views(entry.url_patterns)
        elif isinstance(entry, URLPattern) and getattr(entry.callback, "recover_form_page", False):
            names.add(str(entry.name))
    return names


def test_every_form_that_keeps_text_is_fuzzed() -> None:
    # A view marked csrf_recoverable keeps its writer's text; each must be in FORM_NAMES.
    assert _recoverable_views() == set(FORM_NAMES)


@st.composite
def submissions(draw: Any, form: Form) -> tuple[str, str, dict[str, Any]]:
    """A fault, the writer's text, and the data sent."""
    fault = draw(st.sampled_from(FAULTS))
    text = draw(WRITTEN)
    data = form.data(text)
    if fault == "missing" and form.required:
        data.pop(form.required)
    elif fault == "too_long":
        data[form.long_field] = draw(st.sampled_from("xé語")) * (form.long_limit + 1)
    elif fault == "control":
        # In the writer's text itself, or in another field beside it.
        where = draw(st.sampled_from([name for name in _TYPED_FIELDS if name in data]))
        at = draw(st.integers(0, len(data[where])))
        data[where] = data[where][:at] + draw(CONTROL) + data[where][at:]
    elif fault == "bad_id" and form.id_field:
        data[form.id_field] = draw(BAD_IDS)
    elif fault in {"bad_id", "missing"}:
        fault = "none"  # this form has no such field
    return fault, data[form.text_field], data


def _assert_kept(client: Client, author: User, form: Form, text: str) -> None:
    """The writer logs in again and opens the form: their text is in it."""
    client.force_login(author)
    page = client.get(form.path)
    assert page.status_code == 200
    assert escape(text) in page.content.decode(), "the kept text is not in the form"


def _check(author: User, form: Form, fault: str, text: str, data: dict[str, Any]) -> None:
    cache.clear()  # the throttles of comments and of keeping text count per test, not per run
    client = Client(raise_request_exception=False, enforce_csrf_checks=fault == "csrf")
    client.force_login(author)
    client.get(form.path)  # the writer cookie and the CSRF cookie, as the form page sets them
    if fault == "expired":
        client.session.delete()  # as the session store does when it expires
    elif fault == "no_session":
        del client.cookies[django_settings.SESSION_COOKIE_NAME]
    if fault == "csrf":
        data = {**data, "csrfmiddlewaretoken": "x" * 64}
    response = client.post(form.path, data)
    status, page = response.status_code, response.content.decode()
    assert status < 500, f"{form.path} {fault}: {status}"
    if fault in {"expired", "no_session"}:
        assert status == 302 and "/login" in response["Location"], status
        _assert_kept(client, author, form, text)
    elif fault == "csrf":
        assert status == 403
        assert escape(text) not in page  # no form is filled from a request that failed its check
        _assert_kept(client, author, form, text)
    elif status in {301, 302, 303}:
        assert fault == "none", f"{form.path} took a submission with {fault}"
        assert form.stored(text), "a submission that succeeded did not store the text"
    else:
        assert escape(text) in page, f"{form.path} {fault} ({status}) lost the writer's text"


@pytest.mark.parametrize("name", FORM_NAMES)
def test_a_failed_submission_keeps_the_text_and_a_good_one_stores_it(
    author: User, name: str
) -> None:
    form = _world(author)[name]

    @KEPT_SETTINGS
    @given(submission=submissions(form))
    def check(submission: tuple[str, str, dict[str, Any]]) -> None:
        _check(author, form, *submission)

    check()


def test_a_good_submission_of_each_form_is_stored(author: User) -> None:
    # The generated runs may draw few successes for a form: one of each, for certain.
    for form in _world(author).values():
        text = f"Typed by hand for {form.name}."
        _check(author, form, "none", text, form.data(text))
        assert form.stored(text)
