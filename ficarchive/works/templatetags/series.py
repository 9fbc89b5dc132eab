"""The series piece of a work page: "Part N of <Series>" with its neighbours."""

from __future__ import annotations

from typing import Any

from django import template

from ficarchive.works.models import Work
from ficarchive.works.series import series_places

register = template.Library()


@register.inclusion_tag("works/_series_navigation.html")
def series_navigation(work: Work, user: Any) -> dict[str, Any]:
    """ "Part N of <Series>" with the previous and next parts this reader may list; nothing
    (and no query) for a work in no series."""
    return {"places": series_places(work, user) if work.serial_works.all() else []}
