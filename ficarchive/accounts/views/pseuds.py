"""Managing one's pseuds: list, create, edit (rename), delete, make default."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from ficarchive.accounts.current import logged_in_user
from ficarchive.accounts.forms import PseudForm
from ficarchive.accounts.models import Pseud
from ficarchive.accounts.pseuds import (
    PseudError,
    pseud_create,
    pseud_delete,
    pseud_make_default,
    pseud_update,
)


def _own_pseud(request: HttpRequest, pseud_id: int) -> Pseud:
    pseud = (
        Pseud.objects.select_related("user")
        .filter(pk=pseud_id, user=logged_in_user(request))
        .first()
    )
    if pseud is None:
        raise Http404("No such pseud.")
    return pseud


@login_required
def pseud_list(request: HttpRequest) -> HttpResponse:
    pseuds = Pseud.objects.filter(user=logged_in_user(request)).select_related("user")
    return render(request, "accounts/pseuds.html", {"pseuds": pseuds})


@login_required
def pseud_new(request: HttpRequest) -> HttpResponse:
    form = PseudForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            pseud = pseud_create(
                logged_in_user(request),
                form.cleaned_data["name"],
                form.cleaned_data["description"],
            )
        except PseudError as error:
            form.add_error("name", str(error))
        else:
            messages.success(request, f"The pseud {pseud.name} was created.")
            return redirect("accounts:pseuds")
    return render(request, "accounts/pseud_form.html", {"form": form, "pseud": None})


@login_required
def pseud_edit(request: HttpRequest, pseud_id: int) -> HttpResponse:
    pseud = _own_pseud(request, pseud_id)
    initial = {"name": pseud.name, "description": pseud.description}
    form = PseudForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            pseud_update(pseud, form.cleaned_data["name"], form.cleaned_data["description"])
        except PseudError as error:
            form.add_error("name", str(error))
        else:
            messages.success(request, "The pseud was saved.")
            return redirect("accounts:pseuds")
    return render(request, "accounts/pseud_form.html", {"form": form, "pseud": pseud})


@login_required
def pseud_delete_view(request: HttpRequest, pseud_id: int) -> HttpResponse:
    pseud = _own_pseud(request, pseud_id)
    if request.method == "POST":
        try:
            moved = pseud_delete(pseud)
        except PseudError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request, f"The pseud was deleted; {moved} work(s) moved to your default pseud."
            )
        return redirect("accounts:pseuds")
    works = pseud.creatorships.count()
    return render(request, "accounts/pseud_delete.html", {"pseud": pseud, "works": works})


@require_POST
@login_required
def pseud_default(request: HttpRequest, pseud_id: int) -> HttpResponse:
    pseud = _own_pseud(request, pseud_id)
    pseud_make_default(pseud)
    messages.success(request, f"{pseud.name} is now your default pseud.")
    return redirect("accounts:pseuds")
