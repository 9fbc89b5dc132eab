"""Deleting an account with its works: the works are orphaned or deleted here, then the
account goes (works sit above accounts, so this operation is theirs)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from django.db import transaction

from ficarchive.accounts.models import User
from ficarchive.core.changes import works_changed
from ficarchive.works.models import Creatorship, Work
from ficarchive.works.orphaning import works_orphan
from ficarchive.works.posting import work_delete

WorksChoice = Literal["orphan", "delete"]


@dataclass(frozen=True)
class DeletedAccount:
    login: str
    works_orphaned: int
    works_deleted: int


@transaction.atomic
def account_delete(
    user: User, works: WorksChoice, *, keep_pseud_name: bool = False
) -> DeletedAccount:
    """Delete an account with its pseuds and preferences. Its works are either orphaned (to
    the orphan account, see works_orphan) or deleted; a work with other creators is never
    deleted, only left without this user."""
    work_ids = list(
        Creatorship.objects.filter(pseud__user=user).values_list("work_id", flat=True).distinct()
    )
    orphaned = deleted = 0
    if works == "orphan":
        orphaned = works_orphan(user, work_ids, keep_pseud_name=keep_pseud_name)
    else:
        shared = set(
            Creatorship.objects.filter(work_id__in=work_ids, approved=True)
            .exclude(pseud__user=user)
            .values_list("work_id", flat=True)
        )
        for work in Work.objects.filter(pk__in=[pk for pk in work_ids if pk not in shared]):
            if work.is_by(user):
                work_delete(work)
                deleted += 1
        # Co-created works stay with their other creators.
        orphaned = 0
        works_changed(shared, "creator deleted their account")
    login = user.username
    user.delete()
    return DeletedAccount(login, orphaned, deleted)
