"""Reading the links out of mail the tests' outbox caught."""

from __future__ import annotations

import re

from django.core import mail

_LINK = re.compile(r"https?://\S+")


def last_link(to: str) -> str:
    """The path of the first link in the newest mail to this address."""
    for message in reversed(mail.outbox):
        if to in message.to:
            found = _LINK.search(str(message.body))
            assert found, message.body
            return re.sub(r"^https?://[^/]+", "", found.group())
    raise AssertionError(f"no mail to {to}: {[m.to for m in mail.outbox]}")
