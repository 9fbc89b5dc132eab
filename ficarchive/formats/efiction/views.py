"""Old eFiction URLs answer 301 to the pages their stories, chapters, members, series and
categories became, from the links the import kept (formats.LegacyLink)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponsePermanentRedirect
from django.urls import reverse

from ficarchive.accounts.models import User
from ficarchive.formats.efiction.links import link_target
from ficarchive.formats.models import LegacyKind
from ficarchive.tags.models import Tag
from ficarchive.works.models import Chapter
from ficarchive.works.templatetags.reading import tag_works_url


def _old_id(request: HttpRequest, name: str) -> str:
    value = request.GET.get(name, "").strip()
    if not value.isdigit() or len(value) > 12:
        raise Http404("No such page.")
    return str(int(value))


def _target(kind: str, old_id: str) -> int:
    found = link_target(kind, old_id)
    if found is None:
        raise Http404("No such page.")
    return found


def viewstory(request: HttpRequest) -> HttpResponsePermanentRedirect:
    """viewstory.php?sid=N, with &chapter=M (eFiction's chapter number, 1 first)."""
    work_id = _target(LegacyKind.STORY, _old_id(request, "sid"))
    if request.GET.get("chapter", "").strip().isdigit():
        number = int(request.GET["chapter"])
        # Imported chapters keep eFiction's order, so the number is the position.
        chapter = Chapter.objects.filter(work_id=work_id, position=number).only("pk").first()
        if chapter is not None:
            return HttpResponsePermanentRedirect(
                reverse("works:chapter_detail", args=[work_id, chapter.pk])
            )
    return HttpResponsePermanentRedirect(reverse("works:work_detail", args=[work_id]))


def viewuser(request: HttpRequest) -> HttpResponsePermanentRedirect:
    user_id = _target(LegacyKind.AUTHOR, _old_id(request, "uid"))
    login = User.objects.filter(pk=user_id).values_list("username", flat=True).first()
    if login is None:
        raise Http404("No such page.")
    return HttpResponsePermanentRedirect(reverse("accounts:profile", args=[login]))


def viewseries(request: HttpRequest) -> HttpResponsePermanentRedirect:
    series_id = _target(LegacyKind.SERIES, _old_id(request, "seriesid"))
    return HttpResponsePermanentRedirect(reverse("works:series_detail", args=[series_id]))


def browse(request: HttpRequest) -> HttpResponsePermanentRedirect:
    """browse.php?type=categories&catid=N: the category's fandom."""
    if request.GET.get("type") != "categories":
        raise Http404("No such page.")
    tag_id = _target(LegacyKind.CATEGORY, _old_id(request, "catid"))
    name = Tag.objects.filter(pk=tag_id).values_list("name", flat=True).first()
    if name is None:
        raise Http404("No such page.")
    return HttpResponsePermanentRedirect(tag_works_url(name))
