"""Series pages: a series (its works this reader may list, in order), a user's series, and the
series form of its owners (title, summary, notes, complete, the order of its works)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Prefetch, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from ficarchive.accounts.access import user_for
from ficarchive.works.access import Need
from ficarchive.works.forms.series import SeriesForm, series_initial
from ficarchive.works.listing import listing_page
from ficarchive.works.models import Creatorship, SerialWork, Series
from ficarchive.works.series import (
    SeriesError,
    series_arrange,
    series_byline,
    series_delete,
    series_for,
    series_update,
    series_works,
    user_series,
)


def series_detail(request: HttpRequest, series_id: int) -> HttpResponse:
    series = series_for(request.user, series_id)
    works = series_works(series, request.user)
    bylines = works.only("pk", "anonymous", "in_anonymous_collection").prefetch_related(
        Prefetch(
            "creatorships",
            queryset=Creatorship.objects.filter(approved=True).select_related("pseud__user"),
        )
    )
    context = {
        "series": series,
        "page": listing_page(works.for_listing(), request),
        "byline": series_byline(series, list(bylines)),
        "stats": works.aggregate(words=Sum("word_count"), count=Count("pk")),
        "editable": series.is_by(request.user),
    }
    return render(request, "works/series_detail.html", context)


def user_series_list(request: HttpRequest, login: str) -> HttpResponse:
    owner = user_for(login)
    return render(
        request,
        "works/user_series.html",
        {"owner": owner, "series_list": user_series(owner, request.user)},
    )


def _serials(series: Series) -> list[SerialWork]:
    return list(series.serial_works.select_related("work").order_by("position", "pk"))


@login_required
def series_edit(request: HttpRequest, series_id: int) -> HttpResponse:
    """The owners' form; GET shows it, POST saves the fields and the order in one go."""
    series = series_for(request.user, series_id, Need.EDIT)
    serials = _serials(series)
    if request.method != "POST":
        form = SeriesForm(initial=series_initial(series), serials=serials)
    else:
        form = SeriesForm(request.POST, serials=serials)
        if form.is_valid():
            try:
                series_update(series, form.series_fields())
                series_arrange(series, form.work_order())
            except SeriesError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, "The series was saved.")
                return redirect("works:series_detail", series.pk)
    return render(request, "works/series_form.html", {"series": series, "form": form})


@login_required
def series_delete_view(request: HttpRequest, series_id: int) -> HttpResponse:
    series = series_for(request.user, series_id, Need.EDIT)
    if request.method == "POST":
        series_delete(series)
        messages.success(request, f"The series “{series.title}” was deleted; its works stay.")
        return redirect("works:user_series", request.user.get_username())
    return render(request, "works/series_confirm_delete.html", {"series": series})
