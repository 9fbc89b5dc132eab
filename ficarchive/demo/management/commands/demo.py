"""`ficarchive demo`: fill the database with a synthetic corpus."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from ficarchive.demo.generator import DEFAULT_SEED, DemoConfig, DemoError, generate
from ficarchive.works.models import Work


class Command(BaseCommand):
    help = (
        "Fill the database with a synthetic corpus of invented works, users and tags whose "
        "ratings, warnings, languages, lengths, tags and fandom sizes follow the largest "
        "archive's statistics. The same seed gives the same corpus on an empty database; on "
        "one with works, the new works are added next to them."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--works", type=int, default=300, help="Works to add (default 300).")
        parser.add_argument(
            "--seed", type=int, default=DEFAULT_SEED, help=f"Random seed (default {DEFAULT_SEED})."
        )
        parser.add_argument(
            "--body-words",
            type=int,
            metavar="N",
            help=(
                "Write at most N words of prose per chapter. A chapter sampled longer keeps its "
                "sampled word count on the chapter and the work while its text is shorter: "
                "metadata-scale mode, for corpora of a million works. Without this option every "
                "chapter is written in full and its word count is the count of its text."
            ),
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when the database already has works (for the quick start).",
        )
        parser.add_argument(
            "--batch-size",
            type=int,
            default=DemoConfig.batch_size,
            help=f"Works written per transaction (default {DemoConfig.batch_size}).",
        )

        parser.add_argument(
            "--comments-per-work",
            type=int,
            default=DemoConfig.comments_per_work,
            help="Comments written per work at most; a work's comment count is what was "
            f"written (default {DemoConfig.comments_per_work}; 0 writes none).",
        )
        parser.add_argument(
            "--bookmarks-per-work",
            type=int,
            default=DemoConfig.bookmarks_per_work,
            help="Public bookmarks written per work at most; a work's bookmark count is what "
            f"was written (default {DemoConfig.bookmarks_per_work}; 0 writes none).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        for option in ("works", "body_words", "batch_size"):
            if options[option] is not None and options[option] < 1:
                raise CommandError(f"--{option.replace('_', '-')} must be at least 1.")
        for option in ("comments_per_work", "bookmarks_per_work"):
            if options[option] < 0:
                raise CommandError(f"--{option.replace('_', '-')} must be 0 or more.")
        if options["if_empty"] and Work.objects.exists():
            self.stdout.write("The database already has works; no demo data added.")
            return
        config = DemoConfig(
            works=options["works"],
            seed=options["seed"],
            body_words=options["body_words"],
            batch_size=options["batch_size"],
            comments_per_work=options["comments_per_work"],
            bookmarks_per_work=options["bookmarks_per_work"],
        )
        # A progress bar on a terminal only (disable=None): never into a log or a pipe.
        quiet = options["verbosity"] < 1 or None
        with tqdm(total=config.works, unit="work", disable=quiet) as bar:
            try:
                written = generate(config, progress=bar.update)
            except DemoError as error:
                raise CommandError(str(error)) from error
        if options["verbosity"] >= 1:
            rows = ", ".join(f"{table} {count}" for table, count in written.items())
            self.stdout.write(f"Demo corpus written ({rows}).")
