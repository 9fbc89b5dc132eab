"""The orphan account, which orphaned works belong to so that nothing links them to their
creator any more (works.orphaning moves the works)."""

from __future__ import annotations

from django.contrib.auth.hashers import make_password

from ficarchive.accounts.models import Pseud, User

ORPHAN_LOGIN = "orphan_account"


def orphan_account() -> User:
    """The account orphaned works belong to, made the first time it is needed. Nobody can log
    in to it (it has no usable password)."""
    user = User.objects.by_login(ORPHAN_LOGIN, active_only=False)
    if user is None:
        user = User.objects.create(username=ORPHAN_LOGIN, password=make_password(None))
    if not user.pseuds.filter(is_default=True).exists():
        Pseud.objects.create(user=user, name=ORPHAN_LOGIN, is_default=True)
    return user


def orphan_pseud(orphans: User, name: str | None) -> Pseud:
    """The orphan account's default pseud, or its pseud of this name (made if need be)."""
    if name is None:
        return orphans.default_pseud()
    found = orphans.pseuds.filter(name__iexact=name).first()
    return found or Pseud.objects.create(user=orphans, name=name)
