"""What a viewer sees of a work's comments: a page of top-level comments with their threads,
or one thread alone, read in one query and built into a tree in Python.

The tree is rendered to HTML here, by hand, not with a template per comment: a page can hold
hundreds of comments, and an included template per comment would cost more than the rest of
the page (`bench/comments.py` measures the page). Every value is escaped with the standard
library's `html.escape` (which Django's own `escape` calls); comment bodies are the HTML that
social.comments sanitised with nh3 when they were saved.

Replies nest visibly to THREAD_NESTING_MAX levels; deeper ones continue flat at that level,
each saying whom it answers.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from html import escape
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Q
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from ficarchive.accounts.models import Block, Mute
from ficarchive.social.comments import (
    DELETED_TEXT,
    comment_refusal,
    is_moderator,
    visible_filter,
)
from ficarchive.social.models import THREAD_NESTING_MAX, Comment, CommentState
from ficarchive.works.models import Chapter, Work
from ficarchive.works.templatetags.reading import pseud_url

TOP_LEVEL_PER_PAGE = 20
MUTED_TEXT = "(A comment by a user you muted.)"
HIDDEN_TEXT = "(This comment was hidden by an administrator.)"
ANONYMOUS_CREATOR = "Anonymous creator"


class Order:
    NEWEST = "newest"
    OLDEST = "oldest"


@dataclass(slots=True)
class Row:
    """What a page shows of one comment: read as a tuple, not as a model instance (with its
    pseud and user, three instances a comment), which is most of a large page's time."""

    pk: int
    parent_id: int | None
    thread_id: int | None
    chapter_id: int | None
    depth: int
    user_id: int | None
    by_creator: bool
    html: str
    state: str
    hidden_reason: str
    deleted: bool
    frozen: bool
    created_at: Any
    edited_at: Any
    guest_name: str
    pseud_name: str | None
    login: str | None
    user_login: str | None

    @classmethod
    def of(cls, comment: Comment) -> Row:
        pseud = comment.pseud
        values = [getattr(comment, name) for name in ROW_FIELDS[:15]]
        values += [pseud.name if pseud else None, pseud.user.username if pseud else None]
        values.append(comment.user.username if comment.user_id and comment.user else None)
        return cls(*values)


ROW_FIELDS = (
    "pk",
    "parent_id",
    "thread_id",
    "chapter_id",
    "depth",
    "user_id",
    "by_creator",
    "html",
    "state",
    "hidden_reason",
    "deleted",
    "frozen",
    "created_at",
    "edited_at",
    "guest_name",
    "pseud__name",
    "pseud__user__username",
    "user__username",
)


@dataclass
class Node:
    comment: Row
    children: list[Node] = field(default_factory=list)
    placeholder: str = ""  # shown instead of the comment (deleted, muted, hidden)


@dataclass
class CommentsPage:
    """A page of a work's (or a chapter's) comments for one viewer."""

    html: SafeString
    page: Page[int]
    total: int  # published comments in the scope
    order: str


def _url_pattern(name: str) -> str:
    """A comment view's address with `{}` for the comment's id, reversed once per page."""
    return reverse(name, args=[987654321]).replace("987654321", "{}")


