"""Social views: leaving kudos (htmx in place, or a plain form post), and blocking users."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from ficarchive.accounts.access import user_for
from ficarchive.accounts.current import logged_in_user
from ficarchive.accounts.models import User
from ficarchive.core.throttle import client_ip
from ficarchive.social.blocking import BlockError, blocked_users, user_block, user_unblock
from ficarchive.social.services import KudosError, kudos_give, kudos_refusal, kudos_summary
from ficarchive.works.access import Need, work_for
from ficarchive.works.models import Work

KUDOS_THANKS = "Thank you for leaving kudos!"


def kudos_context(request: HttpRequest, work: Work, message: str = "") -> dict[str, Any]:
    """What the work page's kudos section shows this reader."""
    return {
        "work": work,
        "user": request.user,
        "summary": kudos_summary(work),
        "can_give": kudos_refusal(work, request.user) is None,
        "kudos_message": message,
    }


def _checked(_request: HttpRequest) -> HttpResponse:
    return HttpResponse()


def _csrf_failure(request: HttpRequest) -> HttpResponseBase | None:
    """Django's CSRF check, for logged-in users only (see kudos_create)."""
    return CsrfViewMiddleware(_checked).process_view(request, _checked, (), {})


@csrf_exempt
@require_POST
def kudos_create(request: HttpRequest, work_id: int) -> HttpResponseBase:
    """Leave kudos. Guests' work pages come from a shared cache, which cannot hold a CSRF token
    of theirs, so guests' kudos are exempt from the check (forging one gains an attacker one
    guest kudos); logged-in users' are checked as every form is."""
    if request.user.is_authenticated:
        failure = _csrf_failure(request)
        if failure is not None:
            return failure
    work = work_for(request.user, work_id, Need.READ)
    giver: User | str = (
        logged_in_user(request) if request.user.is_authenticated else client_ip(request)
    )
    try:
        kudos_give(work, giver)
    except KudosError as error:
        message, level = str(error), messages.ERROR
    else:
        message, level = KUDOS_THANKS, messages.SUCCESS
    if request.headers.get("HX-Request") == "true":
        work.refresh_from_db(fields=["kudos_count"])
        return render(request, "social/_kudos.html", kudos_context(request, work, message))
    messages.add_message(request, level, message)
    return redirect(reverse("works:work_detail", args=[work.pk]) + "#kudos")


@login_required
def block_confirm(request: HttpRequest, login: str) -> HttpResponse:
    """GET explains what blocking does; POST blocks."""
    user = logged_in_user(request)
    other = user_for(login)
    if request.method == "POST":
        try:
            user_block(user, other)
        except BlockError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                f"You have blocked {other.username}. They can no longer comment on, leave kudos "
                "on or give gifts to your works.",
            )
        return redirect("accounts:user_works", other.username)
    return render(request, "social/block_confirm.html", {"other": other})


@require_POST
@login_required
def unblock(request: HttpRequest, login: str) -> HttpResponse:
    # A blocked account may have been deactivated since; its block can still be lifted.
    other = user_for(login, active_only=False)
    if user_unblock(logged_in_user(request), other):
        messages.success(request, f"You have unblocked {other.username}.")
    else:
        messages.info(request, f"You had not blocked {other.username}.")
    if request.POST.get("back") == "blocked" or not other.is_active:
        return redirect("social:blocked")
    return redirect("accounts:user_works", other.username)


@login_required
def blocked_list(request: HttpRequest) -> HttpResponse:
    blocks = blocked_users(logged_in_user(request))
    return render(request, "social/blocked.html", {"blocks": blocks})
