"""Orphaning: giving works up to the archive's orphan account, so that nothing links them to
their creator any more."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.hashers import make_password
from django.db import transaction

from ficarchive.accounts.models import Pseud, User
from ficarchive.core.changes import works_changed

ORPHAN_LOGIN = "orphan_account"


def orphan_account() -> User:
    """The account orphaned works belong to, made the first time it is needed. Nobody can log
    in to it (it has no usable password)."""
    user = User.objects.filter(username__iexact=ORPHAN_LOGIN).first()
    if user is None:
        user = User.objects.create(username=ORPHAN_LOGIN, password=make_password(None))
    if not user.pseuds.filter(is_default=True).exists():
        Pseud.objects.create(user=user, name=ORPHAN_LOGIN, is_default=True)
    return user


def _orphan_pseud(orphans: User, name: str | None) -> Pseud:
    """The orphan account's default pseud, or its pseud of this name (made if need be)."""
    if name is None:
        return orphans.default_pseud()
    found = orphans.pseuds.filter(name__iexact=name).first()
    return found or Pseud.objects.create(user=orphans, name=name)


@transaction.atomic
def works_orphan(user: User, work_ids: Iterable[int], *, keep_pseud_name: bool = False) -> int:
    """Hand this user's part in these works to the orphan account; returns the works changed.

    Each of the user's creatorships on the works moves to the orphan account's default pseud,
    or with `keep_pseud_name` to an orphan pseud of the same name, so that the byline still
    says the name but no longer leads to the user. Co-creators keep their part; works of which
    the user is no creator are left alone.
    """
    from ficarchive.works.models import Creatorship

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
        pseud = _orphan_pseud(orphans, creatorship.pseud.name if keep_pseud_name else None)
        if Creatorship.objects.filter(work_id=creatorship.work_id, pseud=pseud).exists():
            creatorship.delete()
        else:
            creatorship.pseud = pseud
            creatorship.save(update_fields=["pseud"])
        changed.append(creatorship.work_id)
    works_changed(changed, "orphaned")
    return len(set(changed))
