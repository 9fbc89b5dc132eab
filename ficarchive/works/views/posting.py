"""Posting views: new work, edit, preview, drafts and scheduling, chapters, delete, and the
co-creator invitations. Every view fetches the work through works.access (only its accepted
creators may change it), validates a form, calls one service in works.posting, and redirects.

Nothing typed is lost (core.recovery): a logged-out writer's POST comes back in the form after
logging in, and after a failed CSRF check a logged-in writer's text comes back in the form.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import SafeString
from django.views.decorators.http import require_POST

from ficarchive.accounts.current import logged_in_user
from ficarchive.core.bodylimit import body_limit
from ficarchive.core.recovery import (
    csrf_recoverable,
    form_restore,
    initial_from,
    login_required_keeping_form,
    restored_notice,
)
from ficarchive.works.access import Need, chapter_for, work_for
from ficarchive.works.forms.chapter import ChapterForm, ChapterOrderForm, chapter_initial
from ficarchive.works.forms.work import WorkForm, work_initial
from ficarchive.works.models import Chapter, Creatorship, Work
from ficarchive.works.posting import (
    PostingError,
    chapter_add,
    chapter_delete,
    chapter_update,
    chapters_reorder,
    cocreator_respond,
    creatorship_leave,
    work_create,
    work_delete,
    work_post_draft,
    work_update,
)
from ficarchive.works.preview import preview_render

View = Callable[..., HttpResponse]


def _editable(request: HttpRequest, work_id: int) -> Work:
    return work_for(request.user, work_id, Need.EDIT)


def _editable_chapter(request: HttpRequest, work_id: int, chapter_id: int) -> Chapter:
    return chapter_for(request.user, work_id, chapter_id, Need.EDIT)


def action_login_required(view: View) -> View:
    """For the buttons of a work page (post a draft, answer an invitation, leave): someone
    logged out is sent to log in and back to the work, not to a page that only takes POST."""

    @wraps(view)
    def wrapped(request: HttpRequest, work_id: int, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated:
            return view(request, work_id, *args, **kwargs)
        messages.warning(request, "Please log in again, then try once more.")
        return redirect_to_login(reverse("works:work_detail", args=[work_id]))

    return wrapped


def _action(request: HttpRequest) -> str:
    return request.POST.get("action", "")


def _work_form_page(
    request: HttpRequest, form: WorkForm, work: Work | None, preview: SafeString | None = None
) -> HttpResponse:
    return render(
        request,
        "works/work_form.html",
        {"form": form, "work": work, "preview": preview, "action_url": request.path},
    )


@body_limit(WorkForm)
@csrf_recoverable
@login_required_keeping_form
def work_new(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        kept = form_restore(request)
        if kept is not None:
            restored_notice(request)
            form = WorkForm(initial=initial_from(WorkForm, kept), user=request.user)
        else:
            form = WorkForm(user=request.user)
        return _work_form_page(request, form, None)
    form = WorkForm(request.POST, user=request.user)
    if not form.is_valid():
        return _work_form_page(request, form, None)
    action = _action(request)
    try:
        if action == "preview":
            preview = preview_render(
                lambda: work_create(
                    logged_in_user(request), form.work_fields(), form.chapter_fields(), post=True
                ),
                request,
            )
            return _work_form_page(request, form, None, preview)
        work = work_create(
            logged_in_user(request),
            form.work_fields(),
            form.chapter_fields(),
            post=action == "post",
        )
    except PostingError as error:
        form.add_error(None, str(error))
        return _work_form_page(request, form, None)
    _saved_message(request, work)
    return redirect("works:work_detail", work.pk)


def _saved_message(request: HttpRequest, work: Work) -> None:
    if work.posted:
        messages.success(request, "Your work was posted.")
    elif work.publish_at is not None:
        messages.success(
            request, f"Your work will be posted on {work.publish_at:%Y-%m-%d at %H:%M} UTC."
        )
    else:
        messages.success(request, "Your draft was saved. Only you can see it until you post it.")


@body_limit(WorkForm)
@csrf_recoverable
@login_required_keeping_form
def work_edit(request: HttpRequest, work_id: int) -> HttpResponse:
    work = _editable(request, work_id)
    if request.method != "POST":
        kept = form_restore(request)
        if kept is not None:
            restored_notice(request)
            initial = {**work_initial(work), **initial_from(WorkForm, kept)}
        else:
            initial = work_initial(work)
        return _work_form_page(
            request, WorkForm(initial=initial, user=request.user, work=work), work
        )
    form = WorkForm(request.POST, user=request.user, work=work)
    if not form.is_valid():
        return _work_form_page(request, form, work)
    action = _action(request)
    try:
        if action == "preview":
            preview = preview_render(
                lambda: work_update(
                    work, logged_in_user(request), form.work_fields(), form.chapter_or_none()
                ),
                request,
            )
            return _work_form_page(request, form, _editable(request, work_id), preview)
        work = work_update(
            work,
            logged_in_user(request),
            form.work_fields(),
            form.chapter_or_none(),
            post=action == "post",
        )
    except PostingError as error:
        form.add_error(None, str(error))
        return _work_form_page(request, form, work)
    if work.posted and action != "post":
        messages.success(request, "Your changes were saved.")
    else:
        _saved_message(request, work)
    return redirect("works:work_detail", work.pk)


@require_POST
@action_login_required
def work_post(request: HttpRequest, work_id: int) -> HttpResponse:
    """Post a draft (or a scheduled work) now."""
    work = _editable(request, work_id)
    work_post_draft(work)
    messages.success(request, "Your work was posted.")
    return redirect("works:work_detail", work.pk)


@login_required_keeping_form
def work_delete_view(request: HttpRequest, work_id: int) -> HttpResponse:
    work = _editable(request, work_id)
    if request.method == "POST":
        title = work.title
        work_delete(work)
        messages.success(request, f"“{title}” was deleted.")
        return redirect("accounts:my_works")
    return render(request, "works/work_confirm_delete.html", {"work": work})


def _chapter_form_page(
    request: HttpRequest,
    form: ChapterForm,
    work: Work,
    chapter: Chapter | None,
    preview: SafeString | None = None,
) -> HttpResponse:
    context = {
        "form": form,
        "work": work,
        "chapter": chapter,
        "preview": preview,
        "action_url": request.path,
        "position": chapter.position if chapter else work.chapters.count() + 1,
    }
    return render(request, "works/chapter_form.html", context)


@body_limit(ChapterForm)
@csrf_recoverable
@login_required_keeping_form
def chapter_new(request: HttpRequest, work_id: int) -> HttpResponse:
    work = _editable(request, work_id)
    if request.method != "POST":
        kept = form_restore(request)
        initial = initial_from(ChapterForm, kept) if kept is not None else {}
        if kept is not None:
            restored_notice(request)
        form = ChapterForm(initial=initial, work=work, adding=True)
        return _chapter_form_page(request, form, work, None)
    form = ChapterForm(request.POST, work=work, adding=True)
    if not form.is_valid():
        return _chapter_form_page(request, form, work, None)
    expected = form.cleaned_data["expected_chapters"]
    if _action(request) == "preview":
        preview = preview_render(
            lambda: chapter_add(work, form.chapter_fields(), expected_chapters=expected).work,
            request,
            only_last=True,
        )
        return _chapter_form_page(request, form, _editable(request, work_id), None, preview)
    chapter = chapter_add(work, form.chapter_fields(), expected_chapters=expected)
    messages.success(request, f"Chapter {chapter.position} was added.")
    return redirect("works:chapter_detail", work.pk, chapter.pk)


@body_limit(ChapterForm)
@csrf_recoverable
@login_required_keeping_form
def chapter_edit(request: HttpRequest, work_id: int, chapter_id: int) -> HttpResponse:
    chapter = _editable_chapter(request, work_id, chapter_id)
    work = chapter.work
    if request.method != "POST":
        kept = form_restore(request)
        initial = chapter_initial(chapter)
        if kept is not None:
            restored_notice(request)
            initial.update(initial_from(ChapterForm, kept))
        form = ChapterForm(initial=initial, work=work, adding=False)
        return _chapter_form_page(request, form, work, chapter)
    form = ChapterForm(request.POST, work=work, adding=False)
    if not form.is_valid():
        return _chapter_form_page(request, form, work, chapter)
    if _action(request) == "preview":
        preview = preview_render(
            lambda: chapter_update(chapter, form.chapter_fields()).work,
            request,
            only_position=chapter.position,
        )
        fresh = _editable_chapter(request, work_id, chapter_id)
        return _chapter_form_page(request, form, fresh.work, fresh, preview)
    chapter_update(chapter, form.chapter_fields())
    messages.success(request, f"Chapter {chapter.position} was saved.")
    return redirect(_chapter_url(work, chapter))


def _chapter_url(work: Work, chapter: Chapter) -> str:
    if work.chapters.count() > 1:
        return reverse("works:chapter_detail", args=[work.pk, chapter.pk])
    return reverse("works:work_detail", args=[work.pk])


@login_required_keeping_form
def chapter_delete_view(request: HttpRequest, work_id: int, chapter_id: int) -> HttpResponse:
    chapter = _editable_chapter(request, work_id, chapter_id)
    work = chapter.work
    if request.method == "POST":
        try:
            chapter_delete(chapter)
        except PostingError as error:
            messages.error(request, str(error))
            return redirect("works:chapters_manage", work.pk)
        messages.success(request, "The chapter was deleted.")
        return redirect("works:chapters_manage", work.pk)
    only = work.chapters.count() <= 1
    return render(
        request,
        "works/chapter_confirm_delete.html",
        {"work": work, "chapter": chapter, "only": only},
    )


@login_required_keeping_form
def chapters_manage(request: HttpRequest, work_id: int) -> HttpResponse:
    """The chapters of a work: edit, delete, and put them in order."""
    work = _editable(request, work_id)
    chapters = list(work.chapters.order_by("position").defer("text", "html"))
    form = ChapterOrderForm(request.POST or None, chapters=chapters)
    if request.method == "POST" and form.is_valid():
        try:
            chapters_reorder(work, form.chapter_ids())
        except PostingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "The chapters are in their new order.")
            return redirect("works:chapters_manage", work.pk)
    rows = [(chapter, form[f"position_{chapter.pk}"]) for chapter in chapters]
    context = {"work": work, "chapters": chapters, "form": form, "rows": rows}
    return render(request, "works/chapters_manage.html", context)


@require_POST
@action_login_required
def cocreator_invitation(request: HttpRequest, work_id: int) -> HttpResponse:
    """Accept or decline an invitation to be one of a work's creators."""
    creatorship = (
        Creatorship.objects.select_related("work", "pseud")
        .filter(work_id=work_id, pseud__user=logged_in_user(request), approved=False)
        .first()
    )
    if creatorship is None:
        raise Http404("No such invitation.")
    accept = request.POST.get("answer") == "accept"
    cocreator_respond(creatorship, accept=accept)
    title = creatorship.work.title
    messages.success(
        request,
        f"You are now a creator of “{title}”." if accept else f"You declined “{title}”.",
    )
    return redirect("accounts:my_works")


@require_POST
@action_login_required
def creatorship_leave_view(request: HttpRequest, work_id: int) -> HttpResponse:
    work = _editable(request, work_id)
    try:
        creatorship_leave(work, logged_in_user(request))
    except PostingError as error:
        messages.error(request, str(error))
        return redirect("works:work_edit", work.pk)
    messages.success(request, f"You are no longer a creator of “{work.title}”.")
    return redirect("accounts:my_works")
