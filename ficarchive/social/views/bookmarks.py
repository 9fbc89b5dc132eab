"""Bookmark pages: the bookmark form (of a work, a series or an external work), editing and
deleting one, and the lists of a user's, a work's, a series' and a tag's bookmarks.

Items are fetched through the visibility rule (works.access, works.series): what the reader
may not see answers 404. A form that fails comes back with what was typed, and text sent after
the session expired comes back after logging in (core.recovery).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse

from ficarchive.accounts.current import logged_in_user
from ficarchive.core.recovery import (
    csrf_recoverable,
    form_restore,
    initial_from,
    login_required_keeping_form,
    restored_notice,
)
from ficarchive.social.bookmarks import (
    ALREADY,
    AlreadyBookmarked,
    BookmarkError,
    Item,
    bookmark_create,
    bookmark_delete,
    bookmark_of,
    bookmark_refusal,
    bookmark_update,
    external_work_find_or_create,
)
from ficarchive.social.forms import BookmarkForm, ExternalWorkForm
from ficarchive.social.models import Bookmark
from ficarchive.works.access import Need, work_for
from ficarchive.works.models import Series, Work
from ficarchive.works.series import series_for

PER_PAGE = 20
SAVED = "Your bookmark was saved."
DELETED = "Your bookmark was deleted."


# The form.


def _item_url(item: Item | None) -> str:
    if isinstance(item, Work):
        return reverse("works:work_detail", args=[item.pk])
    if isinstance(item, Series):
        return reverse("works:series_detail", args=[item.pk])
    return reverse("social:bookmarks_mine")


def _bookmark_url(bookmark: Bookmark) -> str:
    return reverse("social:bookmark", args=[bookmark.pk])


def _initial(bookmark: Bookmark) -> dict[str, Any]:
    names = [t.tag.name for t in bookmark.taggings.select_related("tag")]
    return {
        "pseud": bookmark.pseud_id,
        "notes": bookmark.notes,
        "tags": ", ".join(names),
        "private": bookmark.private,
        "rec": bookmark.rec,
    }


def _form_page(
    request: HttpRequest,
    *,
    form: BookmarkForm,
    item: Item | None,
    action: str,
    external: ExternalWorkForm | None = None,
    editing: Bookmark | None = None,
    message: str = "",
    status: int = 200,
) -> HttpResponse:
    context = {
        "form": form,
        "external_form": external,
        "item": item,
        "item_kind": "work" if isinstance(item, Work) else "series" if item else "external",
        "action": action,
        "editing": editing,
        "message": message,
    }
    return render(request, "social/bookmark_form.html", context, status=status)


def _kept_form(
    request: HttpRequest, user: Any, initial: dict[str, Any]
) -> tuple[BookmarkForm, QueryDict | None]:
    kept = form_restore(request)
    if kept is not None:
        restored_notice(request)
        initial = {**initial, **initial_from(BookmarkForm, kept)}
    return BookmarkForm(initial=initial, user=user), kept


def _item_from(request: HttpRequest, kind: str, item_id: int) -> Work | Series:
    user = request.user
    if kind == "work":
        return work_for(user, item_id, Need.READ)
    return series_for(user, item_id)


def _new(request: HttpRequest, item: Work | Series | None) -> HttpResponse:
    """The form for a new bookmark of `item` (None: an external work)."""
    user = logged_in_user(request)
    if item is not None:
        refusal = bookmark_refusal(item, user)
        if refusal is not None:
            messages.error(request, refusal)
            return redirect(_item_url(item))
    existing = bookmark_of(user, item) if item is not None else None
    if request.method != "POST":
        if existing is not None:
            kept = form_restore(request)
            if kept is None:
                messages.info(request, "You have already bookmarked this: here is your bookmark.")
                return redirect("social:bookmark_edit", existing.pk)
            # Text kept for this form while a bookmark was made elsewhere: the bookmark's
            # form, with that text in it.
            restored_notice(request)
            initial = {**_initial(existing), **initial_from(BookmarkForm, kept)}
            return _form_page(
                request,
                form=BookmarkForm(initial=initial, user=user),
                item=item,
                action=reverse("social:bookmark_edit", args=[existing.pk]),
                editing=existing,
                message=ALREADY,
            )
        form, kept = _kept_form(request, user, {})
        external = None
        if item is None:
            initial = initial_from(ExternalWorkForm, kept) if kept is not None else {}
            external = ExternalWorkForm(initial=initial)
        return _form_page(request, form=form, item=item, action=request.path, external=external)
    form = BookmarkForm(request.POST, user=user)
    external = ExternalWorkForm(request.POST) if item is None else None
    if form.is_valid() and (external is None or external.is_valid()):
        try:
            target: Item = (
                item if item is not None else external_work_find_or_create(external.fields_value())  # type: ignore[union-attr]
            )
            bookmark = bookmark_create(user, target, form.fields_value())
        except AlreadyBookmarked as already:
            # Two tabs, or the same external work again: the existing bookmark's form, with
            # what was just typed in it.
            return _form_page(
                request,
                form=BookmarkForm(request.POST, user=user),
                item=target,
                action=reverse("social:bookmark_edit", args=[already.bookmark.pk]),
                editing=already.bookmark,
                message=str(already),
                status=409,
            )
        except BookmarkError as error:
            return _form_page(
                request,
                form=form,
                item=item,
                action=request.path,
                external=external,
                message=str(error),
                status=400,
            )
        messages.success(request, SAVED)
        return redirect(_bookmark_url(bookmark))
    return _form_page(
        request, form=form, item=item, action=request.path, external=external, status=400
    )


@csrf_recoverable
@login_required_keeping_form
def work_bookmark_new(request: HttpRequest, work_id: int) -> HttpResponse:
    return _new(request, _item_from(request, "work", work_id))


@csrf_recoverable
@login_required_keeping_form
def series_bookmark_new(request: HttpRequest, series_id: int) -> HttpResponse:
    return _new(request, _item_from(request, "series", series_id))


@csrf_recoverable
@login_required_keeping_form
def external_bookmark_new(request: HttpRequest) -> HttpResponse:
    return _new(request, None)


def _own_bookmark(request: HttpRequest, bookmark_id: int) -> Bookmark:
    """The reader's own bookmark (404 for anyone else's, as if it did not exist)."""
    user = logged_in_user(request)
    bookmark = (
        Bookmark.objects.filter(pk=bookmark_id, user=user)
        .select_related("work", "series", "external_work")
        .first()
    )
    if bookmark is None:
        raise Http404("No such bookmark.")
    return bookmark


def _item(bookmark: Bookmark) -> Item:
    item = bookmark.work or bookmark.series or bookmark.external_work
    assert item is not None
    return item


@csrf_recoverable
@login_required_keeping_form
def bookmark_edit(request: HttpRequest, bookmark_id: int) -> HttpResponse:
    bookmark = _own_bookmark(request, bookmark_id)
    user = logged_in_user(request)
    item = _item(bookmark)
    if request.method != "POST":
        form, _kept = _kept_form(request, user, _initial(bookmark))
        return _form_page(request, form=form, item=item, action=request.path, editing=bookmark)
    form = BookmarkForm(request.POST, user=user)
    if form.is_valid():
        try:
            bookmark_update(bookmark, form.fields_value())
        except BookmarkError as error:
            return _form_page(
                request,
                form=form,
                item=item,
                action=request.path,
                editing=bookmark,
                message=str(error),
                status=400,
            )
        messages.success(request, SAVED)
        return redirect(_bookmark_url(bookmark))
    return _form_page(
        request, form=form, item=item, action=request.path, editing=bookmark, status=400
    )


@login_required_keeping_form
def bookmark_delete_view(request: HttpRequest, bookmark_id: int) -> HttpResponse:
    bookmark = _own_bookmark(request, bookmark_id)
    if request.method == "POST":
        bookmark_delete(bookmark)
        messages.success(request, DELETED)
        return redirect("social:user_bookmarks", logged_in_user(request).get_username())
    return render(
        request,
        "social/bookmark_confirm_delete.html",
        {"bookmark": bookmark, "item": _item(bookmark)},
    )


# The lists are the search app's (search.bookmark_listings).


def bookmarks_mine(request: HttpRequest) -> HttpResponse:
    """The reader's own bookmarks (an address for the header and the external work form)."""
    return redirect("social:user_bookmarks", logged_in_user(request).get_username())
