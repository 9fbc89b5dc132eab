"""Orphaning: a creator gives their part in works to the orphan account (accounts.orphans),
from a work's page or when deleting their account; search is told."""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial

from django.db import transaction

from ficarchive.accounts.models import User
from ficarchive.accounts.orphans import orphan_account, orphan_pseud
from ficarchive.core.changes import works_changed
from ficarchive.works.models import Creatorship, Work
from ficarchive.works.pagecache import forget_work


@transaction.atomic
def work_orphan(user: User, work: Work, *, keep_pseud_name: bool) -> bool:
    """Give the user's part in this work to the orphan account, under the name of their pseud
    or of orphan_account; returns whether anything changed.

    What the cache holds of the work is dropped (pagecache.forget_work), since its keys do not
    cover the byline.
    """
    changed = works_orphan(user, [work.pk], keep_pseud_name=keep_pseud_name) > 0
    transaction.on_commit(partial(forget_work, work))
    return changed


@transaction.atomic
def works_orphan(user: User, work_ids: Iterable[int], *, keep_pseud_name: bool = False) -> int:
    """Hand this user's part in these works to the orphan account; returns the works changed.

    Each of the user's creatorships on the works moves to the orphan account's default pseud,
    or with `keep_pseud_name` to an orphan pseud of the same name, so that the byline still
    says the name but no longer leads to the user. Co-creators keep their part; works of which
    the user is no creator are left alone.
    """
    orphans = orphan_account()
    creatorships = list(
        Creatorship.objects.filter(work_id__in=list(work_ids), pseud__user=user)
        .select_related("pseud")
        .order_by("work_id", "position", "id")
    )
    changed: list[int] = []
    for creatorship in creatorships:
        if not creatorship.approved:
            # An invitation the user never accepted is simply withdrawn; it showed nowhere.
            creatorship.delete()
            continue
        pseud = orphan_pseud(orphans, creatorship.pseud.name if keep_pseud_name else None)
        if Creatorship.objects.filter(work_id=creatorship.work_id, pseud=pseud).exists():
            creatorship.delete()
        else:
            creatorship.pseud = pseud
            creatorship.save(update_fields=["pseud"])
        changed.append(creatorship.work_id)
    works_changed(changed, "orphaned")
    return len(set(changed))
