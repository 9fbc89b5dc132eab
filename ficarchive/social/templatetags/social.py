"""Template tags of the social pieces other apps' pages show: the kudos, comments and bookmarks
sections of a work page and the block button of a creator page; and the inbox's bylines."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from ficarchive.accounts.models import User
from ficarchive.social.blocking import has_blocked
from ficarchive.social.bookmarks import bookmark_summary
from ficarchive.social.comments import chapter_comment_count, may_delete
from ficarchive.social.models import Comment
from ficarchive.social.threads import Row, byline, creator_unnamed
from ficarchive.social.views.kudos import kudos_context
from ficarchive.social.views.subscriptions import button_context
from ficarchive.tags.models import Tag
from ficarchive.tags.urlnames import tag_url_name
from ficarchive.works.models import Chapter, Series, Work

register = template.Library()


@register.inclusion_tag("social/_kudos.html", takes_context=True)
def kudos_section(context: template.Context, work: Work) -> dict[str, Any]:

    values = kudos_context(context["request"], work)
    values["csrf_token"] = context.get("csrf_token")
    return values


@register.inclusion_tag("social/_subscribe_button.html", takes_context=True)
def subscribe_button(context: template.Context, target: Any) -> dict[str, Any]:
    """Subscribe / Unsubscribe for a work, a series or a creator (logged-in readers only, so
    guests' cached pages never hold it)."""
    user = context["request"].user
    if not user.is_authenticated:
        return {"user": user}
    values = button_context(user, target)
    values["csrf_token"] = context.get("csrf_token")
    return values


@register.filter
def blocks(user: Any, other: User) -> bool:
    """Whether this user has blocked `other`."""
    return has_blocked(user, other)


@register.inclusion_tag("social/_comments_section.html")
def comments_section(work: Work, current: Chapter | None, many: bool) -> dict[str, Any]:
    """The "Comments (N)" section of a work page, whose comments load when it is reached
    (or open on their own page without JavaScript): the page itself reads no comment."""
    if current is not None and many:
        url = reverse("social:chapter_comments", args=[work.pk, current.pk])
        count = chapter_comment_count(work, current)
    else:
        url = reverse("social:work_comments", args=[work.pk])
        count = work.comments_count
    return {"url": url, "count": count}


@register.simple_tag
def comment_byline(comment: Comment, user: Any) -> SafeString:
    """The comment's writer as this user may know them (Anonymous creator, on anonymous
    works)."""
    work = comment.work
    revealed = work.hides_creators and work.creators_revealed_to(user)
    row = Row.of(comment)
    unnamed = creator_unnamed(row, work.hides_creators, revealed, work.creator_user_ids())
    return mark_safe(byline(row, unnamed))


@register.filter
def deletable_by(comment: Comment, user: Any) -> bool:
    return may_delete(comment, user)


@register.inclusion_tag("social/_bookmarks_section.html", takes_context=True)
def bookmarks_section(context: template.Context, item: Work | Series) -> dict[str, Any]:
    """ "Bookmarks (N)" of a work or series page (N: the bookmarks this viewer may see) with
    the reader's Bookmark / Edit bookmark link."""
    user = context["request"].user
    count, mine = bookmark_summary(item, user)
    return {
        "user": user,
        "item": item,
        "is_work": isinstance(item, Work),
        "count": count,
        "mine": mine,
    }


@register.filter
def tag_bookmarks_url(tag: Tag) -> str:
    """The tag's bookmarks page."""
    return reverse("social:tag_bookmarks", args=[tag_url_name(tag.name)])
