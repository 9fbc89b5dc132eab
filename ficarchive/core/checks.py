"""Startup checks: the archive refuses to serve with the public default secret key, and
`check --deploy` warns when rate limits and hit counts could not be shared by the workers."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, Warning, register
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


# Caches that each process keeps for itself (or that keep nothing): with several workers, each
# would count rate limits and hits alone.
UNSHARED_CACHES = (
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
)


def unshared_cache() -> str | None:
    backend = str(settings.CACHES.get("default", {}).get("BACKEND", ""))
    return backend if backend in UNSHARED_CACHES else None


@register(Tags.security, Tags.caches, deploy=True)
def check_shared_cache(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    backend = unshared_cache()
    if backend is None:
        return []
    return [
        Warning(
            f"The cache ({backend}) is not shared between processes, so every web worker "
            "counts rate limits and hits alone and caches its own pages.",
            hint="Leave CACHES to the settings (the database, or Redis with REDIS_URL).",
            id="ficarchive.W001",
        )
    ]
