"""Reader control pages for muting users; muting tags and default filters are the works
app's (works/views/reader_filters.py), since they look tags up."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from ficarchive.accounts.access import user_for
from ficarchive.accounts.current import logged_in_user
from ficarchive.accounts.models import Mute
from ficarchive.accounts.muting import MutingError, user_mute, user_unmute


def back_to_next(request: HttpRequest, default: str) -> HttpResponse:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        # As an address, never a view name: redirect("0") would look one up and fail.
        return HttpResponseRedirect(target)
    return redirect(default)


@require_POST
@login_required
def user_mute_toggle(request: HttpRequest, login: str) -> HttpResponse:
    """Mute or unmute a user (`action` says which), from their page or the muted list."""
    user, other = logged_in_user(request), user_for(login)
    if request.POST.get("action") == "unmute":
        user_unmute(user, other)
        messages.success(request, f"You unmuted {other.username}; their works show again.")
    else:
        try:
            user_mute(user, other)
        except MutingError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                f"You muted {other.username}: their works no longer show in your listings and "
                "searches.",
            )
    return back_to_next(request, "accounts:muted_users")


@login_required
def muted_users(request: HttpRequest) -> HttpResponse:
    mutes = Mute.objects.filter(user=logged_in_user(request)).select_related("muted")
    return render(request, "accounts/muted_users.html", {"mutes": mutes})
