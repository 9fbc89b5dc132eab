"""The creator's dashboard (`account/works`), in the accounts namespace (ficarchive.urls)
beside the other pages of one's own account."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path

from ficarchive.accounts.current import logged_in_user
from ficarchive.works.models import Creatorship, Work


@login_required
def my_works(request: HttpRequest) -> HttpResponse:
    """The creator's dashboard: invitations to answer, drafts and scheduled works, and every
    posted work, each with its edit links."""
    user = logged_in_user(request)
    own = Work.objects.by_creator(user, user).select_related("language")
    drafts = own.filter(posted=False).order_by("publish_at", "-revised_at")
    posted = own.filter(posted=True).newest_first()
    invitations = (
        Creatorship.objects.filter(pseud__user=user, approved=False)
        .select_related("work", "pseud")
        .order_by("-id")
    )
    context = {"drafts": drafts, "posted": posted, "invitations": invitations}
    return render(request, "works/dashboard.html", context)


accounts_urlpatterns = [
    path("account/works", my_works, name="my_works"),
]
