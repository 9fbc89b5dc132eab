"""Never lose text: what a writer typed into a form comes back when sending it failed through
no fault of theirs, and only to that writer.

A POST from a writer whose session expired is kept in the (new) session, and fills the form
again once they have logged in. It is kept only for a browser that was logged in (a signed
cookie names its last writer), only up to KEPT_MAX_CHARS, at most KEEP_RATE times a window,
for KEEP_SECONDS; it is shown only to the writer the cookie named, and dropped for anyone
else. A guest's POST is never stored, so that no one can fill the disk with sessions.

A POST whose CSRF check failed answers 403 and fills no form from the request (a cross-site
page could have written it). A logged-in writer's own session came with it (the session cookie
is SameSite=Lax, so a cross-site POST does not carry it): their text is kept as above, and
comes back when they open the form again.

Any app's form views join in: `login_required_keeping_form` instead of login_required, with
`form_restore` and `initial_from` when the form page is shown, and `csrf_recoverable` to mark
the views whose text is kept after a failed check.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import wraps
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core import signing
from django.http import HttpRequest, HttpResponse, QueryDict
from django.urls import Resolver404, resolve

from ficarchive.core.throttle import throttle

SESSION_KEY = "posting_recovery"
# The session of a logged-out writer lives only as long as what it keeps.
_SHORT_SESSION_KEY = "posting_recovery_short"
# Posted fields that are not the writer's text: a stale token, and the button that was pressed.
_NOT_KEPT = {"csrfmiddlewaretoken", "action"}
_CSRF_PAGE_ATTRIBUTE = "recover_form_page"
# The browser's last logged-in writer, signed: only their text is kept after they are logged out.
WRITER_COOKIE = "writer"
_WRITER_SALT = "ficarchive.core.recovery.writer"
WRITER_COOKIE_SECONDS = 30 * 24 * 60 * 60
# Kept text expires after a few hours; a form holds at most this much (the longest chapter the
# form takes, 510,000 characters, with room for the other fields).
KEEP_SECONDS = 6 * 60 * 60
KEPT_MAX_CHARS = 600_000
# Keeping, per writer and per address.
KEEP_RATE = "10/1h"

View = Callable[..., HttpResponse]


def last_writer(request: HttpRequest) -> int | None:
    """The user who was last logged in in this browser, from the signed cookie."""
    try:
        value = request.get_signed_cookie(
            WRITER_COOKIE, salt=_WRITER_SALT, max_age=WRITER_COOKIE_SECONDS
        )
    except (KeyError, signing.BadSignature):
        return None
    return int(value) if value and value.isdigit() else None


class WriterCookieMiddleware:
    """Names the logged-in user in a signed cookie, so that text they post after their session
    expired can be kept for them (and for no one else); gives a writer's session its normal
    lifetime back once they have logged in again."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return response
        if request.session.pop(_SHORT_SESSION_KEY, False):
            request.session.set_expiry(None)
        if last_writer(request) != user.pk:
            response.set_signed_cookie(
                WRITER_COOKIE,
                str(user.pk),
                salt=_WRITER_SALT,
                max_age=WRITER_COOKIE_SECONDS,
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        return response


def form_keep(request: HttpRequest, writer: int) -> bool:
    """Keep this POST's fields in the session for `writer`, for the page it was sent to;
    whether they were kept (not when over the size cap or the rate)."""
    data = {key: values for key, values in request.POST.lists() if key not in _NOT_KEPT}
    if sum(len(value) for values in data.values() for value in values) > KEPT_MAX_CHARS:
        return False
    if throttle(request, "form-keep", KEEP_RATE, [f"writer:{writer}"]):
        return False
    request.session[SESSION_KEY] = {
        "path": request.path,
        "writer": writer,
        "at": time.time(),
        "data": data,
    }
    if not request.user.is_authenticated:
        request.session.set_expiry(KEEP_SECONDS)
        request.session[_SHORT_SESSION_KEY] = True
    return True


def form_restore(request: HttpRequest) -> QueryDict | None:
    """The fields kept from a POST to this page by this user, once (they are dropped from the
    session). Text kept for another user, or for longer than KEEP_SECONDS, is dropped unseen."""
    kept = request.session.get(SESSION_KEY)
    if not kept:
        return None
    fresh = time.time() - float(kept.get("at", 0)) < KEEP_SECONDS
    if kept.get("writer") != request.user.pk or not fresh:
        del request.session[SESSION_KEY]
        return None
    if kept.get("path") != request.path:
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
    """Like login_required, but a POST from a writer whose session expired is kept (form_keep)
    and comes back in the form after they log in (form_restore)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated:
            return view(request, *args, **kwargs)
        writer = last_writer(request)
        if request.method == "POST" and writer is not None and form_keep(request, writer):
            messages.warning(
                request,
                "You were logged out before your changes were saved, so nothing was saved yet. "
                "Log in and your text will be back in the form, ready to submit again.",
            )
        elif request.method == "POST":
            messages.warning(
                request,
                "You were logged out, so nothing was saved, and your text could not be kept. "
                "Log in, then go back in your browser to find it.",
            )
        return redirect_to_login(request.get_full_path())

    return wrapped


def csrf_recoverable(view: View) -> View:
    """Mark a form view whose text is kept for its writer after a failed CSRF check (the mark
    is an attribute of the view, as Django's csrf_exempt is, so nothing needs registering)."""
    setattr(view, _CSRF_PAGE_ATTRIBUTE, True)
    return view


def keep_after_csrf_failure(request: HttpRequest) -> str | None:
    """For a form view marked csrf_recoverable, posted to by a logged-in writer in their own
    session: keep what they sent for them, and return the form page's address to get it back
    from. None when nothing was kept."""
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return None
    if not getattr(match.func, _CSRF_PAGE_ATTRIBUTE, False) or request.method != "POST":
        return None
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not form_keep(request, user.pk):
        return None
    return request.path
