"""Orphaning one work from its page: the creator gives their part in it to the orphan
account (accounts.orphans does the moving and tells search)."""

from __future__ import annotations

from django.core.cache import cache
from django.db import transaction

from ficarchive.accounts.models import User
from ficarchive.accounts.orphans import works_orphan
from ficarchive.works.models import Work
from ficarchive.works.pagecache import forget_work_pages


@transaction.atomic
def work_orphan(user: User, work: Work, *, keep_pseud_name: bool) -> bool:
    """Give the user's part in this work to the orphan account, under the name of their pseud
    or of orphan_account; returns whether anything changed.

    The cached blurb and guests' cached pages of the work are dropped, since their keys do not
    cover the byline.
    """
    from ficarchive.works.templatetags.reading import blurb_key

    changed = works_orphan(user, [work.pk], keep_pseud_name=keep_pseud_name) > 0
    key, work_id = blurb_key(work), work.pk

    def forget() -> None:
        cache.delete(key)
        forget_work_pages(work_id)

    transaction.on_commit(forget)
    return changed
