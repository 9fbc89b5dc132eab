"""Signing up, confirming the address, logging in and out, resetting a password, and the
invitation queue. Login, sign-up and password reset are throttled (core.throttle)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse_lazy

from ficarchive.accounts.forms import (
    ArchiveSetPasswordForm,
    EmailForm,
    LoginForm,
    QueuedPasswordResetForm,
    SignUpForm,
)
from ficarchive.accounts.invitations import (
    InvitationError,
    invitation_for,
    invite_request,
    queue_position,
)
from ficarchive.accounts.models import InviteRequest, User
from ficarchive.accounts.services import AccountError, confirmation_send, user_confirm, user_sign_up
from ficarchive.core.site import site_url
from ficarchive.core.throttle import throttle, too_many_requests

View = Callable[..., HttpResponse]


def signup_mode() -> str:
    """`open`, `invite` or `closed`, from ACCOUNT_SIGNUP."""
    mode = getattr(settings, "ACCOUNT_SIGNUP", "open")
    return mode if mode in {"open", "invite", "closed"} else "open"


def _throttled(request: HttpRequest, group: str, *names: str) -> HttpResponse | None:
    if request.method != "POST":
        return None
    wait = throttle(request, group, settings.ACCOUNT_RATE_LIMIT, names)
    return too_many_requests(request, wait) if wait else None


def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("works:home")
    mode = signup_mode()
    invitation = None
    if mode == "closed":
        return render(request, "accounts/signup_closed.html", status=403)
    if mode == "invite":
        token = request.POST.get("invitation") or request.GET.get("invitation", "")
        invitation = invitation_for(token)
        if invitation is None:
            if token:
                messages.error(request, "That invitation is not valid, or was used already.")
            return redirect("accounts:invite_request")
    limited = _throttled(request, "signup", request.POST.get("email", ""))
    if limited:
        return limited
    form = SignUpForm(request.POST or None, invited_email=invitation.email if invitation else None)
    if request.method == "POST" and form.is_valid():
        try:
            user, mailed = user_sign_up(
                form.cleaned_data["username"],
                form.cleaned_data["email"],
                form.cleaned_data["password1"],
                invitation=invitation,
            )
        except AccountError as error:
            form.add_error(None, str(error))
        else:
            request.session["signed_up_email"] = user.email
            if not mailed:
                messages.error(
                    request,
                    "Your account was made, but the confirmation mail could not be sent. "
                    "Ask for a new link below in a moment.",
                )
            return redirect("accounts:signup_done")
    context = {"form": form, "invitation": invitation}
    return render(request, "accounts/signup.html", context)


def signup_done(request: HttpRequest) -> HttpResponse:
    email = request.session.get("signed_up_email", "")
    return render(request, "accounts/signup_done.html", {"email": email})


def confirm(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    user = user_confirm(uidb64, token)
    if user is None:
        return render(request, "accounts/confirm_failed.html", status=400)
    messages.success(request, "Your address is confirmed. Welcome! You can log in now.")
    return redirect("accounts:login")


def confirmation_resend(request: HttpRequest) -> HttpResponse:
    limited = _throttled(request, "confirm-resend", request.POST.get("email", ""))
    if limited:
        return limited
    form = EmailForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = User.objects.filter(email__iexact=form.cleaned_data["email"]).first()
        if user is not None and user.is_awaiting_confirmation():
            confirmation_send(user)
        # The same answer either way, so that the form does not tell who has an account.
        messages.success(
            request,
            "If an account with that address waits for confirmation, a new link is on its way.",
        )
        return redirect("accounts:login")
    return render(request, "accounts/confirmation_resend.html", {"form": form})


_login_view = auth_views.LoginView.as_view(
    form_class=LoginForm,
    template_name="accounts/login.html",
    redirect_authenticated_user=True,
)


def login(request: HttpRequest) -> HttpResponseBase:
    limited = _throttled(request, "login", request.POST.get("username", ""))
    if limited:
        return limited
    return _login_view(request)


def admin_login(request: HttpRequest) -> HttpResponseBase:
    """The admin's own login form, throttled as the site's is and in the same count, so that
    tries on either form add up, by account and by address."""
    limited = _throttled(request, "login", request.POST.get("username", ""))
    if limited:
        return limited
    return admin.site.login(request)


logout = auth_views.LogoutView.as_view(next_page="works:home")


class _PasswordResetView(auth_views.PasswordResetView):
    def form_valid(self, form: Any) -> HttpResponse:
        # The link is built on SITE_URL, not on the Host the request happened to carry.
        self.extra_email_context = {"site_name": settings.SITE_NAME, "site_url": site_url()}
        return super().form_valid(form)


_password_reset_view = _PasswordResetView.as_view(
    template_name="accounts/password_reset.html",
    email_template_name="accounts/email/password_reset_body.txt",
    subject_template_name="accounts/email/password_reset_subject.txt",
    form_class=QueuedPasswordResetForm,
    success_url=reverse_lazy("accounts:password_reset_done"),
)


def password_reset(request: HttpRequest) -> HttpResponseBase:
    limited = _throttled(request, "password-reset", request.POST.get("email", ""))
    if limited:
        return limited
    return _password_reset_view(request)


password_reset_done = auth_views.PasswordResetDoneView.as_view(
    template_name="accounts/password_reset_done.html"
)
password_reset_confirm = auth_views.PasswordResetConfirmView.as_view(
    template_name="accounts/password_reset_confirm.html",
    form_class=ArchiveSetPasswordForm,
    success_url=reverse_lazy("accounts:password_reset_complete"),
)
password_reset_complete = auth_views.PasswordResetCompleteView.as_view(
    template_name="accounts/password_reset_complete.html"
)


def invite_request_view(request: HttpRequest) -> HttpResponse:
    """Join the invitation queue, or see one's place in it."""
    if signup_mode() != "invite":
        return redirect("accounts:signup")
    limited = _throttled(request, "invite-request", request.POST.get("email", ""))
    if limited:
        return limited
    form = EmailForm(request.POST or None)
    position = None
    if request.method == "POST" and form.is_valid():
        try:
            entry = invite_request(form.cleaned_data["email"])
        except InvitationError as error:
            form.add_error("email", str(error))
        else:
            position = queue_position(entry)
    waiting = InviteRequest.objects.filter(invited_at__isnull=True).count()
    context = {"form": form, "position": position, "waiting": waiting}
    return render(request, "accounts/invite_request.html", context)
