"""The inbox: comments on one's works and replies to one's comments; read and unread, filtered
by work, replied to in place, approved, deleted, marked read."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from ficarchive.accounts.current import logged_in_user
from ficarchive.social.inbox import (
    InboxFilter,
    inbox_items,
    inbox_mark,
    inbox_mark_all_read,
    inbox_works,
)
from ficarchive.social.updates import update_items_unread

INBOX_PER_PAGE = 20
SHOWN = [(InboxFilter.ALL, "All"), (InboxFilter.UNREAD, "Unread"), (InboxFilter.READ, "Read")]


def _work_id(value: str) -> int | None:
    return int(value) if value.isascii() and value.isdigit() and len(value) < 19 else None


def _page(request: HttpRequest) -> int:
    value = request.GET.get("page", "1")
    return int(value) if value.isascii() and value.isdigit() and len(value) < 7 else 1


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    user = logged_in_user(request)
    shown = request.GET.get("shown", InboxFilter.ALL)
    if shown not in dict(SHOWN):
        shown = InboxFilter.ALL
    work_id = _work_id(request.GET.get("work", ""))
    items = (
        inbox_items(user, shown=shown, work_id=work_id)
        .select_related("comment__pseud__user", "comment__work", "comment__chapter")
        .prefetch_related("comment__work__creatorships__pseud")
    )
    page = Paginator(items, INBOX_PER_PAGE).get_page(_page(request))
    return render(
        request,
        "social/inbox.html",
        {
            "page": page,
            "shown": shown,
            "shown_choices": SHOWN,
            "work_id": work_id,
            "works": inbox_works(user),
            "next_url": request.get_full_path(),
            "updates_unread": update_items_unread(user),
        },
    )


def _back(request: HttpRequest) -> HttpResponse:
    target = request.POST.get("next", "")
    if target.startswith(reverse("social:inbox")) and "//" not in target:
        return redirect(target)
    return redirect("social:inbox")


@require_POST
@login_required
def inbox_update(request: HttpRequest) -> HttpResponse:
    """Mark the chosen items read or unread, or everything (of the filtered work) read."""
    user = logged_in_user(request)
    action = request.POST.get("action", "")
    if action == "all_read":
        count = inbox_mark_all_read(user, _work_id(request.POST.get("work", "")))
        messages.success(request, f"Marked {count} comment{'s' if count != 1 else ''} read.")
        return _back(request)
    ids = [pk for pk in map(_work_id, request.POST.getlist("items")) if pk is not None]
    if action not in ("read", "unread") or not ids:
        messages.error(request, "Choose the comments to mark, and whether read or unread.")
        return _back(request)
    inbox_mark(user, ids, read=action == "read")
    return _back(request)
