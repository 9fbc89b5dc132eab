"""The task queue's jobs in Django's admin (the database backend's; on Redis, `ficarchive
tasks`): django-tasks-db's list of jobs, with an action that queues failed jobs again."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.models import DBTaskResult

from ficarchive.core.queue.inspect import job_retry

admin.site.unregister(DBTaskResult)


@admin.register(DBTaskResult)
class TaskResultAdmin(DBTaskResultAdmin):
    actions = ["retry"]

    @admin.action(description="Retry the selected failed jobs")
    def retry(self, request: HttpRequest, queryset: QuerySet[DBTaskResult]) -> None:
        # What `ficarchive tasks --retry ID` does, for each job chosen.
        retried = sum(job_retry(str(job.pk)) for job in queryset)
        if retried:
            messages.success(request, f"{retried} failed jobs queued again.")
        skipped = len(queryset) - retried
        if skipped:
            messages.warning(request, f"{skipped} jobs were not failed and are left as they were.")
