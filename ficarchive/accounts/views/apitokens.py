"""The settings page of personal access tokens: list them, make one (shown once), revoke one."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from ficarchive.accounts.apitokens import TokenError, api_token_create, api_token_revoke
from ficarchive.accounts.current import logged_in_user
from ficarchive.accounts.forms import ApiTokenForm
from ficarchive.accounts.models import ApiToken


@login_required
def api_tokens(request: HttpRequest) -> HttpResponse:
    user = logged_in_user(request)
    form = ApiTokenForm(request.POST or None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        try:
            _row, new_token = api_token_create(
                user, form.cleaned_data["name"], form.cleaned_data["scope"]
            )
        except TokenError as error:
            form.add_error(None, str(error))
        else:
            form = ApiTokenForm()
    tokens = ApiToken.objects.filter(user=user)
    context = {"form": form, "tokens": tokens, "new_token": new_token}
    response = render(request, "accounts/api_tokens.html", context)
    if new_token:
        # The token is on this page only: no cache may keep it.
        response["Cache-Control"] = "no-store"
    return response


@require_POST
@login_required
def api_token_revoke_view(request: HttpRequest, token_id: int) -> HttpResponse:
    if api_token_revoke(logged_in_user(request), token_id):
        messages.success(request, "The token was revoked: apps using it are signed out.")
    else:
        messages.error(request, "You have no such token.")
    return redirect("accounts:api_tokens")
