"""Comment views: a work's or a chapter's comments, one thread, and posting, replying,
editing, deleting and moderating, in place with htmx or as plain pages.

Every comment is reached through its work (works.access.work_for) and then through what the
viewer may get of its thread (social.comments.visible_filter): a comment a viewer may not see
answers 404. A comment that fails (validation, throttling, a refusal) comes back to its writer
in the form with the text intact; one posted by a writer whose session expired is kept for
them until they have logged in (core.recovery).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from ficarchive.accounts.current import logged_in_user
from ficarchive.accounts.models import User
from ficarchive.core.recovery import (
    csrf_recoverable,
    form_keep,
    form_restore,
    initial_from,
    last_writer,
    login_required_keeping_form,
    restored_notice,
)
from ficarchive.core.throttle import client_ip, throttle
from ficarchive.social.comments import (
    CommentError,
    DuplicateComment,
    comment_approve,
    comment_delete,
    comment_edit,
    comment_hide,
    comment_mark_spam,
    comment_post,
    comment_refusal,
    is_moderator,
    may_delete,
    thread_freeze,
    visible_filter,
)
from ficarchive.social.forms import CommentForm, HideForm
from ficarchive.social.models import Comment, CommentState
from ficarchive.social.threads import (
    Order,
    Viewer,
    comment_body,
    comments_page,
    single_html,
    thread_html,
)
from ficarchive.works.access import Need, chapter_for, work_for
from ficarchive.works.models import Chapter, Work
from ficarchive.works.querysets import WorkQuerySet

POSTED = "Comment posted."
HELD = "Thank you! Your comment will show once the creator approves it."
SPAM_HELD = "Thank you! Your comment will show once a moderator has looked at it."
THROTTLED = (
    "You have posted many comments in a short time. Please wait {seconds} seconds, then "
    "post this one again: your text is still here."
)


def _htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _order(request: HttpRequest) -> str:
    return Order.NEWEST if request.GET.get("sort") == Order.NEWEST else Order.OLDEST


def _page_number(request: HttpRequest) -> int:
    value = request.GET.get("page", "1")
    return int(value) if value.isascii() and value.isdigit() and len(value) < 7 else 1


def _viewer(request: HttpRequest, work: Work) -> Viewer:
    token = get_token(request) if request.user.is_authenticated else ""
    return Viewer(request.user, work, csrf_token=token, next_url=request.get_full_path())


def _comments(
    request: HttpRequest, work: Work, chapter: Chapter | None, whole_work: bool
) -> HttpResponse:
    viewer = _viewer(request, work)
    listing = comments_page(
        work,
        viewer,
        chapter=chapter,
        whole_work=whole_work,
        page_number=_page_number(request),
        order=_order(request),
    )
    refusal = viewer.refusal
    context: dict[str, Any] = {
        "work": work,
        "chapter": chapter,
        "listing": listing,
        "form": CommentForm(user=request.user) if refusal is None else None,
        "refusal": refusal,
        "post_url": _new_url(work, chapter),
        "comments_url": request.path,
    }
    template = "social/_comments.html" if _htmx(request) else "social/comments.html"
    return render(request, template, context)


def _new_url(work: Work, chapter: Chapter | None) -> str:
    if chapter is None:
        return reverse("social:comment_new", args=[work.pk])
    return reverse("social:chapter_comment_new", args=[work.pk, chapter.pk])


def _works() -> WorkQuerySet:
    """What comment pages need of a work: its rules' creatorships, not a blurb's tags."""
    return Work.objects.prefetch_related("creatorships__pseud")


def work_comments(request: HttpRequest, work_id: int) -> HttpResponse:
    """Every comment of the work, each labelled with its chapter."""
    work = work_for(request.user, work_id, Need.READ, works=_works())
    return _comments(request, work, None, True)


def chapter_comments(request: HttpRequest, work_id: int, chapter_id: int) -> HttpResponse:
    chapter = chapter_for(request.user, work_id, chapter_id, Need.READ, works=_works())
    return _comments(request, chapter.work, chapter, False)


# Posting.


def _form_page(
    request: HttpRequest,
    form: CommentForm | None,
    *,
    work: Work,
    action: str,
    parent: Comment | None = None,
    editing: Comment | None = None,
    status: int = 200,
    message: str = "",
) -> HttpResponse:
    context = {
        "form": form,
        "work": work,
        "action": action,
        "parent": parent,
        "parent_html": thread_parent_html(request, parent) if parent and not _htmx(request) else "",
        "editing": editing,
        "message": message,
        "slot": f"reply_{parent.pk}" if parent else (f"body_{editing.pk}" if editing else ""),
    }
    if _htmx(request):
        # htmx swaps only answers of 2xx: a failed comment must come back into its form.
        return render(request, "social/_comment_form.html", context)
    return render(request, "social/comment_form.html", context, status=status)


def thread_parent_html(request: HttpRequest, parent: Comment) -> str:
    return single_html(parent, _viewer(request, parent.work))


def _throttled(request: HttpRequest, form: CommentForm) -> int | None:
    if request.user.is_authenticated:
        return throttle(request, "comment", settings.COMMENT_USER_RATE, [f"user:{request.user.pk}"])
    return throttle(
        request, "comment-guest", settings.COMMENT_GUEST_RATE, [form.cleaned_data["email"]]
    )


def _post(
    request: HttpRequest, work: Work, *, chapter: Chapter | None, parent: Comment | None
) -> HttpResponse:
    """GET: the form (with text kept from a failed post); POST: post the comment."""
    action = request.path
    if request.method != "POST":
        kept = form_restore(request) if request.user.is_authenticated else None
        if kept is not None:
            restored_notice(request)
            form = CommentForm(initial=initial_from(CommentForm, kept), user=request.user)
            form.initial.update({"text": kept.get("text", "")})
        else:
            form = CommentForm(user=request.user)
        refusal = comment_refusal(work, request.user, parent)
        if refusal is not None:
            return _form_page(
                request, None, work=work, action=action, parent=parent, message=refusal
            )
        return _form_page(request, form, work=work, action=action, parent=parent)
    writer = last_writer(request)
    expired = not request.user.is_authenticated and "pseud" in request.POST
    # A form made for a logged-in writer, whose session has expired since.
    if expired and writer is not None and form_keep(request, writer):
        messages.warning(
            request,
            "You were logged out before your comment was posted. Log in and your text "
            "will be back in the form, ready to post.",
        )
        return redirect_to_login(action)
    form = CommentForm(request.POST, user=request.user)
    if not form.is_valid():
        return _form_page(request, form, work=work, action=action, parent=parent, status=400)
    wait = _throttled(request, form)
    if wait is not None:
        response = _form_page(
            request,
            form,
            work=work,
            action=action,
            parent=parent,
            status=429,
            message=THROTTLED.format(seconds=wait),
        )
        response["Retry-After"] = str(wait)
        return response
    try:
        comment = comment_post(
            work,
            form.commenter(client_ip(request)),
            form.cleaned_data["text"],
            chapter=chapter,
            parent=parent,
        )
    except DuplicateComment as duplicate:
        comment, note = duplicate.comment, str(duplicate)
    except CommentError as error:
        return _form_page(
            request, form, work=work, action=action, parent=parent, status=400, message=str(error)
        )
    else:
        notes = {CommentState.HELD.value: HELD, CommentState.SPAM.value: SPAM_HELD}
        note = notes.get(comment.state, POSTED)
    if _htmx(request):
        comment.work = work
        return render(
            request,
            "social/_comment_posted.html",
            {"note": note, "comment_html": single_html(comment, _viewer(request, work))},
        )
    messages.success(request, note)
    return redirect(_comment_url(comment))


def _comment_url(comment: Comment) -> str:
    return reverse("social:comment_thread", args=[comment.thread_id or comment.pk]) + (
        f"#comment_{comment.pk}"
    )


@csrf_recoverable
def comment_new(request: HttpRequest, work_id: int) -> HttpResponse:
    """A comment on the work as a whole."""
    work = work_for(request.user, work_id, Need.READ, works=_works())
    return _post(request, work, chapter=None, parent=None)


@csrf_recoverable
def chapter_comment_new(request: HttpRequest, work_id: int, chapter_id: int) -> HttpResponse:
    chapter = chapter_for(request.user, work_id, chapter_id, Need.READ, works=_works())
    return _post(request, chapter.work, chapter=chapter, parent=None)


def _comment_for(request: HttpRequest, comment_id: int) -> Comment:
    """The comment, if this user may see it: its work visible to them, its chapter posted
    (or theirs to moderate), and its row one they may get; else Http404."""
    comment = Comment.objects.select_related("pseud__user").filter(pk=comment_id).first()
    if comment is None:
        raise Http404("No such comment.")
    work = work_for(request.user, comment.work_id, Need.READ, works=_works())
    comment.work = work
    unposted = (
        comment.chapter_id is not None
        and not Chapter.objects.filter(pk=comment.chapter_id, posted=True).exists()
    )
    if unposted and not is_moderator(work, request.user):
        raise Http404("No such comment.")
    shown = Comment.objects.filter(pk=comment.pk).filter(visible_filter(work, request.user))
    if not shown.exists():
        raise Http404("No such comment.")
    return comment


@csrf_recoverable
def comment_reply(request: HttpRequest, comment_id: int) -> HttpResponse:
    parent = _comment_for(request, comment_id)
    return _post(request, parent.work, chapter=None, parent=parent)


def comment_thread(request: HttpRequest, comment_id: int) -> HttpResponse:
    """One comment and the replies below it."""
    comment = _comment_for(request, comment_id)
    work = comment.work
    html = thread_html(work, _viewer(request, work), comment)
    if html is None:
        raise Http404("No such comment.")
    return render(
        request,
        "social/comment_thread.html",
        {"work": work, "comment": comment, "thread_html": html},
    )


@csrf_recoverable
@login_required_keeping_form
def comment_edit_view(request: HttpRequest, comment_id: int) -> HttpResponse:
    comment = _comment_for(request, comment_id)
    user = logged_in_user(request)
    if not comment.is_written_by(user) or comment.deleted:
        raise Http404("No such comment.")
    if request.method != "POST":
        kept = form_restore(request)
        text = kept.get("text", comment.text) if kept is not None else comment.text
        if kept is not None:
            restored_notice(request)
        form = CommentForm(initial={"text": text}, user=user, editing=True)
        return _form_page(request, form, work=comment.work, action=request.path, editing=comment)
    form = CommentForm(request.POST, user=user, editing=True)
    message = ""
    if form.is_valid():
        try:
            comment = comment_edit(comment, user, form.cleaned_data["text"])
        except CommentError as error:
            message = str(error)
        else:
            if _htmx(request):
                return HttpResponse(comment_body(comment))
            messages.success(request, "Comment updated.")
            return redirect(_comment_url(comment))
    return _form_page(
        request,
        form,
        work=comment.work,
        action=request.path,
        editing=comment,
        status=400,
        message=message,
    )


def _back(request: HttpRequest, comment: Comment) -> HttpResponse:
    """Back where the button was (the comments page, the thread, the inbox)."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(_comment_url(comment))


