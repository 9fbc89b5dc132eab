"""Previews of posting: a change is made in a transaction that is then rolled back, so the real
page components show exactly what posting would, and nothing is saved."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from ficarchive.works.models import Work


def preview_render(
    make_change: Callable[[], Work], request: HttpRequest, **extra: Any
) -> SafeString:
    """The preview of the work that `make_change` writes and returns; `extra` goes to the
    preview template (`only_last`, `only_position`: which chapters to show)."""
    with transaction.atomic():
        work = Work.objects.for_reading().get(pk=make_change().pk)
        chapters = list(work.posted_chapters())
        blurb = render_to_string("works/components/blurb.html", {"work": work})
        html = render_to_string(
            "works/_preview.html",
            {
                "work": work,
                "chapters": chapters,
                "many": len(chapters) > 1,
                "blurb": mark_safe(blurb),
                **extra,
            },
            request=request,
        )
        transaction.set_rollback(True)
    return mark_safe(html)
