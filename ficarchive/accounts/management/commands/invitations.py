"""`ficarchive invitations`: the invitation queue from the command line."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from ficarchive.accounts.invitations import invitation_create, invitation_link, invitations_send
from ficarchive.accounts.models import InviteRequest


class Command(BaseCommand):
    help = (
        "Show the invitation queue, send invitations to the first addresses in it (--send N), "
        "or make an invitation link for one address (--invite EMAIL). Links use SITE_URL."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--send", type=int, metavar="N", help="invite the first N in line")
        parser.add_argument("--invite", metavar="EMAIL", help="print a sign-up link for EMAIL")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["invite"]:
            invitation = invitation_create(options["invite"])
            self.stdout.write(invitation_link(invitation))
            return
        if options["send"] is not None:
            sent = invitations_send(options["send"])
            self.stdout.write(f"sent {sent} invitation(s)")
            return
        waiting = InviteRequest.objects.filter(invited_at__isnull=True).count()
        self.stdout.write(f"{waiting} address(es) waiting in the queue")
