"""Template filters of the posting pages."""

from __future__ import annotations

from typing import Any

from django import template

from ficarchive.works.access import Need, work_allows
from ficarchive.works.models import Work

register = template.Library()


@register.filter
def editable_by(work: Work, user: Any) -> bool:
    """Whether this user may edit the work (works.access: its accepted creators)."""
    return work_allows(work, user, Need.EDIT)
