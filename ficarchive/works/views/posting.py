"""Posting views: new work, edit, preview, drafts and scheduling, chapters, delete, and the
co-creator invitations. Every view fetches the work through `_editable` (only its accepted
creators may change it), validates a form, calls one service in works.posting, and redirects.

Nothing typed is lost: a logged-out POST (the session expired) keeps the form in the session
and comes back filled after logging in; a failed CSRF check shows the form again, filled
(`recover_after_csrf_failure`).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import Resolver404, resolve, reverse
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_POST

from ficarchive.accounts.current import logged_in_user
from ficarchive.works.forms import (
    ChapterForm,
    ChapterOrderForm,
    WorkForm,
    chapter_initial,
    work_initial,
)
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

RECOVERY_SESSION_KEY = "posting_recovery"
View = Callable[..., HttpResponse]


def _editable(request: HttpRequest, work_id: int) -> Work:
    """The work, if this user is one of its accepted creators; else 404, which also keeps
    drafts secret."""
    work = Work.objects.for_reading().filter(pk=work_id).first()
    if work is None or not work.is_by(request.user):
        raise Http404("No such work.")
    return work


def _editable_chapter(request: HttpRequest, work_id: int, chapter_id: int) -> Chapter:
    work = _editable(request, work_id)
    chapter = work.chapters.filter(pk=chapter_id).first()
    if chapter is None:
        raise Http404("This work has no such chapter.")
    chapter.work = work
    return chapter


def posting_login_required(view: View) -> View:
    """Like login_required, but a POST from someone whose session expired is kept (in the
    session, which survives logging in) and comes back in the form afterwards."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated:
            return view(request, *args, **kwargs)
        if request.method == "POST":
            request.session[RECOVERY_SESSION_KEY] = {
                "path": request.path,
                "data": {
                    key: values
                    for key, values in request.POST.lists()
                    if key not in {"csrfmiddlewaretoken", "action"}
                },
            }
            messages.warning(
                request,
                "You were logged out before your changes were saved, so nothing was saved yet. "
                "Log in and your text will be back in the form, ready to submit again.",
            )
        return redirect_to_login(request.get_full_path())

    return wrapped


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


def _recovered(request: HttpRequest) -> QueryDict | None:
    """Form data kept from a logged-out POST to this page, once."""
    kept = request.session.get(RECOVERY_SESSION_KEY)
    if not kept or kept.get("path") != request.path:
        return None
    del request.session[RECOVERY_SESSION_KEY]
    data = QueryDict(mutable=True)
    for key, values in kept.get("data", {}).items():
        data.setlist(key, [str(value) for value in values])
    return data


def initial_from(form_class: type[forms.Form], data: QueryDict) -> dict[str, Any]:
    """Posted values as a form's initial values, so that the form shows them without
    complaining yet about what is missing."""
    initial: dict[str, Any] = {}
    for name, field in form_class.base_fields.items():
        if name not in data:
            continue
        multiple = isinstance(field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField)
        initial[name] = data.getlist(name) if multiple else data.get(name)
    return initial


def _restored_notice(request: HttpRequest) -> None:
    messages.info(
        request,
        "Here is what you typed before you were logged out. Nothing is saved yet: check it "
        "and submit again.",
    )


def _action(request: HttpRequest) -> str:
    return request.POST.get("action", "")


def _preview(render_work: Callable[[], Work], request: HttpRequest, **extra: Any) -> SafeString:
    """Render the preview of a change made in a transaction that is then rolled back: the
    real page components show exactly what posting would, and nothing is saved."""
    with transaction.atomic():
        work = Work.objects.for_reading().get(pk=render_work().pk)
        chapters = list(work.chapters.filter(posted=True).order_by("position"))
        blurb = render_to_string("works/components/blurb.html", {"work": work})
        html = render_to_string(
            "works/_preview.html",
            {
                "work": work,
                "chapters": chapters,
                "many": len(chapters) > 1,
                "blurb": mark_safe(blurb),
                **extra,
            },
            request=request,
        )
        transaction.set_rollback(True)
    return mark_safe(html)


def _work_form_page(
    request: HttpRequest, form: WorkForm, work: Work | None, preview: SafeString | None = None
) -> HttpResponse:
    return render(
        request,
        "works/work_form.html",
        {"form": form, "work": work, "preview": preview, "action_url": request.path},
    )


