"""Startup checks: the archive refuses to serve with the public default secret key."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, register
from django.core.exceptions import ImproperlyConfigured

SECRET_KEY_MESSAGE = (
    "SECRET_KEY is the built-in default, which anyone can read. Set the SECRET_KEY environment "
    "variable (see .env.example), or set DEBUG=true for local development."
)


def uses_default_secret_key() -> bool:
    return not settings.DEBUG and settings.SECRET_KEY == settings.DEFAULT_SECRET_KEY


def refuse_default_secret_key() -> None:
    """Stop a production server that would sign sessions with the public default key."""
    if uses_default_secret_key():
        raise ImproperlyConfigured(SECRET_KEY_MESSAGE)


@register(Tags.security, deploy=True)
def check_secret_key(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    if uses_default_secret_key():
        return [Error(SECRET_KEY_MESSAGE, id="ficarchive.E001")]
    return []