class Viewer:
    """Everything about the viewer that rendering a work's comments asks, read once."""

    def __init__(self, user: Any, work: Work, *, csrf_token: str = "", next_url: str = ""):
        self.user = user
        self.user_pk = user.pk if user.is_authenticated else None
        self.work = work
        self.authenticated = bool(user.is_authenticated)
        self.admin = bool(self.authenticated and user.is_archive_admin)
        self.moderator = is_moderator(work, user)
        # Who made an anonymous work is known to its creators and admins.
        self.creators_revealed = work.hides_creators and work.creators_revealed_to(user)
        self.creator_ids = work.creator_user_ids()
        self.refusal = comment_refusal(work, user)
        self.may_comment = self.refusal is None
        self.csrf_token = csrf_token
        self.next_url = next_url
        if self.authenticated:
            self.muted = set(Mute.objects.filter(user=user).values_list("muted_id", flat=True))
            self.blocked_by = set(
                Block.objects.filter(blocked=user).values_list("user_id", flat=True)
            )
        else:
            self.muted, self.blocked_by = set(), set()
        self.chapter_labels: dict[int, str] = {}
        self.urls = {
            key: _url_pattern(f"social:comment_{key}")
            for key in ("thread", "reply", "edit", "delete", "hide", "freeze", "unfreeze")
        }
        self.urls.update(
            approve=_url_pattern("social:comment_approve"),
            spam=_url_pattern("social:comment_spam"),
        )

    def unnamed(self, comment: Row) -> bool:
        return creator_unnamed(
            comment, self.work.hides_creators, self.creators_revealed, self.creator_ids
        )

    def is_writer(self, comment: Row) -> bool:
        return self.user_pk is not None and comment.user_id == self.user_pk

    def may_reply(self, comment: Row) -> bool:
        return (
            self.may_comment
            and comment.state == CommentState.PUBLISHED
            and not comment.deleted
            and not comment.frozen
            and (comment.user_id is None or comment.user_id not in self.blocked_by)
        )


def creator_unnamed(comment: Row, anonymous: bool, revealed: bool, creator_ids: set[int]) -> bool:
    """Whether a comment its work's creator wrote must not name them: on an anonymous work
    (unless its creators are `revealed` to the viewer), or once they are no longer one of its
    creators (an orphaned work never names its original creator)."""
    if not comment.by_creator:
        return False
    if anonymous:
        return not revealed
    return comment.user_id not in creator_ids


def byline(comment: Row, unnamed: bool) -> str:
    """The comment's writer as a viewer may know them, as HTML: a pseud's link, a guest's
    name, or "Anonymous creator" (see creator_unnamed)."""
    if unnamed:
        return f'<span class="byline anonymous">{ANONYMOUS_CREATOR}</span>'
    if comment.pseud_name is not None and comment.login is not None:
        return (
            f'<a class="byline" href="{escape(pseud_url(comment.login, comment.pseud_name))}">'
            f"{escape(_pseud_byline(comment.pseud_name, comment.login))}</a>"
        )
    if comment.user_login is not None:
        return f'<span class="byline">{escape(comment.user_login)}</span>'
    if comment.user_id is None and not comment.guest_name:
        return '<span class="byline">(Deleted account)</span>'
    return f'<span class="byline guest">{escape(comment.guest_name)} (Guest)</span>'


def _pseud_byline(name: str, login: str) -> str:
    """As Pseud.byline: `Pseud (login)`, or the login alone."""
    return name if name == login else f"{name} ({login})"


def plain_byline(comment: Row, unnamed: bool) -> str:
    if unnamed:
        return ANONYMOUS_CREATOR
    if comment.pseud_name is not None and comment.login is not None:
        return _pseud_byline(comment.pseud_name, comment.login)
    if comment.user_login is not None:
        return comment.user_login
    return f"{comment.guest_name} (Guest)"


def _placeholder(comment: Row, viewer: Viewer) -> str:
    if comment.deleted:
        return DELETED_TEXT
    if comment.user_id is not None and comment.user_id in viewer.muted:
        return MUTED_TEXT
    if comment.state == CommentState.HIDDEN and not (viewer.admin or viewer.is_writer(comment)):
        return HIDDEN_TEXT
    return ""


def build_tree(comments: Iterable[Row], viewer: Viewer) -> dict[int, Node]:
    """Nodes by comment id, each with its children in order; placeholders with no shown
    reply below them are left out (and so are replies whose parent is not shown)."""
    nodes: dict[int, Node] = {}
    for comment in comments:
        nodes[comment.pk] = Node(comment, placeholder=_placeholder(comment, viewer))
    for node in nodes.values():
        parent_id = node.comment.parent_id
        if parent_id is not None and parent_id in nodes:
            nodes[parent_id].children.append(node)
    return nodes


def _prune(node: Node) -> bool:
    """Drop children that show nothing; whether this node shows anything."""
    node.children = [child for child in node.children if _prune(child)]
    return not node.placeholder or bool(node.children)