@login_required_keeping_form
def comment_delete_view(request: HttpRequest, comment_id: int) -> HttpResponse:
    comment = _comment_for(request, comment_id)
    user = logged_in_user(request)
    if not may_delete(comment, user) or comment.deleted:
        raise Http404("No such comment.")
    if request.method != "POST":
        return render(
            request,
            "social/comment_delete.html",
            {
                "comment": comment,
                "work": comment.work,
                "html": thread_parent_html(request, comment),
            },
        )
    comment_delete(comment, user)
    messages.success(request, "Comment deleted.")
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("social:work_comments", comment.work_id)


@login_required_keeping_form
def comment_hide_view(request: HttpRequest, comment_id: int) -> HttpResponse:
    comment = _comment_for(request, comment_id)
    user = logged_in_user(request)
    if not user.is_archive_admin:
        raise Http404("No such comment.")
    form = HideForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        comment_hide(comment, user, form.cleaned_data["reason"])
        messages.success(request, "The comment is hidden. Its writer sees your reason.")
        return redirect(_comment_url(comment))
    return render(
        request,
        "social/comment_hide.html",
        {"comment": comment, "work": comment.work, "form": form},
        status=400 if request.method == "POST" else 200,
    )


def _moderation(
    done: str, service: Callable[[Comment, User], object]
) -> Callable[[HttpRequest, int], HttpResponse]:
    """A moderation button's view: POST only, one service, back where the button was."""

    @require_POST
    @login_required_keeping_form
    def view(request: HttpRequest, comment_id: int) -> HttpResponse:
        comment = _comment_for(request, comment_id)
        try:
            service(comment, logged_in_user(request))
        except CommentError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, done)
        return _back(request, comment)

    return view


comment_freeze_view = _moderation(
    "The thread is frozen: no more replies.", lambda c, u: thread_freeze(c, u, True)
)
comment_unfreeze_view = _moderation(
    "The thread is open for replies again.", lambda c, u: thread_freeze(c, u, False)
)
comment_approve_view = _moderation("Comment approved.", comment_approve)
comment_spam_view = _moderation("Comment marked as spam.", comment_mark_spam)
