"""Orphaning one work from its page: the creator gives their part in it to the orphan
account (accounts.orphans does the moving and tells search)."""

from __future__ import annotations

from functools import partial

from django.db import transaction

from ficarchive.accounts.models import User
from ficarchive.accounts.orphans import works_orphan
from ficarchive.works.models import Work
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
