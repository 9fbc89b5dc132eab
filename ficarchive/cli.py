"""The `ficarchive` command: Django's management commands under the archive's own name."""

import os
import sys


def main() -> None:
    from dotenv import load_dotenv

    # Variables already in the environment win over the .env file.
    load_dotenv(os.environ.get("ENV_FILE", ".env"), override=False)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ficarchive.settings")
    from django.core.management import execute_from_command_line

    argv = list(sys.argv)
    argv[0] = "ficarchive"
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
