"""Orphaning a work from its page: a confirmation with the choice of name, then the move."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from ficarchive.accounts.current import logged_in_user
from ficarchive.accounts.orphans import ORPHAN_LOGIN
from ficarchive.core.forms import ArchiveForm
from ficarchive.works.access import Need, work_for
from ficarchive.works.orphaning import work_orphan

KEEP, REMOVE = "keep", "remove"


class OrphanForm(ArchiveForm):
    name = forms.ChoiceField(
        label="The name on the work",
        choices=[
            (KEEP, "Keep my pseud name on it"),
            (REMOVE, f"Use the name {ORPHAN_LOGIN}"),
        ],
        widget=forms.RadioSelect,
        initial=KEEP,
    )


@login_required
def work_orphan_view(request: HttpRequest, work_id: int) -> HttpResponse:
    work = work_for(request.user, work_id, Need.EDIT)
    user = logged_in_user(request)
    form = OrphanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        work_orphan(user, work, keep_pseud_name=form.cleaned_data["name"] == KEEP)
        messages.success(
            request,
            f"“{work.title}” was orphaned: it belongs to {ORPHAN_LOGIN} now, and no page leads "
            "from it to you.",
        )
        return redirect("works:work_detail", work.pk)
    pseuds = [c.pseud for c in work.creatorships.all() if c.approved and c.pseud.user_id == user.pk]
    return render(request, "works/work_orphan.html", {"work": work, "form": form, "pseuds": pseuds})
