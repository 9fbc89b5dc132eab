"""The settings module is the one reader of the environment, `.env.example` lists what it
reads with the same defaults, and boolean and address variables are parsed strictly."""

from __future__ import annotations

import ast
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from ficarchive import settings as settings_module

ROOT = Path(settings_module.BASE_DIR)
PACKAGE = ROOT / "ficarchive"


def env_example() -> dict[str, str]:
    lines = (ROOT / ".env.example").read_text(encoding="utf-8").splitlines()
    found = [re.fullmatch(r"([A-Z][A-Z0-9_]*)=(.*)", line) for line in lines]
    return {match[1]: match[2] for match in found if match}


def test_env_example_lists_every_variable_the_settings_read_and_no_other() -> None:
    assert sorted(env_example()) == sorted(settings_module.env_defaults)


def test_env_example_gives_the_defaults_the_settings_use() -> None:
    defaults = {name: default for name, (default, _kind) in settings_module.env_defaults.items()}
    assert env_example() == defaults


def test_every_boolean_variable_goes_through_the_strict_parser() -> None:
    booleans = {name for name, value in env_example().items() if value in {"true", "false"}}
    parsed = {name for name, (_, kind) in settings_module.env_defaults.items() if kind == "bool"}
    assert booleans == parsed
    assert {"DEBUG", "SECURE_COOKIES", "EMAIL_USE_TLS", "SEARCH_INLINE"} <= parsed


def _environment_reads(path: Path) -> list[tuple[str, int, str | None]]:
    """Each `os.environ.get(...)`, `os.environ[...]`, `os.getenv(...)` and
    `os.environ.setdefault(...)` in a module, with the variable named if it is a literal."""
    reads: list[tuple[str, int, str | None]] = []

    def is_environ(node: ast.expr) -> bool:
        return (
            isinstance(node, ast.Attribute)
            and node.attr == "environ"
            and isinstance(node.value, ast.Name)
            and node.value.id == "os"
        )

    def literal(node: ast.expr | None) -> str | None:
        return (
            node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None
        )

    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            target = node.func
            first = node.args[0] if node.args else None
            if (is_environ(target.value) and target.attr in {"get", "setdefault", "pop"}) or (
                isinstance(target.value, ast.Name)
                and target.value.id == "os"
                and target.attr == "getenv"
            ):
                reads.append((path.relative_to(ROOT).as_posix(), node.lineno, literal(first)))
        elif isinstance(node, ast.Subscript) and is_environ(node.value):
            reads.append((path.relative_to(ROOT).as_posix(), node.lineno, literal(node.slice)))
    return reads


def test_no_module_but_the_settings_reads_the_environment() -> None:
    reads = [read for path in sorted(PACKAGE.rglob("*.py")) for read in _environment_reads(path)]
    outside = [(path, name) for path, _line, name in reads if path != "ficarchive/settings.py"]
    # Loading the .env file has to happen before the settings exist.
    assert sorted(outside) == [
        ("ficarchive/cli.py", "DJANGO_SETTINGS_MODULE"),
        ("ficarchive/cli.py", "ENV_FILE"),
    ]
    # Inside the settings, only the one reader that records each variable touches it.
    assert [name for path, _line, name in reads if path == "ficarchive/settings.py"] == [None]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("true", True),
        ("TRUE", True),
        (" Yes ", True),
        ("on", True),
        ("1", True),
        ("false", False),
        ("False", False),
        ("no", False),
        ("OFF", False),
        ("0", False),
    ],
)
def test_the_boolean_words(value: str, expected: bool) -> None:
    assert settings_module.parse_bool("DEBUG", value) is expected


@pytest.mark.parametrize("value", ["maybe", "2", "enabled", "t", "y", "-1", "truee"])
def test_anything_else_is_refused_naming_the_variable(value: str) -> None:
    with pytest.raises(ImproperlyConfigured, match="SECURE_COOKIES"):
        settings_module.parse_bool("SECURE_COOKIES", value)


def _settings_in_a_process(data_dir: Path, **variables: str) -> subprocess.CompletedProcess[str]:
    """Import the settings with these variables set and nothing else of ours in the way, and
    print a few of the values they give."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in settings_module.env_defaults and key != "ENV_FILE"
    }
    script = (
        "import json, ficarchive.settings as s; print(json.dumps({'hosts': s.ALLOWED_HOSTS, "
        "'origins': s.CSRF_TRUSTED_ORIGINS, 'sender': s.DEFAULT_FROM_EMAIL, "
        "'site': s.SITE_URL, 'debug': s.DEBUG}))"
    )
    return subprocess.run(
        [sys.executable, "-c", script],
        env={**env, "DATA_DIR": str(data_dir), **variables},
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


def test_a_misspelt_boolean_stops_the_archive_at_startup(tmp_path: Path) -> None:
    result = _settings_in_a_process(tmp_path, DEBUG="ture")
    assert result.returncode != 0
    assert "ImproperlyConfigured: DEBUG must be true or false" in result.stderr


def test_an_empty_boolean_means_its_default(tmp_path: Path) -> None:
    result = _settings_in_a_process(tmp_path, DEBUG="")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["debug"] is False


def test_the_site_address_gives_the_host_origin_and_sender(tmp_path: Path) -> None:
    result = _settings_in_a_process(
        tmp_path, SITE_URL="https://archive.example.org/", SITE_NAME="Ex"
    )
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values["site"] == "https://archive.example.org"
    assert values["hosts"] == ["localhost", "127.0.0.1", "[::1]", "archive.example.org"]
    assert values["origins"] == ["https://archive.example.org"]
    assert values["sender"] == "Ex <noreply@archive.example.org>"


@pytest.mark.parametrize(
    "value",
    ["archive.example.org", "ftp://archive.example.org", "https://x.org/archive", "http://"],
)
def test_a_site_address_that_is_not_one_stops_the_archive(tmp_path: Path, value: str) -> None:
    result = _settings_in_a_process(tmp_path, SITE_URL=value)
    assert result.returncode != 0
    assert "ImproperlyConfigured: SITE_URL must be an http:// or https:// address" in (
        result.stderr
    )


def test_a_number_that_is_not_one_names_its_variable(tmp_path: Path) -> None:
    result = _settings_in_a_process(tmp_path, EMAIL_PORT="five")
    assert result.returncode != 0
    assert "ImproperlyConfigured: EMAIL_PORT must be a whole number" in result.stderr