@posting_login_required
def work_new(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        kept = _recovered(request)
        if kept is not None:
            _restored_notice(request)
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
            preview = _preview(
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


@posting_login_required
def work_edit(request: HttpRequest, work_id: int) -> HttpResponse:
    work = _editable(request, work_id)
    if request.method != "POST":
        kept = _recovered(request)
        if kept is not None:
            _restored_notice(request)
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
            preview = _preview(
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


@posting_login_required
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


@posting_login_required
def chapter_new(request: HttpRequest, work_id: int) -> HttpResponse:
    work = _editable(request, work_id)
    if request.method != "POST":
        kept = _recovered(request)
        initial = initial_from(ChapterForm, kept) if kept is not None else {}
        if kept is not None:
            _restored_notice(request)
        form = ChapterForm(initial=initial, work=work, adding=True)
        return _chapter_form_page(request, form, work, None)
    form = ChapterForm(request.POST, work=work, adding=True)
    if not form.is_valid():
        return _chapter_form_page(request, form, work, None)
    expected = form.cleaned_data["expected_chapters"]
    if _action(request) == "preview":
        preview = _preview(
            lambda: chapter_add(work, form.chapter_fields(), expected_chapters=expected).work,
            request,
            only_last=True,
        )
        return _chapter_form_page(request, form, _editable(request, work_id), None, preview)
    chapter = chapter_add(work, form.chapter_fields(), expected_chapters=expected)
    messages.success(request, f"Chapter {chapter.position} was added.")
    return redirect("works:chapter_detail", work.pk, chapter.pk)


@posting_login_required
def chapter_edit(request: HttpRequest, work_id: int, chapter_id: int) -> HttpResponse:
    chapter = _editable_chapter(request, work_id, chapter_id)
    work = chapter.work
    if request.method != "POST":
        kept = _recovered(request)
        initial = chapter_initial(chapter)
        if kept is not None:
            _restored_notice(request)
            initial.update(initial_from(ChapterForm, kept))
        form = ChapterForm(initial=initial, work=work, adding=False)
        return _chapter_form_page(request, form, work, chapter)
    form = ChapterForm(request.POST, work=work, adding=False)
    if not form.is_valid():
        return _chapter_form_page(request, form, work, chapter)
    if _action(request) == "preview":
        preview = _preview(
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


@posting_login_required
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


@posting_login_required
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


# The pages whose forms come back filled after a failed CSRF check.
_RECOVERABLE = {"work_new", "work_edit", "chapter_new", "chapter_edit"}


def recover_after_csrf_failure(request: HttpRequest) -> HttpResponse | None:
    """For a posting form whose CSRF check failed (a page left open for days, cookies
    cleared): the same form, filled with what was sent, with a fresh token and a message.
    Nothing is saved from such a request. None for other pages."""
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return None
    if match.namespace != "works" or match.url_name not in _RECOVERABLE:
        return None
    messages.warning(
        request,
        "Your changes were not saved: the page's security check had expired. Everything you "
        "typed is below; check it and submit again.",
    )
    user = request.user
    work_id = match.kwargs.get("work_id")
    work = None
    if user.is_authenticated and work_id is not None:
        work = Work.objects.for_reading().filter(pk=work_id).first()
        if work is None or not work.is_by(user):
            work = None
    if match.url_name in {"work_new", "work_edit"}:
        initial = work_initial(work) if work is not None else {}
        initial.update(initial_from(WorkForm, request.POST))
        form: forms.Form = WorkForm(initial=initial, user=user, work=work)
        return _work_form_page(request, form, work)  # type: ignore[arg-type]
    initial = initial_from(ChapterForm, request.POST)
    chapter = None
    if work is not None and match.url_name == "chapter_edit":
        chapter = work.chapters.filter(pk=match.kwargs.get("chapter_id", 0)).first()
    form = ChapterForm(initial=initial, work=work, adding=match.url_name == "chapter_new")
    return render(
        request,
        "works/chapter_form.html",
        {
            "form": form,
            "work": work,
            "chapter": chapter,
            "preview": None,
            "action_url": request.path,
            "position": chapter.position if chapter else None,
        },
    )
