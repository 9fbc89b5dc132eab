"""A work's comments, threads as its comments page shows them to this viewer (social.threads:
the same rows, placeholders and bylines), and posting one through social.comments.comment_post
with the comment form's throttle."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import Q
from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema, Status

from ficarchive.accounts.models import PSEUD_MAX
from ficarchive.api.auth import read_viewer, write_viewer
from ficarchive.api.paging import DEFAULT_LIMIT, MAX_LIMIT, keyset_page
from ficarchive.api.problems import PROBLEMS_READ, PROBLEMS_WRITE, ApiError, Problem
from ficarchive.core.throttle import throttle
from ficarchive.social.comments import (
    EMPTY,
    NOTHING_LEFT,
    TOO_LONG,
    Commenter,
    CommentError,
    DuplicateComment,
    comment_post,
    visible_filter,
)
from ficarchive.social.models import COMMENT_MAX, Comment
from ficarchive.social.threads import ROW_FIELDS, Node, Row, Viewer, build_tree, plain_byline
from ficarchive.works.access import chapter_for, work_for

router = Router(tags=["comments"])


class CommentOut(Schema):
    id: int
    parent_id: int | None
    thread_id: int | None
    chapter_id: int | None
    depth: int
    byline: str | None = Field(description="Null where the page shows a placeholder.")
    html: str | None
    placeholder: str = Field(description="What the page shows instead (deleted, hidden, muted).")
    state: str
    frozen: bool
    created_at: Any
    edited_at: Any


class CommentsPageOut(Schema):
    next: str | None
    total: int = Field(description="Published comments, as the work's header counts them.")
    comments: list[CommentOut] = Field(description="Threads, newest first, each in reply order.")


class CommentsParams(Schema):
    chapter_id: int | None = Field(None, ge=1, lt=2**63, description="Only this chapter's.")
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="Threads on a page.")
    cursor: str | None = Field(None, max_length=2000)


class CommentIn(Schema):
    text: str = Field(..., max_length=COMMENT_MAX)
    chapter_id: int | None = Field(None, ge=1, lt=2**63)
    parent_id: int | None = Field(None, ge=1, lt=2**63, description="The comment replied to.")
    pseud: str | None = Field(None, max_length=PSEUD_MAX, description="Default: the default pseud.")


def _flatten(node: Node, viewer: Viewer, out: list[dict[str, Any]]) -> None:
    row = node.comment
    shown = not node.placeholder
    out.append(
        {
            "id": row.pk,
            "parent_id": row.parent_id,
            "thread_id": row.thread_id,
            "chapter_id": row.chapter_id,
            "depth": row.depth,
            "byline": plain_byline(row, viewer.unnamed(row)) if shown else None,
            "html": row.html if shown else None,
            "placeholder": node.placeholder,
            "state": row.state,
            "frozen": row.frozen,
            "created_at": row.created_at,
            "edited_at": row.edited_at,
        }
    )
    for child in node.children:
        _flatten(child, viewer, out)


def _prune(node: Node) -> bool:
    node.children = [child for child in node.children if _prune(child)]
    return not node.placeholder or bool(node.children)


@router.get(
    "/works/{work_id}/comments",
    response={200: CommentsPageOut, PROBLEMS_READ: Problem},
    auth=read_viewer,
    operation_id="comments_list",
    summary="A work's comment threads (all chapters, or one)",
)
def comments_list(request: HttpRequest, work_id: int, params: Query[CommentsParams]) -> Any:
    user = request.auth  # type: ignore[attr-defined]
    if not 0 < work_id < 2**63:
        raise Http404("No such work.")
    work = work_for(user, work_id)
    viewer = Viewer(user, work)
    tops = Comment.objects.filter(work=work, depth=0).filter(visible_filter(work, user))
    if params.chapter_id is not None:
        chapter = chapter_for(user, work.pk, params.chapter_id, works=None)
        tops = tops.filter(chapter=chapter)
    elif not viewer.moderator:
        tops = tops.filter(Q(chapter__isnull=True) | Q(chapter__posted=True))
    found, following = keyset_page(
        request,
        tops.only("pk", "created_at"),
        "comments",
        ["created_at", "pk"],
        params.cursor,
        params.limit,
    )
    ids = [comment.pk for comment in found]
    rows = (
        Comment.objects.filter(work=work, thread_id__in=ids)
        .filter(visible_filter(work, user))
        .order_by("created_at", "pk")
        .values_list(*ROW_FIELDS)
    )
    nodes = build_tree([Row(*row) for row in rows], viewer)
    out: list[dict[str, Any]] = []
    for pk in ids:
        node = nodes.get(pk)
        if node is not None and _prune(node):
            _flatten(node, viewer, out)
    return {"next": following, "total": work.comments_count, "comments": out}


class PostedComment(Schema):
    id: int
    state: str


@router.post(
    "/works/{work_id}/comments",
    response={201: PostedComment, PROBLEMS_WRITE: Problem},
    auth=write_viewer,
    operation_id="comment_post",
    summary="Comment on a work or one of its chapters, or reply to a comment",
)
def comment_create(request: HttpRequest, work_id: int, body: CommentIn) -> Any:
    user = request.auth  # type: ignore[attr-defined]
    if not 0 < work_id < 2**63:
        raise Http404("No such work.")
    work = work_for(user, work_id)
    chapter = chapter_for(user, work.pk, body.chapter_id) if body.chapter_id else None
    parent = None
    if body.parent_id is not None:
        parent = (
            Comment.objects.filter(work=work, pk=body.parent_id)
            .filter(visible_filter(work, user))
            .first()
        )
        if parent is None:
            raise Http404("This work has no such comment.")
    pseud = user.default_pseud()
    if body.pseud is not None:
        pseud = user.pseuds.filter(name__iexact=body.pseud).first()
        if pseud is None:
            raise ApiError(422, "You have no pseud of that name.")
    wait = throttle(request, "comment", settings.COMMENT_USER_RATE, [f"user:{user.pk}"])
    if wait:
        raise ApiError(
            429,
            f"Too many comments: try again in {wait} seconds.",
            headers={"Retry-After": str(wait)},
        )
    try:
        comment = comment_post(
            work,
            Commenter(user=user, pseud=pseud, ip_address=request.META.get("REMOTE_ADDR", "")),
            body.text,
            chapter=chapter,
            parent=parent,
        )
    except DuplicateComment as error:
        raise ApiError(409, str(error)) from None
    except CommentError as error:
        # What is wrong with the text is the body's fault; the rest are refusals.
        status = 422 if str(error) in (EMPTY, NOTHING_LEFT, TOO_LONG) else 403
        raise ApiError(status, str(error)) from None
    return Status(201, {"id": comment.pk, "state": comment.state})
