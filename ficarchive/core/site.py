"""The site's own address, for links that leave it: mail, feeds, e-books."""

from __future__ import annotations

from django.conf import settings


def site_url() -> str:
    """SITE_URL without a trailing slash."""
    return settings.SITE_URL.rstrip("/")


def absolute_url(path: str) -> str:
    """A path on this site (as `reverse` gives it) as a full address under SITE_URL."""
    return site_url() + path
