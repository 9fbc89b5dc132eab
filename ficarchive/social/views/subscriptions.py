"""Subscribing (an htmx button that also works as a plain form), the subscriptions page, and
the updates list of the inbox."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from ficarchive.accounts.current import logged_in_user
from ficarchive.accounts.models import User
from ficarchive.social.subscriptions import (
    SubscriptionError,
    Target,
    subscribe,
    subscription_of,
    subscriptions_of,
    unsubscribe,
)
from ficarchive.social.updates import update_items, update_items_mark_read
from ficarchive.works.access import Need, work_for
from ficarchive.works.models import Work
from ficarchive.works.series import series_for, series_works

PER_PAGE = 20
SUBSCRIBED = "You are now subscribed: new works and chapters will come to your inbox."
UNSUBSCRIBED = "You have unsubscribed."


def _id(value: str) -> int:
    if not (value.isascii() and value.isdigit() and len(value) < 19):
        raise Http404("Nothing to subscribe to.")
    return int(value)


def target_for(user: Any, kind: str, target_id: int) -> Target:
    """What a subscription form names, fetched through the visibility rule (else 404)."""
    if kind == "work":
        return work_for(user, target_id, Need.READ)
    if kind == "series":
        return series_for(user, target_id)
    if kind == "creator":
        creator = User.objects.filter(pk=target_id, is_active=True).first()
        if creator is None:
            raise Http404("No such user.")
        return creator
    raise Http404("Nothing to subscribe to.")


def target_url(target: Target) -> str:
    if isinstance(target, Work):
        return reverse("works:work_detail", args=[target.pk])
    if isinstance(target, User):
        return reverse("accounts:user_works", args=[target.username])
    return reverse("works:series_detail", args=[target.pk])


def button_context(user: Any, target: Target, message: str = "") -> dict[str, Any]:
    kind = (
        "work" if isinstance(target, Work) else "creator" if isinstance(target, User) else "series"
    )
    return {
        "user": user,
        "kind": kind,
        "target": target,
        "subscribed": subscription_of(user, target) is not None,
        "subscription_message": message,
    }


@require_POST
@login_required
def subscription_toggle(request: HttpRequest) -> HttpResponse:
    user = logged_in_user(request)
    kind = request.POST.get("kind", "")
    target = target_for(user, kind, _id(request.POST.get("id", "")))
    if request.POST.get("action") == "unsubscribe":
        message = (
            "You have unsubscribed." if unsubscribe(user, target) else "You were not subscribed."
        )
        level = messages.SUCCESS
    else:
        try:
            subscribe(user, target)
        except SubscriptionError as error:
            message, level = str(error), messages.INFO
        else:
            message, level = (
                "You are now subscribed: new works and chapters will come to your inbox.",
                messages.SUCCESS,
            )
    if request.headers.get("HX-Request") == "true":
        context = button_context(user, target, message)
        return render(request, "social/_subscribe_button.html", context)
    messages.add_message(request, level, message)
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = target_url(target)
    return redirect(back)


@login_required
def subscriptions_page(request: HttpRequest) -> HttpResponse:
    user = logged_in_user(request)
    rows = []
    for subscription in Paginator(subscriptions_of(user), 100).get_page(request.GET.get("page")):
        target: Target | None = subscription.work or subscription.series or subscription.creator
        # A work or series the reader may no longer list is shown without its title.
        if subscription.work is not None and not subscription.work.is_listed_for(user):
            target = None
        if subscription.series is not None and not series_works(subscription.series, user).exists():
            target = None
        rows.append((subscription, target))
    return render(request, "social/subscriptions.html", {"rows": rows})


@require_POST
@login_required
def subscription_delete(request: HttpRequest, subscription_id: int) -> HttpResponse:
    """Unsubscribe from the subscriptions page, even from what is no longer visible."""
    deleted, _ = logged_in_user(request).subscriptions.filter(pk=subscription_id).delete()
    if deleted:
        messages.success(request, "You have unsubscribed.")
    return redirect("social:subscriptions")


@login_required
def updates_page(request: HttpRequest) -> HttpResponse:
    user = logged_in_user(request)
    if request.method == "POST":
        update_items_mark_read(user)
        messages.success(request, "All your updates are marked read.")
        return redirect("social:updates")
    page = Paginator(update_items(user), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "social/updates.html", {"page": page})
