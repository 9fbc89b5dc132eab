"""`ficarchive autocomplete --rebuild`: rewrite the words tag autocomplete looks up."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from ficarchive.tags.autocomplete import tag_words_rebuild


class Command(BaseCommand):
    help = (
        "Rewrite the words of every tag name that tag autocomplete looks up. The archive keeps "
        "them up to date itself; this is for tags loaded some other way."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--rebuild", action="store_true", required=True)

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            written = tag_words_rebuild()
        if options["verbosity"] >= 1:
            self.stdout.write(f"Wrote {written} autocomplete words.")
