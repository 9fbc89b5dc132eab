"""Naming co-creators on the work form: a byline such as `Pseud (login)`, or a login."""

from __future__ import annotations

import re

from ficarchive.accounts.models import PSEUD_MAX, Pseud, User

_BYLINE = re.compile(r"^(?P<pseud>.+?)\s*\((?P<login>[^()]+)\)$")


def find_pseud(name: str) -> Pseud | None:
    """The pseud a co-creator entry names: `Pseud (login)`, or a login (its default pseud)."""
    match = _BYLINE.match(name)
    if match:
        login, pseud_name = match["login"].strip(), match["pseud"].strip()
    else:
        login, pseud_name = name, None
    # by_login refuses what cannot be a login; a pseud's name must be one that could be.
    if "\x00" in name or (pseud_name and len(pseud_name) > PSEUD_MAX):
        return None
    user = User.objects.by_login(login)
    if user is None:
        return None
    pseuds = Pseud.objects.select_related("user").filter(user=user)
    if pseud_name is None:
        return pseuds.filter(is_default=True).first()
    return pseuds.filter(name__iexact=pseud_name).first()
