"""Works in Django's admin: find them, and mark as spam or unhide in bulk (hiding with a reason
is done from the work's page, where the reason is asked for)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from ficarchive.accounts.current import logged_in_user
from ficarchive.works.models import Work
from ficarchive.works.moderation import work_mark_spam, work_unhide


@admin.register(Work)
class WorkAdmin(admin.ModelAdmin):
    list_display = ["id", "title", "posted", "hidden_by_admin", "spam", "hidden_at"]
    list_filter = ["hidden_by_admin", "spam", "posted"]
    search_fields = ["title"]
    fields = ("title", "hidden_by_admin", "hidden_reason", "hidden_at", "hidden_by", "spam")
    readonly_fields = fields
    actions = ["mark_spam", "unhide"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(description="Mark as spam (hide)")
    def mark_spam(self, request: HttpRequest, queryset: QuerySet[Work]) -> None:
        for work in queryset:
            work_mark_spam(work, logged_in_user(request))
        messages.success(request, f"{queryset.count()} works marked as spam.")

    @admin.action(description="Unhide")
    def unhide(self, request: HttpRequest, queryset: QuerySet[Work]) -> None:
        for work in queryset:
            work_unhide(work, logged_in_user(request))
        messages.success(request, f"{queryset.count()} works unhidden.")