def _time(value: Any) -> str:
    return f'<time datetime="{value.isoformat()}">{value:%Y-%m-%d %H:%M} UTC</time>'


def _actions(comment: Row, viewer: Viewer) -> str:
    pk = comment.pk
    urls = viewer.urls
    items = [f'<li><a href="{urls["thread"].format(pk)}">Thread</a></li>']
    if comment.parent_id is not None:
        items.append(
            f'<li><a href="{urls["thread"].format(comment.parent_id)}">Parent thread</a></li>'
        )
    if viewer.may_reply(comment):
        reply = urls["reply"].format(pk)
        items.append(
            f'<li><a href="{reply}" hx-get="{reply}" hx-target="#reply_{pk}" '
            f'hx-swap="innerHTML">Reply</a></li>'
        )
    if viewer.is_writer(comment) and comment.state != CommentState.HIDDEN:
        edit = urls["edit"].format(pk)
        items.append(
            f'<li><a href="{edit}" hx-get="{edit}" hx-target="#body_{pk}" '
            f'hx-swap="innerHTML">Edit</a></li>'
        )
    if viewer.is_writer(comment) or viewer.moderator:
        items.append(f'<li><a href="{urls["delete"].format(pk)}">Delete</a></li>')
    if viewer.moderator:

        def button(action: str, label: str) -> str:
            return (
                f'<li><button type="submit" form="comment-actions" '
                f'formaction="{urls[action].format(pk)}">{label}</button></li>'
            )

        waiting = comment.state != CommentState.PUBLISHED
        if waiting and (viewer.admin or comment.state == CommentState.HELD):
            items.append(button("approve", "Approve"))
        if comment.state in (CommentState.PUBLISHED, CommentState.HELD):
            items.append(button("spam", "Spam"))
        items.append(
            button("unfreeze", "Unfreeze") if comment.frozen else button("freeze", "Freeze")
        )
        if viewer.admin and comment.state != CommentState.HIDDEN:
            items.append(f'<li><a href="{urls["hide"].format(pk)}">Hide</a></li>')
    return f'<ul class="actions">{"".join(items)}</ul>'


def _notice(comment: Row) -> str:
    if comment.state == CommentState.HELD:
        return '<p class="notice held">This comment is waiting for the creator\'s approval.</p>'
    if comment.state == CommentState.SPAM:
        return '<p class="notice spam">This comment is held for moderation.</p>'
    if comment.state == CommentState.HIDDEN:
        reason = escape(comment.hidden_reason)
        return f'<p class="notice hidden">Hidden by an administrator: {reason}</p>'
    return ""


def comment_body(comment: Row | Comment) -> str:
    """The comment's text and its "Last edited" line (what an edit in place replaces)."""
    edited = (
        f'<p class="edited">Last edited {_time(comment.edited_at)}</p>' if comment.edited_at else ""
    )
    return f'<blockquote class="userstuff">{comment.html}</blockquote>{edited}'


def _comment(node: Node, viewer: Viewer, flat_reply_to: str) -> str:
    comment = node.comment
    pk = comment.pk
    if node.placeholder:
        return (
            f'<li class="comment placeholder" id="comment_{pk}">'
            f'<p class="placeholder">{node.placeholder}</p>'
        )
    chapter = viewer.chapter_labels.get(comment.chapter_id or 0, "")
    on = f' <span class="parent">on {escape(chapter)}</span>' if chapter else ""
    to = f'<p class="in-reply-to">In reply to {escape(flat_reply_to)}</p>' if flat_reply_to else ""
    frozen = '<p class="notice frozen">This thread is frozen.</p>' if comment.frozen else ""
    return (
        f'<li class="comment" id="comment_{pk}">'
        f'<h4 class="heading byline">{byline(comment, viewer.unnamed(comment))}{on} '
        f'<span class="posted datetime">{_time(comment.created_at)}</span></h4>'
        f"{to}{_notice(comment)}{frozen}"
        f'<div class="comment-body" id="body_{pk}">{comment_body(comment)}</div>'
        f"{_actions(comment, viewer)}"
        f'<div class="reply-slot" id="reply_{pk}"></div>'
    )


