"""The mail the accounts app sends: each message is a set of templates (subject, plain-text
body, HTML body), queued for delivery (core.mail) with a footer that says why it came."""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings

from ficarchive.core.mail import mail_enqueue, mail_render

logger = logging.getLogger(__name__)

# Account mail answers something the reader did (or someone did with their address): it
# says why it came, and has no unsubscribe link, since stopping it would lock them out.
WHY = {
    "confirm": "You are getting this because this address was used to sign up on {site}.",
    "email_change": (
        "You are getting this because someone asked to use this address for an account on {site}."
    ),
    "email_changed": (
        "You are getting this because this was the address of your account on {site}."
    ),
    "invitation": "You are getting this because you asked for an invitation to {site}.",
    "password_reset": (
        "You are getting this because a password reset was asked for this address on {site}."
    ),
}


def mail_send(to: str, template: str, context: dict[str, Any]) -> bool:
    """Queue `accounts/email/<template>_subject.txt`, `_body.txt` and `_body.html` for one
    address; returns whether it was queued (a failure is logged, never raised, so that a
    form's write is never lost to a queue that is down). The queue retries a mail server
    that is down until it takes the mail."""
    message = mail_render(
        f"accounts/email/{template}",
        context,
        why=WHY[template].format(site=settings.SITE_NAME),
    )
    try:
        mail_enqueue(to, message)
    except Exception:
        logger.exception("could not queue %s mail", template)
        return False
    return True
