"""A reader's history (with "continue reading"), clearing it, and Marked for Later."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from ficarchive.accounts.current import logged_in_user
from ficarchive.works.access import Need, work_for
from ficarchive.works.history import history, history_clear, later_toggle, marked_for_later

PER_PAGE = 20


@login_required
def history_page(request: HttpRequest) -> HttpResponse:
    user = logged_in_user(request)
    page = Paginator(history(user), PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "works/history.html",
        {"page": page, "later": False, "history_on": user.preferences().reading_history},
    )


@login_required
def later_page(request: HttpRequest) -> HttpResponse:
    user = logged_in_user(request)
    page = Paginator(marked_for_later(user), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "works/history.html", {"page": page, "later": True})


@require_POST
@login_required
def history_clear_view(request: HttpRequest) -> HttpResponse:
    history_clear(logged_in_user(request))
    messages.success(request, "Your reading history is cleared.")
    return redirect("works:history")


@require_POST
@login_required
def later_toggle_view(request: HttpRequest, work_id: int) -> HttpResponse:
    work = work_for(request.user, work_id, Need.READ)
    if later_toggle(logged_in_user(request), work):
        messages.success(request, "This work is Marked for Later.")
    else:
        messages.success(request, "This work is no longer Marked for Later.")
    return redirect("works:work_detail", work.pk)
