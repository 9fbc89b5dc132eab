"""The archive refuses to serve with the public default secret key outside debug."""

import subprocess
import sys

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.test import override_settings

from ficarchive.core.checks import check_secret_key, refuse_default_secret_key


@override_settings(DEBUG=False, SECRET_KEY=settings.DEFAULT_SECRET_KEY)
def test_default_secret_key_is_refused_outside_debug() -> None:
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY"):
        refuse_default_secret_key()
    assert [error.id for error in check_secret_key()] == ["ficarchive.E001"]


@override_settings(DEBUG=True, SECRET_KEY=settings.DEFAULT_SECRET_KEY)
def test_default_secret_key_is_allowed_in_debug() -> None:
    refuse_default_secret_key()
    assert check_secret_key() == []


@override_settings(DEBUG=False, SECRET_KEY=settings.DEFAULT_SECRET_KEY)
def test_serve_refuses_to_start_with_the_default_key() -> None:
    with pytest.raises(ImproperlyConfigured):
        call_command("serve", "--bind", "127.0.0.1:0")


@override_settings(DEBUG=False, SECRET_KEY="a-real-secret")
def test_a_configured_key_passes() -> None:
    refuse_default_secret_key()


def test_the_ficarchive_command_lists_the_subcommands() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "ficarchive", "--help"], capture_output=True, text=True, check=True
    )
    for name in ("import", "export", "demo", "serve", "migrate"):
        assert name in result.stdout
