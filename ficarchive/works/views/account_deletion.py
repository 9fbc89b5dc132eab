"""Deleting one's account, with a choice for its works. Its URL keeps its name in the accounts
namespace (ficarchive.urls adds it there)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import logout as auth_logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path

from ficarchive.accounts.current import logged_in_user
from ficarchive.accounts.forms import AccountDeleteForm
from ficarchive.works.account_deletion import account_delete
from ficarchive.works.models import Work


@login_required
def delete_account(request: HttpRequest) -> HttpResponse:
    form = AccountDeleteForm(request.POST or None, user=logged_in_user(request))
    if request.method == "POST" and form.is_valid():
        user = logged_in_user(request)
        auth_logout(request)
        result = account_delete(
            user,
            form.cleaned_data["works"],
            keep_pseud_name=form.cleaned_data["keep_pseud_name"],
        )
        messages.success(
            request,
            f"The account {result.login} was deleted ({result.works_orphaned} works orphaned, "
            f"{result.works_deleted} deleted).",
        )
        # Not the home page: guests' listings are cached whole, message and all.
        return redirect("accounts:account_deleted")
    user = logged_in_user(request)
    count = Work.objects.by_creator(user, user).count()
    return render(request, "accounts/delete_account.html", {"form": form, "count": count})


accounts_urlpatterns = [
    path("account/delete", delete_account, name="delete_account"),
]