def _render(node: Node, level: int, viewer: Viewer, out: list[str], reply_to: str = "") -> None:
    out.append(_comment(node, viewer, reply_to))
    if not node.children:
        out.append("</li>")
        return
    if level < THREAD_NESTING_MAX:
        out.append('<ol class="thread">')
        for child in node.children:
            _render(child, level + 1, viewer, out)
        out.append("</ol></li>")
        return
    # As deep as threads nest: the replies follow flat, each saying whom it answers.
    out.append("</li>")
    name = (
        "a comment"
        if node.placeholder
        else plain_byline(node.comment, viewer.unnamed(node.comment))
    )
    for child in node.children:
        _render(child, level, viewer, out, name)


def render_threads(roots: Iterable[Node], viewer: Viewer, *, css: str = "thread") -> SafeString:
    out: list[str] = []
    if viewer.moderator and viewer.csrf_token:
        out.append(
            '<form id="comment-actions" method="post" hidden>'
            f'<input type="hidden" name="csrfmiddlewaretoken" value="{escape(viewer.csrf_token)}">'
            f'<input type="hidden" name="next" value="{escape(viewer.next_url)}"></form>'
        )
    out.append(f'<ol class="{css}">')
    for root in roots:
        _render(root, 0, viewer, out)
    out.append("</ol>")
    return mark_safe("".join(out))


def _rows(work: Work, viewer: Viewer, **where: Any) -> list[Row]:
    rows = (
        Comment.objects.filter(work=work, **where)
        .filter(visible_filter(work, viewer.user))
        .order_by("created_at", "pk")
        .values_list(*ROW_FIELDS)
    )
    return [Row(*row) for row in rows]


def comments_page(
    work: Work,
    viewer: Viewer,
    *,
    chapter: Chapter | None = None,
    whole_work: bool = False,
    page_number: int = 1,
    order: str = Order.OLDEST,
) -> CommentsPage:
    """A page of top-level comments with their threads: on `chapter`, on the work as a whole
    (chapter None), or every comment of the work (`whole_work`, each labelled with its
    chapter)."""
    tops = Comment.objects.filter(work=work, depth=0).filter(visible_filter(work, viewer.user))
    counted = Comment.objects.filter(work=work, state=CommentState.PUBLISHED, deleted=False)
    if not whole_work:
        tops = tops.filter(chapter=chapter)
        counted = counted.filter(chapter=chapter)
    else:
        if not viewer.moderator:
            # The chapter rule: a chapter not posted shows nothing of itself, comments neither.
            tops = tops.filter(Q(chapter__isnull=True) | Q(chapter__posted=True))
        labels = work.posted_chapters().values_list("pk", "position")
        if len(labels) > 1:
            viewer.chapter_labels = {pk: f"Chapter {position}" for pk, position in labels}
    sign = "-" if order == Order.NEWEST else ""
    ids = tops.order_by(f"{sign}created_at", f"{sign}pk").values_list("pk", flat=True)
    page = Paginator(ids, TOP_LEVEL_PER_PAGE).get_page(page_number)
    top_ids = list(page.object_list)
    total = work.comments_count if whole_work else counted.count()
    nodes = build_tree(_rows(work, viewer, thread_id__in=top_ids), viewer)
    roots = [nodes[pk] for pk in top_ids if pk in nodes and _prune(nodes[pk])]
    return CommentsPage(render_threads(roots, viewer), page, total, order)


def thread_html(work: Work, viewer: Viewer, comment: Comment) -> SafeString | None:
    """One comment and the replies below it, as this viewer sees them (None if nothing)."""
    nodes = build_tree(_rows(work, viewer, thread_id=comment.thread_id), viewer)
    node = nodes.get(comment.pk)
    if node is None or not _prune(node):
        return None
    return render_threads([node], viewer)


def single_html(comment: Comment, viewer: Viewer) -> SafeString:
    """One comment alone (a reply just posted in place)."""
    return render_threads([Node(Row.of(comment))], viewer)
