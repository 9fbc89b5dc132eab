"""An account's own pages: settings (preferences, address, password), the page after deleting
the account (works.views.account_deletion deletes it), and the dashboard of one's works, drafts
and co-creator invitations."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.views.decorators.http import require_POST

from ficarchive.accounts.current import logged_in_user
from ficarchive.accounts.forms import (
    ArchivePasswordChangeForm,
    DisplayPreferenceForm,
    EmailChangeForm,
    PreferenceForm,
)
from ficarchive.accounts.models import Preference
from ficarchive.accounts.services import (
    AccountError,
    email_change_confirm,
    email_change_request,
)


def _preference(request: HttpRequest) -> Preference:
    preference, _created = Preference.objects.get_or_create(user=logged_in_user(request))
    return preference


@login_required
def account_home(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/account.html", {})


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    preference = logged_in_user(request).preferences()
    form = PreferenceForm(request.POST or None, instance=preference)
    if request.method == "POST" and form.is_valid():
        form.instance.user = logged_in_user(request)
        form.save()
        messages.success(request, "Your preferences were saved.")
        return redirect("accounts:preferences")
    return render(request, "accounts/preferences.html", {"form": form})


@require_POST
@login_required
def display_preferences(request: HttpRequest) -> HttpResponse:
    """What the header's theme and creator's-style toggles save for a logged-in reader."""
    form = DisplayPreferenceForm(request.POST)
    if not form.is_valid():
        return HttpResponse(status=400)
    preference = _preference(request)
    if form.cleaned_data["theme"]:
        preference.theme = form.cleaned_data["theme"]
    if form.cleaned_data["creator_style"]:
        preference.hide_creator_style = form.cleaned_data["creator_style"] == "hidden"
    preference.save(update_fields=["theme", "hide_creator_style"])
    return HttpResponse(status=204)


@login_required
def email_change(request: HttpRequest) -> HttpResponse:
    form = EmailChangeForm(request.POST or None, user=logged_in_user(request))
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        if email_change_request(logged_in_user(request), email):
            messages.success(
                request,
                f"We sent a link to {email}. Your address changes when you follow it.",
            )
        else:
            messages.error(request, "The mail could not be sent; please try again later.")
        return redirect("accounts:account")
    return render(request, "accounts/email_change.html", {"form": form})


def email_change_confirm_view(request: HttpRequest, token: str) -> HttpResponse:
    try:
        user = email_change_confirm(token)
    except AccountError as error:
        return render(request, "accounts/link_failed.html", {"problem": str(error)}, status=400)
    messages.success(request, f"Your email address is now {user.email}.")
    return redirect("accounts:account" if request.user.is_authenticated else "accounts:login")


password_change = auth_views.PasswordChangeView.as_view(
    template_name="accounts/password_change.html",
    form_class=ArchivePasswordChangeForm,
    success_url=reverse_lazy("accounts:password_change_done"),
)


@login_required
def password_change_done(request: HttpRequest) -> HttpResponse:
    messages.success(request, "Your password was changed.")
    return redirect("accounts:account")


def account_deleted(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/account_deleted.html", {})
