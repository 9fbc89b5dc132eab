"""Never lose text: what someone typed into a form comes back when sending it failed through no
fault of theirs. A POST from someone whose session expired is kept in the session (which
survives logging in) and fills the form again afterwards; a POST whose CSRF check failed (a
page left open for days, cookies cleared) gets its form back at once, filled, with a fresh
token. Nothing is saved from either request.

Any app's form views join in: `login_required_keeping_form` instead of login_required, with
`form_restore` and `initial_from` when the form page is shown, and `csrf_recoverable` to say
how the form page is drawn again after a failed check.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, QueryDict
from django.urls import Resolver404, resolve

SESSION_KEY = "posting_recovery"
# Posted fields that are not the writer's text: a stale token, and the button that was pressed.
_NOT_KEPT = {"csrfmiddlewaretoken", "action"}
_CSRF_PAGE_ATTRIBUTE = "recover_form_page"

View = Callable[..., HttpResponse]
# Draws a form page again from what was posted to it; called with the view's URL arguments.
FormPage = Callable[..., HttpResponse]


def form_keep(request: HttpRequest) -> None:
    """Keep this POST's fields in the session, for the page it was sent to."""
    request.session[SESSION_KEY] = {
        "path": request.path,
        "data": {key: values for key, values in request.POST.lists() if key not in _NOT_KEPT},
    }


def form_restore(request: HttpRequest) -> QueryDict | None:
    """The fields kept from a POST to this page, once (they are dropped from the session)."""
    kept = request.session.get(SESSION_KEY)
    if not kept or kept.get("path") != request.path:
        return None
    del request.session[SESSION_KEY]
    data = QueryDict(mutable=True)
    for key, values in kept.get("data", {}).items():
        data.setlist(key, [str(value) for value in values])
    return data


def initial_from(form_class: type[forms.Form], data: QueryDict) -> dict[str, Any]:
    """Posted values as a form's initial values, so that the form shows them without
    complaining yet about what is missing."""
    initial: dict[str, Any] = {}
    for name, field in form_class.base_fields.items():
        if name not in data:
            continue
        multiple = isinstance(field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField)
        initial[name] = data.getlist(name) if multiple else data.get(name)
    return initial


def restored_notice(request: HttpRequest) -> None:
    """Tell the writer that the form holds what they typed, and that it is not saved yet."""
    messages.info(
        request,
        "Here is what you typed before you were logged out. Nothing is saved yet: check it "
        "and submit again.",
    )


def login_required_keeping_form(view: View) -> View:
    """Like login_required, but a POST from someone whose session expired is kept (form_keep)
    and comes back in the form after they log in (form_restore)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated:
            return view(request, *args, **kwargs)
        if request.method == "POST":
            form_keep(request)
            messages.warning(
                request,
                "You were logged out before your changes were saved, so nothing was saved yet. "
                "Log in and your text will be back in the form, ready to submit again.",
            )
        return redirect_to_login(request.get_full_path())

    return wrapped


def csrf_recoverable(form_page: FormPage) -> Callable[[View], View]:
    """Mark a form view whose form comes back filled after a failed CSRF check:
    `form_page(request, **url_kwargs)` draws it again from request.POST. The mark is an
    attribute of the view, as Django's csrf_exempt is, so nothing needs registering."""

    def mark(view: View) -> View:
        setattr(view, _CSRF_PAGE_ATTRIBUTE, form_page)
        return view

    return mark


def recover_after_csrf_failure(request: HttpRequest) -> HttpResponse | None:
    """For a form view marked csrf_recoverable: its form page, filled with what was sent, with
    a message. None for other pages."""
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return None
    form_page: FormPage | None = getattr(match.func, _CSRF_PAGE_ATTRIBUTE, None)
    if form_page is None:
        return None
    messages.warning(
        request,
        "Your changes were not saved: the page's security check had expired. Everything you "
        "typed is below; check it and submit again.",
    )
    return form_page(request, **match.kwargs)
