"""The `ficarchive` command: Django's management commands under the archive's own name."""

import os
import sys


def load_environment() -> None:
    """Load the `.env` file (or the one ENV_FILE names) under the variables already set, and
    point Django at the settings module, which reads them all."""
    # Imported here, not at the top: `ficarchive` must load the environment before anything
    # that reads settings is imported.
    from dotenv import load_dotenv

    # Variables already in the environment win over the .env file.
    load_dotenv(os.environ.get("ENV_FILE", ".env"), override=False)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ficarchive.settings")


# The archive's own commands, as `ficarchive --help` lists them; Django's others still work
# (`ficarchive help --all` lists them). tests/core/test_cli.py checks that each exists.
GROUPS: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    (
        "Running",
        (
            ("serve", "serve the archive, with its indexer, worker and scheduler (--demo)"),
            ("worker", "run background jobs (mail, scheduled posting) from the queue"),
            ("scheduler", "enqueue the periodic jobs as they fall due"),
            ("indexer", "keep the search index fresh (when serve runs --no-indexer)"),
        ),
    ),
    (
        "Content",
        (
            ("import", "import work records from files and folders"),
            ("import-efiction", "import a whole eFiction 3.5 archive (dump or live MySQL)"),
            ("export", "write works as work records"),
            ("demo", "fill the database with a synthetic demo corpus"),
            ("publish_scheduled", "post the scheduled works that are due"),
        ),
    ),
    (
        "Search",
        (
            ("reindex", "build a new search index and swap it in without downtime"),
            ("autocomplete", "rewrite the words that tag autocomplete looks up"),
            ("filters", "recompute works' filter tags after wrangling"),
        ),
    ),
    (
        "Accounts",
        (
            ("account", "make an account that logs in at once; make admins and wranglers"),
            ("invitations", "the invitation queue (ACCOUNT_SIGNUP=invite)"),
        ),
    ),
    (
        "Maintenance",
        (
            ("migrate", "create or update the database tables"),
            ("tasks", "list queued, running and failed jobs; retry a failed one"),
            ("check", "look for problems in the configuration"),
            ("shell", "a Python shell with the archive loaded"),
        ),
    ),
)


def main() -> None:
    load_environment()
    # Only now: Django reads the settings module that load_environment() has just named.
    from django.core.management import execute_from_command_line

    argv = list(sys.argv)
    argv[0] = "ficarchive"
    if argv[1:] in ([], ["--help"], ["-h"], ["help"]):
        print(overview())
        return
    if argv[1:] == ["help", "--all"]:
        argv = argv[:2]
    execute_from_command_line(argv)


def overview() -> str:
    """The archive's commands by group, one line each."""
    lines = ["Usage: ficarchive COMMAND [options]", ""]
    for group, commands in GROUPS:
        lines.append(f"{group}:")
        lines.extend(f"  {name:<18} {line}" for name, line in commands)
        lines.append("")
    lines.append("`ficarchive help COMMAND` explains one command and its options;")
    lines.append("`ficarchive help --all` lists Django's own commands too.")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
