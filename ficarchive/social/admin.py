from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from ficarchive.social.comments import CommentError, comment_approve, comment_mark_spam
from ficarchive.social.models import Comment, CommentState, Kudo


@admin.register(Kudo)
class KudoAdmin(admin.ModelAdmin):
    list_display = ["work", "user", "created_at"]
    raw_id_fields = ["work", "user"]


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    """The moderation queue: filter by state (spam, held) and approve or mark as spam through
    the services, so that counts, inboxes and search follow."""

    list_display = ["pk", "work", "writer", "state", "deleted", "frozen", "created_at"]
    list_filter = ["state", "deleted", "frozen"]
    search_fields = ["text", "guest_name", "guest_email", "user__username"]
    raw_id_fields = ["work", "chapter", "parent", "thread", "user", "pseud"]
    readonly_fields = ["html", "state", "created_at", "edited_at", "depth", "by_creator"]
    actions = ["approve", "mark_spam"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Comment]:
        return super().get_queryset(request).select_related("work", "pseud__user")

    @admin.display(description="Writer")
    def writer(self, comment: Comment) -> str:
        return comment.pseud.byline if comment.pseud else f"{comment.guest_name} (Guest)"

    def _apply(self, request: HttpRequest, comments: QuerySet[Comment], service: Any) -> int:
        done = 0
        for comment in comments:
            try:
                service(comment, request.user)
            except CommentError as error:
                messages.error(request, f"Comment {comment.pk}: {error}")
            else:
                done += 1
        return done

    @admin.action(description="Approve (publish) the chosen comments")
    def approve(self, request: HttpRequest, comments: QuerySet[Comment]) -> None:
        done = self._apply(request, comments.exclude(state=CommentState.PUBLISHED), comment_approve)
        messages.success(request, f"Approved {done} comments.")

    @admin.action(description="Mark the chosen comments as spam")
    def mark_spam(self, request: HttpRequest, comments: QuerySet[Comment]) -> None:
        done = self._apply(request, comments.exclude(state=CommentState.SPAM), comment_mark_spam)
        messages.success(request, f"Marked {done} comments as spam.")
