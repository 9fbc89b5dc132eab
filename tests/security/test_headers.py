"""The content policy, HTTPS settings that follow SITE_URL, and a production configuration that
`check --deploy` passes (issue 17, finding 8; docs/security.md)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

from ficarchive.accounts.models import Preference, User
from tests.factories import WorkFactory

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db


def _directives(client: Client, path: str) -> dict[str, str]:
    header = client.get(path)["Content-Security-Policy"]
    return {part.split()[0]: part for part in (p.strip() for p in header.split(";"))}


def test_every_page_has_a_strict_policy(client: Client) -> None:
    work = WorkFactory.create()
    for path in ["/", f"/works/{work.pk}", "/works/search?q=x", "/login", "/no/such/page"]:
        policy = _directives(client, path)
        assert "unsafe-inline" not in " ".join(policy.values())
        assert "unsafe-eval" not in " ".join(policy.values())
        assert policy["frame-ancestors"] == "frame-ancestors 'none'"
        assert policy["object-src"] == "object-src 'none'"
        assert policy["script-src"].startswith("script-src 'self' 'nonce-")
        assert "https:" not in policy["img-src"]


def test_each_response_has_its_own_nonce(client: Client) -> None:
    assert (
        _directives(client, "/login")["script-src"] != _directives(client, "/login")["script-src"]
    )


def test_remote_images_load_only_for_a_reader_who_chose_them(client: Client, author: User) -> None:
    client.force_login(author)
    assert "https:" not in _directives(client, "/")["img-src"]
    Preference.objects.create(user=author, load_remote_images=True)
    assert "https:" in _directives(client, "/")["img-src"]


def _settings_under(**env: str) -> dict[str, object]:
    code = (
        "import json, ficarchive.settings as s; print(json.dumps({name: getattr(s, name) for "
        "name in ['SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', 'SECURE_SSL_REDIRECT', "
        "'SECURE_HSTS_SECONDS']}))"
    )
    environment = {**os.environ, "ENV_FILE": "/nonexistent", **env}
    output = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, check=True
    )
    return dict(json.loads(output.stdout))


def test_https_settings_are_on_by_default_when_the_site_is_https(tmp_path: Path) -> None:
    https = _settings_under(SITE_URL="https://archive.example.org", DATA_DIR=str(tmp_path))
    assert https == {
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SECURE_SSL_REDIRECT": True,
        "SECURE_HSTS_SECONDS": 31_536_000,
    }
    plain = _settings_under(SITE_URL="http://localhost:8000", DATA_DIR=str(tmp_path))
    assert set(plain.values()) == {False}
    chosen = _settings_under(
        SITE_URL="https://archive.example.org", DATA_DIR=str(tmp_path), SSL_REDIRECT="false"
    )
    assert chosen["SECURE_SSL_REDIRECT"] is False


def test_check_deploy_is_clean_in_the_documented_production_configuration(
    tmp_path: Path,
) -> None:
    # docs/security.md, "A production configuration".
    environment = {
        **os.environ,
        "ENV_FILE": "/nonexistent",
        "DATA_DIR": str(tmp_path),
        "DATABASE_URL": "",
        "SITE_URL": "https://archive.example.org",
        "SECRET_KEY": "x7-" + "k" * 20 + "Qz9_" + "m" * 30,
        "HSTS_INCLUDE_SUBDOMAINS": "true",
        "HSTS_PRELOAD": "true",
        "DEBUG": "false",
        "REDIS_URL": "",
    }
    command = [sys.executable, "-m", "ficarchive", "check", "--deploy", "--fail-level", "WARNING"]
    result = subprocess.run(command, cwd=ROOT, env=environment, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
