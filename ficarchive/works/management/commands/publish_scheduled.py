"""`ficarchive publish_scheduled`: post the scheduled works whose time has come."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from ficarchive.works.posting import works_publish_due


class Command(BaseCommand):
    help = (
        "Post every scheduled work whose time has come. `ficarchive serve` does this in the "
        "background; run this from cron when the archive is served another way."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        published = works_publish_due()
        self.stdout.write(f"published {published} scheduled work(s)")
