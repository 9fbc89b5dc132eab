"""`ficarchive --help`: the archive's own commands, grouped, one line each."""

from __future__ import annotations

import subprocess
import sys

from django.core.management import get_commands, load_command_class

from ficarchive.cli import GROUPS


def _help(*args: str) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "ficarchive", *args], capture_output=True, text=True, check=True
    )
    return result.stdout


def test_help_lists_the_archives_commands_by_group_one_line_each() -> None:
    out = _help("--help")
    for group in ("Running:", "Content:", "Search:", "Accounts:", "Maintenance:"):
        assert group in out
    commands = get_commands()
    listed = [line.split()[0] for line in out.splitlines() if line.startswith("  ")]
    assert listed == [name for _group, names in GROUPS for name, _line in names]
    assert all(name in commands for name in listed)
    assert all(len(line) <= 100 for line in out.splitlines())
    # Django's own administrative commands are left to `help --all`.
    assert "remove_stale_contenttypes" not in out and "sendtestemail" not in out
    assert "remove_stale_contenttypes" in _help("help", "--all")


def test_serve_documents_every_option() -> None:
    command = load_command_class("ficarchive.core", "serve")
    parser = command.create_parser("ficarchive", "serve")
    undocumented = [action.option_strings for action in parser._actions if not action.help]
    assert not undocumented
