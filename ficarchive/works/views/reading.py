"""Reading views: a work (whole or chapter by chapter) and its chapter index. Every work is
fetched through the visibility rule of the Work model. The listings (the newest works, a
tag's works) are the search app's."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from ficarchive.works.access import Need, work_for
from ficarchive.works.gate import adult_gate_applies, proceed_query, remember_adult_choice
from ficarchive.works.history import reading_of, reading_record
from ficarchive.works.models import Chapter, Work
from ficarchive.works.pagecache import (
    cache_reading,
    cached_reading,
    cached_response,
    forget_reading,
    reading_cache_key,
)
from ficarchive.works.services import hit_visitor, visitor_hit, work_hit


def work_detail(request: HttpRequest, work_id: int) -> HttpResponse:
    return _reading(request, work_id, None)


def chapter_detail(request: HttpRequest, work_id: int, chapter_id: int) -> HttpResponse:
    return _reading(request, work_id, chapter_id)


def chapter_select(request: HttpRequest, work_id: int) -> HttpResponse:
    """Where the chapter menu's form goes: on to the chosen chapter."""
    work = _readable_work(request, work_id)
    value = request.GET.get("selected_id", "")
    if not (value.isascii() and value.isdigit() and len(value) <= 18):
        raise Http404("No chapter chosen.")
    if not work.posted_chapters().filter(pk=int(value)).exists():
        raise Http404("This work has no such chapter.")
    return redirect("works:chapter_detail", work.pk, int(value))


def work_navigate(request: HttpRequest, work_id: int) -> HttpResponse:
    """The chapter index: every chapter with its date."""
    work = _readable_work(request, work_id)
    return render(request, "works/navigate.html", {"work": work, "chapters": _chapters(work)})


def _readable_work(request: HttpRequest, work_id: int) -> Work:
    works = Work.objects.for_reading().prefetch_related("collection_items__collection")
    return work_for(request.user, work_id, Need.READ, works=works)


def _chapters(work: Work) -> list[Chapter]:
    """The posted chapters in order, without their text, which only the shown ones need."""
    return list(work.posted_chapters().defer("text", "html"))


def _reading(request: HttpRequest, work_id: int, chapter_id: int | None) -> HttpResponse:
    """A work's page (one chapter, or all of them), from the cache for guests when it can."""
    remember_adult_choice(request)
    key = reading_cache_key(request)
    cached = cached_reading(key)
    if cached is not None and not Work.objects.visible_to(request.user).filter(pk=work_id).exists():
        # Hidden, restricted or deleted since the page was cached: no guest reads it any more.
        forget_reading(key)
        cached = None
    if cached is not None:
        content, text_shown = cached
        if text_shown:
            # Guests are never creators, and their cached pages are of posted, unhidden works.
            visitor_hit(work_id, hit_visitor(request.user, request.META.get("REMOTE_ADDR")))
        return cached_response(request, content)

    try:
        work = _readable_work(request, work_id)
    except Http404:
        return _mystery_or_404(request, work_id)
    chapters = _chapters(work)
    if chapter_id is None:
        whole = request.GET.get("view_full_work") == "true" or len(chapters) <= 1
        shown = chapters if whole else chapters[:1]
    else:
        current = next((chapter for chapter in chapters if chapter.pk == chapter_id), None)
        if current is None and Chapter.objects.filter(pk=chapter_id).exists():
            # Another work's chapter, or one this reader may not see yet.
            raise Http404("This work has no such chapter.")
        if current is None or len(chapters) == 1:
            # A deleted chapter (a re-import with fewer chapters) leaves links, bookmarks
            # and "continue reading" behind: they lead to the work, which this reader may read.
            return redirect("works:work_detail", work.pk)
        shown = [current]
    response, text_shown = _reading_page(request, work, chapters, shown)
    cache_reading(key, response, text_shown)
    if text_shown:
        work_hit(work, request.user, request.META.get("REMOTE_ADDR"))
        if request.user.is_authenticated:
            reading_record(request.user, work.pk, shown[0].pk if chapter_id else None)
    return response


def _mystery_or_404(request: HttpRequest, work_id: int) -> HttpResponse:
    """A work of an unrevealed collection that this reader may not open: "Mystery work"
    and its collections, nothing else (still a 404, as for every work one may not open)."""
    mysteries = Work.objects.filter(
        pk=work_id, in_unrevealed_collection=True, posted=True, hidden_by_admin=False
    )
    if not request.user.is_authenticated:
        # A restricted work is not even a mystery to guests.
        mysteries = mysteries.filter(restricted=False)
    mystery = mysteries.prefetch_related("collection_items__collection").first()
    if mystery is None:
        raise Http404("No such work.")
    context = {"collections": mystery.shown_collections()}
    return render(request, "works/mystery.html", context, status=404)


def _reading_page(
    request: HttpRequest, work: Work, chapters: list[Chapter], shown: list[Chapter]
) -> tuple[HttpResponse, bool]:
    """The work page with the `shown` chapters' text, or the adult-content notice instead;
    and whether the text was shown."""
    context: dict[str, object] = {
        "work": work,
        "chapters": chapters,
        "many": len(chapters) > 1,
        # Read before this visit is counted: where the reader was last time.
        "reading": reading_of(request.user, work),
    }
    if adult_gate_applies(request, work):
        context["proceed_query"] = proceed_query(request)
        return render(request, "works/adult_gate.html", context), False

    texts = dict(
        Chapter.objects.filter(pk__in=[chapter.pk for chapter in shown]).values_list("pk", "html")
    )
    for chapter in shown:
        chapter.html = texts[chapter.pk]
    whole = len(shown) == len(chapters)
    position = 0 if whole else chapters.index(shown[0])
    context.update(
        shown=shown,
        whole=whole,
        current=None if whole else shown[0],
        previous=chapters[position - 1] if not whole and position > 0 else None,
        next=chapters[position + 1] if not whole and position + 1 < len(chapters) else None,
        # The work's summary and notes open its first chapter; its end notes close the last.
        show_work_preface=whole or position == 0,
        show_work_endnotes=whole or position == len(chapters) - 1,
    )
    return render(request, "works/work_detail.html", context), True
