"""The spam check of comments: a setting names a callable (COMMENT_SPAM_CHECK) that looks at a
comment before it is stored and says why it is doubtful, or None. A doubtful comment is not
refused: it is held as spam for an admin to look at (the admin's queue of comments).

The local default needs no service: too many links, or a phrase of COMMENT_SPAM_PHRASES.
Guests' comments are also throttled per address and per e-mail address, in the view.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.utils.module_loading import import_string

# Links in one comment beyond which it waits for an admin.
LINKS_MAX = 3
DEFAULT_PHRASES = (
    "buy cheap",
    "casino bonus",
    "crypto giveaway",
    "earn money from home",
    "free followers",
    "viagra",
    "work from home and earn",
)
_LINK = re.compile(r"https?://|www\.|<a\s", re.IGNORECASE)


@dataclass(frozen=True)
class SpamCandidate:
    """What the check sees of a comment about to be stored."""

    text: str
    work_id: int
    user_id: int | None
    guest_email: str
    ip_address: str


SpamCheck = Callable[[SpamCandidate], str | None]


def local_spam_check(candidate: SpamCandidate) -> str | None:
    """The default check: why the comment is doubtful, or None."""
    links = len(_LINK.findall(candidate.text))
    if links > LINKS_MAX:
        return f"{links} links"
    phrases = getattr(settings, "COMMENT_SPAM_PHRASES", None) or DEFAULT_PHRASES
    folded = " ".join(candidate.text.casefold().split())
    for phrase in phrases:
        if phrase.casefold() in folded:
            return f"the phrase {phrase!r}"
    return None


def spam_check(candidate: SpamCandidate) -> str | None:
    """Ask the check the settings name (the local one by default)."""
    path = getattr(settings, "COMMENT_SPAM_CHECK", "") or "ficarchive.social.spam.local_spam_check"
    check: SpamCheck = import_string(path)
    return check(candidate)
