"""Reading views. A first version: the newest works and a work's page."""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from ficarchive.works.models import Work

WORKS_PER_PAGE = 20


def home(request: HttpRequest) -> HttpResponse:
    works = (
        Work.objects.filter(posted=True, hidden_by_admin=False, restricted=False)
        .select_related("language")
        .order_by("-revised_at", "-id")
    )
    page = Paginator(works, WORKS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "works/home.html", {"page": page})


def work_detail(request: HttpRequest, work_id: int) -> HttpResponse:
    work = get_object_or_404(
        Work.objects.select_related("language"),
        pk=work_id,
        posted=True,
        hidden_by_admin=False,
        restricted=False,
    )
    chapters = work.chapters.filter(posted=True).order_by("position")
    return render(request, "works/work_detail.html", {"work": work, "chapters": chapters})
