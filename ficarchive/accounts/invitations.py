"""The invitation queue, for archives where sign-up is by invitation (ACCOUNT_SIGNUP=invite):
people leave their address, and an admin (or `ficarchive invitations --send N`, run from cron)
sends invitations to the first in line."""

from __future__ import annotations

import secrets

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from ficarchive.accounts.mail import mail_send
from ficarchive.accounts.models import Invitation, InviteRequest, User
from ficarchive.core.site import absolute_url


class InvitationError(ValueError):
    """A queue request the archive refuses; the message says why."""


@transaction.atomic
def invite_request(email: str) -> InviteRequest:
    """Put an address in the queue (once; asking again keeps its place)."""
    if User.objects.filter(email__iexact=email).exists():
        raise InvitationError(
            "An account already uses this address. Log in, or reset the password if you forgot it."
        )
    found = InviteRequest.objects.filter(email__iexact=email).first()
    return found or InviteRequest.objects.create(email=email)


def queue_position(request: InviteRequest) -> int:
    """1 for the first address waiting, and so on; 0 once invited."""
    if request.invited_at is not None:
        return 0
    waiting = InviteRequest.objects.filter(invited_at__isnull=True)
    earlier = waiting.filter(created_at__lt=request.created_at).count()
    same_time = waiting.filter(created_at=request.created_at, id__lt=request.id).count()
    return earlier + same_time + 1


@transaction.atomic
def invitation_create(email: str) -> Invitation:
    return Invitation.objects.create(token=secrets.token_urlsafe(32), email=email)


def invitation_link(invitation: Invitation) -> str:
    return absolute_url(f"{reverse('accounts:signup')}?invitation={invitation.token}")


def invitations_send(count: int) -> int:
    """Invite the first `count` addresses of the queue; returns how many were sent."""
    sent = 0
    for request in InviteRequest.objects.filter(invited_at__isnull=True)[: max(count, 0)]:
        with transaction.atomic():
            invitation = invitation_create(request.email)
            request.invited_at = timezone.now()
            request.save(update_fields=["invited_at"])
        link = invitation_link(invitation)
        if mail_send(request.email, "invitation", {"link": link}):
            sent += 1
    return sent


def invitation_for(token: str) -> Invitation | None:
    """The unused invitation with this token, if any."""
    if not token or len(token) > 64:
        return None
    return Invitation.objects.filter(token=token, used_at__isnull=True).first()
