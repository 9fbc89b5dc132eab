"""core.recovery, the one place that keeps a form's text: kept for one page and one writer,
restored once, capped, throttled and expiring; marked views keep it after a failed CSRF
check."""

from __future__ import annotations

import pytest
from django import forms
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.base import SessionBase
from django.contrib.sessions.backends.cache import SessionStore
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory

from ficarchive.core import recovery
from ficarchive.core.recovery import (
    KEPT_MAX_CHARS,
    SESSION_KEY,
    csrf_recoverable,
    form_keep,
    form_restore,
    initial_from,
    login_required_keeping_form,
)

pytestmark = pytest.mark.django_db


class NoteForm(forms.Form):
    title = forms.CharField()
    tags = forms.MultipleChoiceField(choices=[("a", "a"), ("b", "b")])


class Writer:
    is_authenticated = True

    def __init__(self, pk: int) -> None:
        self.pk = pk


def _post(path: str, data: dict[str, object], address: str = "192.0.2.1") -> HttpRequest:
    request = RequestFactory().post(path, data, REMOTE_ADDR=address)
    request.session = SessionStore()
    request.user = AnonymousUser()
    return request


def _get(path: str, session: SessionBase, user: object) -> HttpRequest:
    request = RequestFactory().get(path)
    request.session = session
    request.user = user  # type: ignore[assignment]
    return request


def test_kept_text_comes_back_once_and_only_on_its_own_page() -> None:
    posted = _post(
        "/notes/new", {"title": "Long text", "tags": ["a", "b"], "csrfmiddlewaretoken": "x"}
    )
    assert form_keep(posted, writer=7)
    assert form_restore(_get("/elsewhere", posted.session, Writer(7))) is None
    restored = form_restore(_get("/notes/new", posted.session, Writer(7)))
    assert restored is not None
    assert restored.getlist("tags") == ["a", "b"]
    assert "csrfmiddlewaretoken" not in restored
    assert initial_from(NoteForm, restored) == {"title": "Long text", "tags": ["a", "b"]}
    assert form_restore(_get("/notes/new", posted.session, Writer(7))) is None


def test_kept_text_is_shown_only_to_its_writer_and_dropped_for_anyone_else() -> None:
    posted = _post("/notes/new", {"title": "Private draft"})
    assert form_keep(posted, writer=7)
    assert form_restore(_get("/notes/new", posted.session, Writer(8))) is None
    assert SESSION_KEY not in posted.session
    assert form_restore(_get("/notes/new", posted.session, Writer(7))) is None


def test_kept_text_expires_and_the_guest_session_with_it(monkeypatch: pytest.MonkeyPatch) -> None:
    posted = _post("/notes/new", {"title": "Old text"})
    assert form_keep(posted, writer=7)
    assert posted.session.get_expiry_age() == recovery.KEEP_SECONDS
    now = recovery.time.time()
    monkeypatch.setattr(recovery.time, "time", lambda: now + recovery.KEEP_SECONDS + 1)
    assert form_restore(_get("/notes/new", posted.session, Writer(7))) is None


def test_too_much_text_is_not_kept() -> None:
    posted = _post("/notes/new", {"text": "x" * (KEPT_MAX_CHARS + 1)})
    assert not form_keep(posted, writer=7)
    assert SESSION_KEY not in posted.session


def test_keeping_is_throttled_per_writer() -> None:
    kept = [
        form_keep(_post("/notes/new", {"title": "t"}, address=f"192.0.2.{n}"), writer=7)
        for n in range(11)
    ]
    assert kept == [True] * 10 + [False]
    assert form_keep(_post("/notes/new", {"title": "t"}, address="192.0.2.99"), writer=8)


def test_a_guest_post_is_never_kept() -> None:
    @login_required_keeping_form
    def view(request: HttpRequest) -> HttpResponse:
        return HttpResponse("saved")

    request = _post("/notes/new", {"title": "Filler " * 1000})
    request._messages = _Messages()  # type: ignore[attr-defined]
    response = view(request)
    assert response.status_code == 302
    assert SESSION_KEY not in request.session
    assert not request.session.modified


def test_a_mark_is_carried_through_other_decorators() -> None:
    @csrf_recoverable
    @login_required_keeping_form
    def view(request: HttpRequest) -> HttpResponse:
        return HttpResponse("saved")

    assert view.recover_form_page is True  # type: ignore[attr-defined]


class _Messages:
    def add(self, *args: object, **kwargs: object) -> None:
        pass
