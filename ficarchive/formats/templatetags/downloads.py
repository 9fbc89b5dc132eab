"""The download menu of a work page (`{% load downloads %}{% download_menu work %}`): the works
app's templates load it by name, so works never imports formats."""

from __future__ import annotations

from typing import Any

from django import template

from ficarchive.formats.downloads.formats import available_formats
from ficarchive.formats.downloads.names import download_name

register = template.Library()


@register.inclusion_tag("formats/downloads/_menu.html")
def download_menu(work: Any) -> dict[str, object]:
    """The largest archive's `li.download`, with a link per format this server can make;
    nothing for a work nobody may download (a draft, a hidden work)."""
    if not work.is_listable():
        return {"formats": []}
    return {
        "work": work,
        "name": download_name(work.title, work.pk),
        "formats": available_formats(),
    }
