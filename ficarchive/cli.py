"""The `ficarchive` command: Django's management commands under the archive's own name."""

import os
import sys


def load_environment() -> None:
    """Load the `.env` file (or the one ENV_FILE names) under the variables already set, and
    point Django at the settings module, which reads them all."""
    from dotenv import load_dotenv

    # Variables already in the environment win over the .env file.
    load_dotenv(os.environ.get("ENV_FILE", ".env"), override=False)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ficarchive.settings")


def main() -> None:
    load_environment()
    from django.core.management import execute_from_command_line

    argv = list(sys.argv)
    argv[0] = "ficarchive"
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
