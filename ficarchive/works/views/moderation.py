"""Admins' moderation of a work from its page: hide (with a reason), unhide, mark as spam."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from ficarchive.accounts.current import logged_in_user
from ficarchive.core.forms import ArchiveForm
from ficarchive.works.access import Need, work_for
from ficarchive.works.moderation import work_hide, work_mark_spam, work_unhide


class HideForm(ArchiveForm):
    reason = forms.CharField(
        label="Reason (the creators will see it)", max_length=2000, widget=forms.Textarea
    )


def work_hide_view(request: HttpRequest, work_id: int) -> HttpResponse:
    work = work_for(request.user, work_id, Need.MODERATE)
    form = HideForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        work_hide(work, logged_in_user(request), form.cleaned_data["reason"])
        messages.success(request, f"“{work.title}” is hidden. Its creators see your reason.")
        return redirect("works:work_detail", work.pk)
    return render(request, "works/work_hide.html", {"work": work, "form": form})


@require_POST
def work_unhide_view(request: HttpRequest, work_id: int) -> HttpResponse:
    work = work_for(request.user, work_id, Need.MODERATE)
    work_unhide(work, logged_in_user(request))
    messages.success(request, f"“{work.title}” is no longer hidden.")
    return redirect("works:work_detail", work.pk)


@require_POST
def work_spam_view(request: HttpRequest, work_id: int) -> HttpResponse:
    work = work_for(request.user, work_id, Need.MODERATE)
    work_mark_spam(work, logged_in_user(request))
    messages.success(request, f"“{work.title}” was marked as spam and hidden.")
    return redirect("works:work_detail", work.pk)
