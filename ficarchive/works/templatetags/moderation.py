"""Template filters of moderation."""

from __future__ import annotations

from typing import Any

from django import template

from ficarchive.works.querysets import is_archive_admin

register = template.Library()


@register.filter
def is_admin(user: Any) -> bool:
    """Whether this user administers the archive (and so moderates works)."""
    return is_archive_admin(user)
