"""The mail the accounts app sends: each message is a pair of templates (subject, body)."""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)


def mail_send(to: str, template: str, context: dict[str, Any]) -> bool:
    """Send `accounts/email/<template>_subject.txt` and `_body.txt` to one address; returns
    whether the mail server took it (a failure is logged, never raised, so that a form's
    write is never lost to a mail server that is down)."""
    context = {"SITE_NAME": settings.SITE_NAME, **context}
    subject = render_to_string(f"accounts/email/{template}_subject.txt", context)
    body = render_to_string(f"accounts/email/{template}_body.txt", context)
    try:
        send_mail(" ".join(subject.split()), body, None, [to])
    except Exception:
        logger.exception("could not send %s mail", template)
        return False
    return True
