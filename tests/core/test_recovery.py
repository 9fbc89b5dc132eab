"""core.recovery, the one place that keeps a form's text: kept for one page, restored once,
and marked views' form pages drawn again after a failed CSRF check."""

from __future__ import annotations

from django import forms
from django.contrib.sessions.backends.base import SessionBase
from django.contrib.sessions.backends.cache import SessionStore
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory

from ficarchive.core.recovery import (
    csrf_recoverable,
    form_keep,
    form_restore,
    initial_from,
    login_required_keeping_form,
    recover_after_csrf_failure,
)


class NoteForm(forms.Form):
    title = forms.CharField()
    tags = forms.MultipleChoiceField(choices=[("a", "a"), ("b", "b")])


def _post(path: str, data: dict[str, object]) -> HttpRequest:
    request = RequestFactory().post(path, data)
    request.session = SessionStore()
    return request


def _get(path: str, session: SessionBase) -> HttpRequest:
    request = RequestFactory().get(path)
    request.session = session
    return request


def test_kept_text_comes_back_once_and_only_on_its_own_page() -> None:
    posted = _post(
        "/notes/new", {"title": "Long text", "tags": ["a", "b"], "csrfmiddlewaretoken": "x"}
    )
    form_keep(posted)
    assert form_restore(_get("/elsewhere", posted.session)) is None
    restored = form_restore(_get("/notes/new", posted.session))
    assert restored is not None
    assert restored.getlist("tags") == ["a", "b"]
    assert "csrfmiddlewaretoken" not in restored
    assert initial_from(NoteForm, restored) == {"title": "Long text", "tags": ["a", "b"]}
    assert form_restore(_get("/notes/new", posted.session)) is None


def test_a_marked_view_carries_its_form_page_through_other_decorators() -> None:
    def page(request: HttpRequest, **kwargs: object) -> HttpResponse:
        return HttpResponse(f"again {kwargs}")

    @csrf_recoverable(page)
    @login_required_keeping_form
    def view(request: HttpRequest) -> HttpResponse:
        return HttpResponse("saved")

    @login_required_keeping_form
    @csrf_recoverable(page)
    def inner(request: HttpRequest) -> HttpResponse:
        return HttpResponse("saved")

    assert view.recover_form_page is page  # type: ignore[attr-defined]
    assert inner.recover_form_page is page  # type: ignore[attr-defined]


def test_pages_that_are_not_marked_are_left_to_the_plain_csrf_page() -> None:
    assert recover_after_csrf_failure(_post("/login", {"username": "x"})) is None
    assert recover_after_csrf_failure(_post("/no/such/page", {})) is None
