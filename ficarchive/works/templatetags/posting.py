"""Template filters of the posting pages."""

from __future__ import annotations

from typing import Any

from django import template

from ficarchive.works.models import Work

register = template.Library()


@register.filter
def is_by(work: Work, user: Any) -> bool:
    """Whether this user is one of the work's accepted creators (who may edit it)."""
    return work.is_by(user)
